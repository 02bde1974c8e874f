//! Per-stage throughput of the indexing pipeline on one thread: walk,
//! extract, normalize, metadata, char tokens.
//! `cargo run --release --example stages -- ../shared/corpus/laws`

use std::time::Instant;

use gongwen::archive::extract::{self, Limits};
use gongwen::archive::indexer::meta_view;
use gongwen::archive::normalize::normalize;
use gongwen::archive::tokenize::CharTokenizer;
use gongwen::archive::walk;
use gongwen::meta::DocMeta;
use tantivy::tokenizer::{TokenStream, Tokenizer};

fn main() {
    let root = std::env::args().nth(1).expect("usage: stages DIR");
    let root = std::fs::canonicalize(root).unwrap();
    let t = Instant::now();
    let w = walk::walk(&root);
    println!(
        "walk: {} files in {:.3} s",
        w.files.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let docs: Vec<_> = w
        .files
        .iter()
        .filter_map(|e| extract::extract_file(&e.path, e.format, &Limits::default()).ok())
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mb = bytes as f64 / 1e6;
    let s = t.elapsed().as_secs_f64();
    println!("extract: {mb:.1} MB in {s:.3} s ({:.0} MB/s)", mb / s);
    let t = Instant::now();
    let norms: Vec<String> = docs.iter().map(|d| normalize(&d.text)).collect();
    let s = t.elapsed().as_secs_f64();
    println!("normalize: {s:.3} s ({:.0} MB/s)", mb / s);
    let t = Instant::now();
    for d in &docs {
        std::hint::black_box(DocMeta::extract(
            &meta_view(&d.text),
            d.title.as_deref(),
            d.front_matter.as_deref(),
        ));
    }
    let s = t.elapsed().as_secs_f64();
    println!("meta: {s:.3} s ({:.0} MB/s)", mb / s);
    let t = Instant::now();
    let mut n = 0usize;
    let mut ct = CharTokenizer::default();
    for x in &norms {
        let mut st = ct.token_stream(x);
        while st.advance() {
            n += 1;
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!("char tokens: {n} in {s:.3} s ({:.0} MB/s)", mb / s);
}
