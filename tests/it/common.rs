//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The project root (where Cargo.toml is).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/corpus/<sub>` when present; `None` (and a message on stderr)
/// when this checkout has no `../shared` beside it.
pub fn shared_corpus(sub: &str) -> Option<PathBuf> {
    let p = project_root().join("../shared/corpus").join(sub);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} not present", p.display());
        None
    }
}

/// Path of the built `gongwen` binary.
pub fn gongwen_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gongwen"))
}
