//! Archive search: walk → extract → normalize → tokenize → index → search.

pub mod extract;
