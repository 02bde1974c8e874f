//! Drafting: Markdown with a front-matter header → 公文 model → checks →
//! .docx / HTML laid out to GB/T 9704-2012.
