//! gongwen: draft 公文 (official documents) to GB/T 9704-2012 and search
//! archives of them.
//!
//! Layering (data flows one way, see `ARCHITECTURE.md`):
//!
//! - [`meta`]: the 公文 concepts both halves share — element names, 发文字号,
//!   成文日期, 文种, document metadata. Depends on nothing else in the crate.
//! - [`draft`]: Markdown + front matter → document model → checks → .docx/HTML.
//!   Uses [`meta`], never [`archive`].
//! - [`archive`]: walk → extract → normalize → tokenize → index → search.
//!   Uses [`meta`], never [`draft`].
//! - the `gongwen` binary (`src/main.rs`, `src/cli/`): parses arguments, calls
//!   the library, prints. Library code never sees clap types.
#![warn(missing_docs)]

pub mod archive;
pub mod draft;
pub mod meta;
