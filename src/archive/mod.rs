//! Archive search: walk → extract → normalize → tokenize → index → search.

pub mod budget;
pub mod catalog;
pub mod delete;
pub mod directory;
pub mod extract;
pub mod index;
pub mod indexer;
pub mod merge;
pub mod normalize;
pub mod phrase;
pub mod query;
pub mod schema;
pub mod search;
pub mod status;
pub mod tokenize;
pub mod walk;
