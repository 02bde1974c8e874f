//! 公文 concepts shared by drafting and archive search: GB/T 9704-2012 element
//! names, 发文字号 (doc numbers), 成文日期 (dates), 文种 (document types) and the
//! metadata record of one document.
//!
//! This module depends on nothing else in the crate; [`crate::draft`] and
//! [`crate::archive`] both build on it.
//!
//! - [`elements`]: the element vocabulary (份号 … 印发日期) and its keys.
//! - [`doc_number`]: [`DocNumber`], lenient parsing, finding, strict checks.
//! - [`date`]: [`CnDate`], lenient parsing, finding, strict checks.
//! - [`doc_type`]: [`DocType`], the 文种 and how to read it from a title.
//! - [`DocMeta`]: one document's metadata, from front matter or from raw text.

pub(crate) mod chars;
pub mod date;
mod doc_meta;
pub mod doc_number;
pub mod doc_type;
pub mod elements;

pub use date::CnDate;
pub use doc_meta::{DocMeta, split_front_matter};
pub use doc_number::DocNumber;
pub use doc_type::DocType;
pub use elements::Element;
