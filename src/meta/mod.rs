//! 公文 concepts shared by drafting and archive search: GB/T 9704-2012 element
//! names, 发文字号 (doc numbers), 成文日期 (dates), 文种 (document types) and the
//! metadata record of one document.
