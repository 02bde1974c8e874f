//! Archive search: walk → extract → normalize → tokenize → index → search.

pub mod extract;
pub mod normalize;
pub mod tokenize;
pub mod index;
pub mod query;
pub mod schema;
pub mod walk;
pub mod indexer;
pub mod search;
pub mod status;
pub mod catalog;
