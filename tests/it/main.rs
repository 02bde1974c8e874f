//! gongwen's integration tests: one test binary, one module per feature.
//! Tests that need `../shared/corpus` skip with a message when it is absent.

mod badinput;
mod catalog;
mod common;
mod containers;
mod draft_check;
mod draft_render;
mod extract;
mod formats;
mod meta;
mod quality;
mod reindex;
mod search;
