//! The index schema: which fields a document has, how each is indexed, and
//! the schema version stored with every commit.
//!
//! | field | indexed as | stored | purpose |
//! |---|---|---|---|
//! | `id` | raw term, fast | yes | lossless path key ([`super::walk::path_id`]); delete-by-term on update |
//! | `path` | — | yes | readable path for display |
//! | `root` | raw term, fast | yes | the indexed root the file was found under |
//! | `title` | `gw_char`, positions | no | normalized title: phrase match, boosted in ranking |
//! | `title_text` | — | yes | the title as written, for display |
//! | `body` | `gw_char`, positions | no | exact substring match (the search guarantee) |
//! | `text` | — | yes | normalized text: snippets and `show` |
//! | `format` | raw term | yes | `txt`, `md`, `docx`, … |
//! | `size`, `mtime` | fast | yes | bytes, seconds since the Unix epoch: incremental reindexing |
//! | `hash` | — | yes | BLAKE3 of the file, hex, first 32 digits |
//! | `quality` | — | yes | JSON: status (ok … failed), reason, action, encoding and confidence, pages, noise counts ([`super::indexer::quality_json`]) |
//! | `doc_number` | `gw_char`, positions | yes | canonical 发文字号 `国办发〔2023〕5号` |
//! | `issuer` | `gw_char`, positions | yes | 发文机关 |
//! | `date` | date, fast | yes | 成文日期 |
//! | `doc_type` | raw term | yes | 文种 |
//! | `classification` | raw term | yes | 密级 |

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::tokenize::CHAR_TOKENIZER;

/// Version of this schema. An index whose commit payload names another version
/// is rebuilt (see [`super::index::ArchiveIndex::open_for_write`]).
pub const SCHEMA_VERSION: u32 = 1;

/// Handles of all fields of the schema.
#[derive(Clone, Debug)]
#[allow(missing_docs)]
pub struct Fields {
    pub id: Field,
    pub path: Field,
    pub root: Field,
    pub title: Field,
    pub title_text: Field,
    pub body: Field,
    pub text: Field,
    pub format: Field,
    pub size: Field,
    pub mtime: Field,
    pub hash: Field,
    pub quality: Field,
    pub doc_number: Field,
    pub issuer: Field,
    pub date: Field,
    pub doc_type: Field,
    pub classification: Field,
}

/// Build the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let chars = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(CHAR_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored { o.set_stored() } else { o }
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED | FAST),
        path: b.add_text_field("path", STORED),
        root: b.add_text_field("root", STRING | STORED | FAST),
        title: b.add_text_field("title", chars(false)),
        title_text: b.add_text_field("title_text", STORED),
        body: b.add_text_field("body", chars(false)),
        text: b.add_text_field("text", STORED),
        format: b.add_text_field("format", STRING | STORED),
        size: b.add_u64_field("size", STORED | FAST),
        mtime: b.add_i64_field("mtime", STORED | FAST),
        hash: b.add_text_field("hash", STORED),
        quality: b.add_text_field("quality", STORED),
        doc_number: b.add_text_field("doc_number", chars(true)),
        issuer: b.add_text_field("issuer", chars(true)),
        date: b.add_date_field("date", INDEXED | STORED | FAST),
        doc_type: b.add_text_field("doc_type", STRING | STORED),
        classification: b.add_text_field("classification", STRING | STORED),
    };
    (b.build(), fields)
}

/// Field handles of an existing schema, or `None` when a field is missing
/// (an index written by another schema version).
pub fn fields_of(schema: &Schema) -> Option<Fields> {
    let f = |n: &str| schema.get_field(n).ok();
    Some(Fields {
        id: f("id")?,
        path: f("path")?,
        root: f("root")?,
        title: f("title")?,
        title_text: f("title_text")?,
        body: f("body")?,
        text: f("text")?,
        format: f("format")?,
        size: f("size")?,
        mtime: f("mtime")?,
        hash: f("hash")?,
        quality: f("quality")?,
        doc_number: f("doc_number")?,
        issuer: f("issuer")?,
        date: f("date")?,
        doc_type: f("doc_type")?,
        classification: f("classification")?,
    })
}
