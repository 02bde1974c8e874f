//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The project root (where Cargo.toml is).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `<shared>/corpus/<sub>` when present, where `<shared>` is
/// `$GONGWEN_SHARED` if set, else `../shared` beside the checkout; `None`
/// (and a message on stderr, shown with `-- --nocapture`) when absent.
pub fn shared_corpus(sub: &str) -> Option<PathBuf> {
    let shared = std::env::var_os("GONGWEN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("../shared"));
    let p = shared.join("corpus").join(sub);
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
