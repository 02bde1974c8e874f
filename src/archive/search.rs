//! Answering queries: build tantivy queries from a [`ParsedQuery`], collect
//! ranked hits, and cut snippets.
//!
//! Matching is exact substring matching on the `gw_char` fields (see
//! [`super::tokenize`]): a clause is a phrase query of its characters, so a
//! document matches exactly when its match form contains the clause. Ranking
//! is tantivy's BM25 over those phrases, a ×3 boost when the title holds the
//! clause.

use std::collections::HashSet;
use std::ops::Bound;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, EnableScoring, Occur, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Order, ReloadPolicy, Searcher, SegmentReader, TantivyDocument, Term};

use super::index::{ArchiveIndex, IndexError};
use super::indexer::date_time;
use super::normalize::{match_form, match_view, normalize};
use super::phrase::CharPhraseQuery;
use super::query::{Clause, ParsedQuery, QueryError, Target, parse};
use super::schema::Fields;
use super::tokenize::char_positions;
use crate::meta::chars::{is_close_bracket, is_open_bracket};

/// Snippet length in characters (not bytes).
pub const SNIPPET_CHARS: usize = 150;

/// Order of hits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// BM25 relevance, best first.
    #[default]
    Relevance,
    /// 成文日期, newest first; documents without a date last.
    DateDesc,
}

/// Metadata filters, all optional, AND-ed with the query.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// 发文字号, any bracket variant (`国办发[2023]5号`) or a part of one.
    pub doc_number: Option<String>,
    /// Part of the 发文机关.
    pub issuer: Option<String>,
    /// 文种 name (`通知`).
    pub doc_type: Option<String>,
    /// 密级 (`秘密`).
    pub classification: Option<String>,
    /// Dated on or after (year, month, day).
    pub from: Option<(i32, u32, u32)>,
    /// Dated on or before (year, month, day).
    pub to: Option<(i32, u32, u32)>,
    /// Under one of these folders (or these files): keys as
    /// [`super::catalog::path_keys`] gives them for each path typed. A
    /// document matches when its key is one of them or starts with one
    /// followed by `/` (so zip members of a zip in the folder count).
    /// Empty: anywhere.
    pub under: Vec<String>,
}

/// Search options.
#[derive(Clone, Debug, Default)]
pub struct SearchOptions {
    /// Maximum hits; 0 = all.
    pub limit: usize,
    /// Order.
    pub sort: SortBy,
    /// Metadata filters.
    pub filters: Filters,
}

/// A piece of snippet text, highlighted or not.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Fragment {
    /// Text of the piece.
    pub text: String,
    /// Whether it matched the query.
    pub highlight: bool,
}

/// One ranked hit.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    /// Readable path.
    pub path: String,
    /// Title.
    pub title: String,
    /// Relevance score (0 when sorted by date).
    pub score: f32,
    /// About [`SNIPPET_CHARS`] characters around the first match.
    pub snippet: Vec<Fragment>,
    /// Format (`md`, `docx`, …).
    pub format: String,
    /// 发文字号.
    pub doc_number: Option<String>,
    /// 发文机关.
    pub issuer: Option<String>,
    /// 成文日期, ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    /// 文种.
    pub doc_type: Option<String>,
    /// 密级.
    pub classification: Option<String>,
    /// Extraction status and quality notes (JSON object).
    pub quality: serde_json::Value,
    /// Whether the file (for a zip member, its zip) is still at `path` when
    /// the hit is made; `false` when it was deleted or moved since it was
    /// indexed, or its drive is not connected (the hit shows the text as
    /// last indexed).
    pub on_disk: bool,
}

/// Errors of a search.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query could not be parsed.
    #[error("查询有误 / bad query: {0}")]
    Query(#[from] QueryError),
    /// The index could not be opened.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// tantivy failed.
    #[error("{}", super::index::read_failure("检索失败 / search failed", .0))]
    Tantivy(tantivy::TantivyError),
    /// A filter value is malformed.
    #[error("筛选条件有误 / bad filter: {0}")]
    Filter(String),
}

// By hand, not `#[from]`: the message already holds tantivy's text (or,
// for a damaged index, deliberately less of it), so it is no `source`.
impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Tantivy(e)
    }
}

/// The positive query and, when the query excludes words, the query of the
/// documents to drop (see [`ArchiveSearcher::build_query`]).
pub type BuiltQuery = (Box<dyn Query>, Option<Box<dyn Query>>);

/// A searcher over one opened index.
pub struct ArchiveSearcher {
    searcher: Searcher,
    fields: Fields,
}

/// The phrase (or term, for one character) query of `text` in `field`, or
/// `None` when `text` normalizes to nothing.
fn char_query(field: Field, text: &str) -> Option<Box<dyn Query>> {
    let norm = normalize(text);
    let pos = char_positions(&norm);
    match pos.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, &pos[0].1.to_string()),
            IndexRecordOption::WithFreqs,
        ))),
        _ => {
            let terms = pos
                .iter()
                .map(|(p, c)| (*p, Term::from_field_text(field, &c.to_string())))
                .collect();
            Some(Box::new(CharPhraseQuery::new(field, terms)))
        }
    }
}

/// The texts a plain query word finds: the word itself (a substring, as grep
/// finds it); when the word is a 发文字号 in any form (`国办发（2023）第05号`),
/// its standard form `国办发〔2023〕5号` (GB/T 9704-2012 §7.2.5) and the
/// serial as documents also write it (`第5号`, `05号`, `第05号`); and when it
/// holds a four-digit year in brackets
/// (`青政办发[2026]12号`, `[2026]`, `青政办发〔2026〕`), the same with the year
/// in each bracket pair documents use: `〔〕`, `[]`, `()`, `【】` (full-width
/// `（）［］` normalize to the ASCII pairs). Never fewer documents than the
/// word alone.
pub fn spellings(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    let mut seen = vec![normalize(word)];
    let mut push = |s: String, out: &mut Vec<String>| {
        let n = normalize(&s);
        if !seen.contains(&n) {
            seen.push(n);
            out.push(s);
        }
    };
    if let Some(n) = crate::meta::doc_number::DocNumber::parse_lenient(word) {
        push(n.to_string(), &mut out);
        // The serial as documents also write it: `第7号`, `07号`, `第07号`.
        let (a, y, k) = (&n.agency, n.year, n.serial);
        push(format!("{a}〔{y}〕第{k}号"), &mut out);
        if k < 10 {
            push(format!("{a}〔{y}〕0{k}号"), &mut out);
            push(format!("{a}〔{y}〕第0{k}号"), &mut out);
        }
    }
    for base in out.clone() {
        let t = normalize(&base);
        let cs: Vec<char> = t.chars().collect();
        let Some(i) = (0..cs.len().saturating_sub(5)).find(|&i| {
            is_open_bracket(cs[i])
                && cs[i + 1..i + 5].iter().all(char::is_ascii_digit)
                && is_close_bracket(cs[i + 5])
        }) else {
            continue;
        };
        let (head, year, tail): (String, String, String) = (
            cs[..i].iter().collect(),
            cs[i + 1..i + 5].iter().collect(),
            cs[i + 6..].iter().collect(),
        );
        for (open, close) in [('〔', '〕'), ('[', ']'), ('(', ')'), ('【', '】')] {
            push(format!("{head}{open}{year}{close}{tail}"), &mut out);
        }
    }
    out
}

/// Bring any bracket variant around a four-digit year into 〔〕 (GB/T
/// 9704-2012 §7.2.5), so `国办发[2023]5号` finds `国办发〔2023〕5号`.
pub fn canonical_doc_number_text(text: &str) -> String {
    if let Some(n) = crate::meta::doc_number::DocNumber::parse_lenient(text) {
        return n.to_string();
    }
    let mut s: String = normalize(text);
    for (open, close) in [
        ("[", "]"),
        ("(", ")"),
        ("【", "】"),
        ("〖", "〗"),
        ("［", "］"),
        ("（", "）"),
    ] {
        s = s.replace(open, "〔").replace(close, "〕");
    }
    s
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

impl ArchiveSearcher {
    /// Open a searcher on the last commit of `ix`.
    pub fn new(ix: &ArchiveIndex) -> Result<ArchiveSearcher, SearchError> {
        // Segments are searched in parallel, one thread per core: a large
        // archive has tens of segments (bounded merges, see
        // `archive::merge`), and phrase matching over them is CPU-bound.
        let mut index = ix.index.clone();
        let segments = index.searchable_segment_metas()?.len();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(segments);
        if threads > 1 {
            index.set_multithread_executor(threads)?;
        }
        // Stored documents are read a few at a time (hits) or in date order
        // across all segments (the catalogue): tantivy's cache of 100
        // decompressed blocks per segment only held memory (~270 MB for a
        // catalogue of 138 segments).
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(4)
            .try_into()
            .map_err(|e| IndexError::from_tantivy(&ix.dir, e))?;
        Ok(ArchiveSearcher {
            searcher: reader.searcher(),
            fields: ix.fields.clone(),
        })
    }

    /// Number of live documents.
    pub fn num_docs(&self) -> u64 {
        self.searcher.num_docs()
    }

    fn clause_query(&self, c: &Clause) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        match c.target {
            Target::All => {
                let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for text in spellings(&c.text) {
                    let body = char_query(f.body, &text)?;
                    let title = char_query(f.title, &text)?;
                    any.push((Occur::Should, body));
                    any.push((Occur::Should, Box::new(BoostQuery::new(title, 3.0))));
                }
                // A 发文字号 also finds the documents whose 发文字号 (read from
                // their text in any spelling, kept in standard form) is it:
                // `云政发〔2026〕7号` finds a text that wrote `云政发（2026）第07号`.
                if let Some(n) = crate::meta::doc_number::DocNumber::parse_lenient(&c.text)
                    && let Some(q) = char_query(f.doc_number, &n.to_string())
                {
                    any.push((Occur::Should, q));
                }
                Some(Box::new(BooleanQuery::new(any)))
            }
            Target::Title => char_query(f.title, &c.text),
            Target::Issuer => char_query(f.issuer, &c.text),
            Target::DocNumber => char_query(f.doc_number, &canonical_doc_number_text(&c.text)),
            Target::DocType => Some(term_query(f.doc_type, &doc_type_name(&c.text))),
            Target::Classification => Some(term_query(f.classification, c.text.trim())),
        }
    }

    fn filter_queries(&self, filters: &Filters) -> Result<Vec<Box<dyn Query>>, SearchError> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let mut add =
            |q: Option<Box<dyn Query>>| out.push(q.unwrap_or_else(|| Box::new(EmptyQuery)));
        if let Some(n) = &filters.doc_number {
            add(char_query(f.doc_number, &canonical_doc_number_text(n)));
        }
        if let Some(i) = &filters.issuer {
            add(char_query(f.issuer, i));
        }
        if let Some(t) = &filters.doc_type {
            add(Some(term_query(f.doc_type, &doc_type_name(t))));
        }
        if let Some(c) = &filters.classification {
            add(Some(term_query(f.classification, c.trim())));
        }
        if !filters.under.is_empty() {
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for key in &filters.under {
                any.push((Occur::Should, Box::new(term_query(f.id, key))));
                // `k/` ≤ id < `k0` ('0' follows '/'): every key under k.
                let base = key.trim_end_matches('/');
                any.push((
                    Occur::Should,
                    Box::new(RangeQuery::new(
                        Bound::Included(Term::from_field_text(f.id, &format!("{base}/"))),
                        Bound::Excluded(Term::from_field_text(f.id, &format!("{base}0"))),
                    )),
                ));
            }
            out.push(Box::new(BooleanQuery::new(any)));
        }
        if filters.from.is_some() || filters.to.is_some() {
            let bound = |d: Option<(i32, u32, u32)>| -> Result<Bound<Term>, SearchError> {
                Ok(match d {
                    None => Bound::Unbounded,
                    Some((y, m, dd)) => Bound::Included(Term::from_field_date_for_search(
                        f.date,
                        date_time(y, m, dd)
                            .ok_or_else(|| SearchError::Filter(format!("{y}-{m}-{dd}")))?,
                    )),
                })
            };
            out.push(Box::new(RangeQuery::new(
                bound(filters.from)?,
                bound(filters.to)?,
            )));
        }
        Ok(out)
    }

    /// Build the tantivy queries for a parsed query plus filters: the
    /// positive part (OR of AND groups, AND the filters) and, when the query
    /// has excluded words, the query of documents to drop (positive part AND
    /// any excluded word). Exclusion is applied after matching rather than
    /// with tantivy's `MustNot`, whose exclusion path trips over phrase
    /// scorers in tantivy 0.27 (`seek_danger` assertion).
    pub fn build_query(
        &self,
        q: &ParsedQuery,
        filters: &Filters,
    ) -> Result<BuiltQuery, SearchError> {
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut negatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for group in &q.groups {
            let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for c in group {
                let Some(cq) = self.clause_query(c) else {
                    continue;
                };
                if c.negated {
                    negatives.push((Occur::Should, cq));
                } else {
                    parts.push((Occur::Must, cq));
                }
            }
            if parts.is_empty() {
                continue; // nothing positive left after normalization
            }
            alternatives.push((Occur::Should, Box::new(BooleanQuery::new(parts))));
        }
        if alternatives.is_empty() {
            return Err(QueryError::Empty.into());
        }
        let main: Box<dyn Query> = if alternatives.len() == 1 {
            alternatives.pop().expect("one").1
        } else {
            Box::new(BooleanQuery::new(alternatives))
        };
        let filters = self.filter_queries(filters)?;
        let main: Box<dyn Query> = if filters.is_empty() {
            main
        } else {
            let mut all = vec![(Occur::Must, main)];
            all.extend(filters.into_iter().map(|q| (Occur::Must, q)));
            Box::new(BooleanQuery::new(all))
        };
        let neg: Option<Box<dyn Query>> = if negatives.is_empty() {
            None
        } else {
            Some(Box::new(BooleanQuery::new(vec![
                (Occur::Must, main.box_clone()),
                (Occur::Must, Box::new(BooleanQuery::new(negatives))),
            ])))
        };
        Ok((main, neg))
    }

    fn excluded(&self, neg: &Option<Box<dyn Query>>) -> Result<HashSet<DocAddress>, SearchError> {
        Ok(match neg {
            Some(n) => self.searcher.search(n.as_ref(), &DocSetCollector)?,
            None => HashSet::new(),
        })
    }

    /// Keys ([`super::walk::path_id`]) of all documents matching `query`,
    /// unordered, without loading stored documents (reads the `id` fast
    /// field). For tests, `--count`-style checks and the catalog.
    pub fn matching_ids(&self, query: &str, filters: &Filters) -> Result<Vec<String>, SearchError> {
        let (main, neg) = self.build_query(&parse(query)?, filters)?;
        let excluded = self.excluded(&neg)?;
        let docs = self.searcher.search(main.as_ref(), &DocSetCollector)?;
        let mut out = Vec::with_capacity(docs.len());
        let mut buf = String::new();
        for addr in docs {
            if excluded.contains(&addr) {
                continue;
            }
            let seg = self.searcher.segment_reader(addr.segment_ord);
            if let Some(col) = seg.fast_fields().str("id")?
                && let Some(ord) = col.term_ords(addr.doc_id).next()
            {
                buf.clear();
                col.ord_to_str(ord, &mut buf)
                    .map_err(|e| SearchError::Tantivy(e.into()))?;
                out.push(buf.clone());
            }
        }
        Ok(out)
    }

    /// Addresses of all live documents matching `query` (`None`: every
    /// document) and `filters`, unordered. Load them with
    /// [`ArchiveSearcher::searcher`]. Used by the catalog
    /// ([`super::catalog`]).
    pub fn matching_addresses(
        &self,
        query: Option<&str>,
        filters: &Filters,
    ) -> Result<Vec<DocAddress>, SearchError> {
        let (main, neg) = match query.filter(|q| !q.trim().is_empty()) {
            Some(q) => self.build_query(&parse(q)?, filters)?,
            None => {
                let mut all: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(AllQuery))];
                all.extend(
                    self.filter_queries(filters)?
                        .into_iter()
                        .map(|q| (Occur::Must, q)),
                );
                (Box::new(BooleanQuery::new(all)) as Box<dyn Query>, None)
            }
        };
        let excluded = self.excluded(&neg)?;
        let docs = self.searcher.search(main.as_ref(), &DocSetCollector)?;
        Ok(docs.into_iter().filter(|a| !excluded.contains(a)).collect())
    }

    /// The underlying tantivy searcher (one commit's view), e.g. to load the
    /// stored documents of [`ArchiveSearcher::matching_addresses`].
    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// Number of documents matching `query` and `filters`.
    pub fn count(&self, query: &str, filters: &Filters) -> Result<usize, SearchError> {
        let (main, neg) = self.build_query(&parse(query)?, filters)?;
        let n = self.count_matches(main.as_ref())?;
        Ok(n - self.excluded(&neg)?.len())
    }

    /// Number of live documents matching `query` (unscored), the segments
    /// counted on one thread per core, largest first. tantivy's executor
    /// hands out segments in index order, and on a large archive a few
    /// large segments hold most documents (tiered merges, `archive::merge`):
    /// one thread then still counted a large segment when the other had
    /// finished (laws ×100, 11 segments: 80 ms of CPU in 47.8 ms for
    /// `县级以上人民政府`). Largest first, the last to be counted are the
    /// smallest: 44.2 ms (BENCHMARKS.md, *×100 search*).
    fn count_matches(&self, query: &dyn Query) -> Result<usize, SearchError> {
        let weight = query.weight(EnableScoring::disabled_from_searcher(&self.searcher))?;
        let mut segments: Vec<&SegmentReader> = self.searcher.segment_readers().iter().collect();
        segments.sort_by_key(|s| std::cmp::Reverse(s.max_doc()));
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(segments.len())
            .max(1);
        let next = AtomicUsize::new(0);
        let count = || -> tantivy::Result<usize> {
            let mut n = 0;
            while let Some(segment) = segments.get(next.fetch_add(1, Ordering::Relaxed)) {
                n += weight.count(segment)? as usize;
            }
            Ok(n)
        };
        let total = std::thread::scope(|scope| {
            let others: Vec<_> = (1..threads).map(|_| scope.spawn(count)).collect();
            let mine = count();
            others
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(tantivy::TantivyError::InternalError(
                            "a counting thread panicked".into(),
                        ))
                    })
                })
                .chain([mine])
                .sum::<tantivy::Result<usize>>()
        })?;
        Ok(total)
    }

    /// Ranked hits for `query`. Errors: bad query or filter, tantivy failure.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<Vec<Hit>, SearchError> {
        Ok(self.search_page(query, opts)?.0)
    }

    /// [`Self::search`], and whether more documents match than
    /// `opts.limit` (always `false` for `limit` 0, all hits). Knowing it
    /// costs one more hit fetched, not a count of all matches.
    pub fn search_page(
        &self,
        query: &str,
        opts: &SearchOptions,
    ) -> Result<(Vec<Hit>, bool), SearchError> {
        let parsed = parse(query)?;
        let (q, neg) = self.build_query(&parsed, &opts.filters)?;
        let excluded = self.excluded(&neg)?;
        // Counting is a second pass over the matches: only `--limit 0` needs it.
        let limit = if opts.limit == 0 {
            self.count_matches(q.as_ref())?
        } else {
            opts.limit
        };
        if limit == 0 {
            return Ok((Vec::new(), false));
        }
        let fetch = limit + 1 + excluded.len();
        let addrs: Vec<(f32, DocAddress)> = match opts.sort {
            SortBy::Relevance => self
                .searcher
                .search(q.as_ref(), &TopDocs::with_limit(fetch).order_by_score())?,
            SortBy::DateDesc => self
                .searcher
                .search(
                    q.as_ref(),
                    &TopDocs::with_limit(fetch)
                        .order_by_fast_field::<tantivy::DateTime>("date", Order::Desc),
                )?
                .into_iter()
                .map(|(_, a)| (0.0, a))
                .collect(),
        };
        let needles: Vec<String> = parsed
            .groups
            .iter()
            .flatten()
            .filter(|c| !c.negated && matches!(c.target, Target::All))
            .flat_map(|c| spellings(&c.text))
            .map(|t| normalize(&t))
            .filter(|s| !s.is_empty())
            .collect();
        let mut kept: Vec<(f32, DocAddress)> = addrs
            .into_iter()
            .filter(|(_, a)| !excluded.contains(a))
            .take(limit + 1)
            .collect();
        let more = kept.len() > limit;
        kept.truncate(limit);
        let hits = kept
            .into_iter()
            .map(|(score, a)| self.hit(score, a, &needles))
            .collect::<Result<_, _>>()?;
        Ok((hits, more))
    }

    fn hit(&self, score: f32, addr: DocAddress, needles: &[String]) -> Result<Hit, SearchError> {
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let f = &self.fields;
        let s = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
        };
        let text = s(f.text).unwrap_or_default();
        let format = s(f.format).unwrap_or_default();
        let id = s(f.id).unwrap_or_default();
        let on_disk = super::walk::on_disk(&id);
        let quality = s(f.quality)
            .and_then(|q| serde_json::from_str(&q).ok())
            .unwrap_or(serde_json::Value::Null);
        Ok(Hit {
            path: s(f.path).unwrap_or_default(),
            title: s(f.title_text).unwrap_or_default(),
            score,
            snippet: snippet(&text, needles, SNIPPET_CHARS, paragraph_newlines(&format)),
            format,
            doc_number: s(f.doc_number),
            issuer: s(f.issuer),
            date: doc
                .get_first(f.date)
                .and_then(|v| v.as_datetime())
                .map(|d| iso_date(d.into_timestamp_secs())),
            doc_type: s(f.doc_type),
            classification: s(f.classification),
            quality: super::index::current_quality(&self.searcher, f, &id, quality),
            on_disk,
        })
    }
}

fn doc_type_name(text: &str) -> String {
    text.trim()
        .parse::<crate::meta::doc_type::DocType>()
        .map(|t| t.name().to_string())
        .unwrap_or_else(|_| text.trim().to_string())
}

/// `YYYY-MM-DD` of a Unix timestamp (UTC).
pub fn iso_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}

/// Line breaks that make a white-space run between two Chinese characters a
/// paragraph break in a snippet ([`snippet`]): 1 where the extractor writes
/// one line per block (Markdown, HTML, docx, OFD, a zip's member list), 2 in
/// plain text and PDF, where one line break may only wrap a sentence.
pub fn paragraph_newlines(format: &str) -> usize {
    match format {
        "txt" | "pdf" => 2,
        _ => 1,
    }
}

/// Cut a snippet of about `max_chars` characters (of the match form) of a
/// document's stored `text` around the first occurrence of any of `needles`
/// (normalized query strings), with every occurrence inside the window
/// highlighted. The query is found in the match form ([`match_view`]) and the
/// pieces are cut from `text` as written — full-width punctuation, capitals,
/// `……` — except that white space the match form drops next to Chinese text
/// prints as one space when it lies within a line, holds
/// `paragraph_newlines` line breaks (a paragraph break, see
/// [`paragraph_newlines`]) or follows a sentence's end (`。`, `：` …), and is
/// left out otherwise (a line break inside a sentence), and any other
/// white-space run prints as one space. `…` marks a cut. Without any
/// occurrence: the start of the text.
pub fn snippet(
    text: &str,
    needles: &[String],
    max_chars: usize,
    paragraph_newlines: usize,
) -> Vec<Fragment> {
    // Where the window goes, from the fast normalizer; the view (slower,
    // per character) is built only as far as the window's end.
    let norm = match_form(&normalize(text));
    let first = needles
        .iter()
        .filter(|n| !n.is_empty())
        .filter_map(|n| norm.find(n.as_str()))
        .min()
        .map(|b| norm[..b].chars().count());
    let total = norm.chars().count();
    let start = first
        .map_or(0, |c| c.saturating_sub(max_chars / 4))
        .min(total.saturating_sub(max_chars));
    // Far enough for a match that starts in the window to end in the view,
    // and one more character to know whether the text goes on.
    let longest = needles.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let view = match_view(text, start + max_chars + longest + 1);
    let mf = view.text.as_str();
    // (The view can be shorter than the normalizer's text where NFKC
    // composes across characters.)
    let start = start.min(view.len());
    let end = (start + max_chars).min(view.len());
    // Highlight every occurrence of every needle that overlaps the window.
    let mut lit = vec![false; end - start];
    let (wb, we) = (view.byte_of(start), view.byte_of(end));
    for n in needles.iter().filter(|n| !n.is_empty()) {
        let from = view.byte_of(start.saturating_sub(n.chars().count()));
        for (b, m) in mf[from..].match_indices(n.as_str()) {
            let (b, e) = (from + b, from + b + m.len());
            if b >= we {
                break;
            }
            if e <= wb {
                continue;
            }
            for c in view.char_index(b.max(wb))..view.char_index(e.min(we)) {
                lit[c - start] = true;
            }
        }
    }
    let mut out: Vec<Fragment> = Vec::new();
    let push = |out: &mut Vec<Fragment>, t: &str, h: bool| {
        if t.is_empty() {
            return;
        }
        if let Some(last) = out.last_mut()
            && last.highlight == h
        {
            last.text.push_str(t);
            return;
        }
        out.push(Fragment {
            text: t.to_string(),
            highlight: h,
        });
    };
    if start > 0 {
        push(&mut out, "…", false);
    }
    let mut prev: Option<std::ops::Range<usize>> = None;
    let mut prev_lit = false;
    // Characters of the match form shown, plus paragraph-break spaces: the
    // snippet stays within `max_chars`.
    let mut shown = 0;
    let mut cut = false;
    for ((c, m), &h) in (start..end).zip(mf[wb..we].chars()).zip(&lit) {
        let src = view.source(c);
        if prev.as_ref() == Some(&src) {
            continue; // one source character NFKC made several of
        }
        // White space the match form dropped next to a Chinese character
        // shows as one space when it is a paragraph break (`第一章 总则
        // 第一条`) or lies within a line (`第一条　为了`); a line break
        // inside a sentence (a wrap) is left out.
        let gap = prev.as_ref().map_or("", |p| &text[p.end..src.start]);
        let newlines = gap.matches('\n').count();
        // One line break after a sentence's end is a paragraph break even
        // where one break may be a wrap (txt with one article per line).
        let ends_sentence = || {
            let mut before = text[..prev.as_ref().map_or(0, |p| p.end)].chars().rev();
            match before.next() {
                Some('。' | '！' | '？' | '；' | '：') => true,
                Some('”' | '’' | '」' | '』') => {
                    matches!(before.next(), Some('。' | '！' | '？'))
                }
                _ => false,
            }
        };
        let para =
            m != ' ' && (newlines >= paragraph_newlines || (newlines >= 1 && ends_sentence()));
        let inline = m != ' '
            && !gap.is_empty()
            && !gap.contains('\n')
            && gap.chars().all(char::is_whitespace);
        let space = para || inline;
        if shown + usize::from(space) + 1 > max_chars {
            cut = true;
            break;
        }
        if space {
            // Inside a highlighted match (`Word 文档`) the space is lit too.
            push(&mut out, " ", inline && h && prev_lit);
            shown += 1;
        }
        // A space of the match form stands for a white space run.
        push(&mut out, if m == ' ' { " " } else { &text[src.clone()] }, h);
        shown += 1;
        prev = Some(src);
        prev_lit = h;
    }
    if cut || end < view.len() {
        push(&mut out, "…", false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The highlighted pieces of a snippet.
    fn lit_pieces(s: &[Fragment]) -> Vec<&str> {
        s.iter()
            .filter(|f| f.highlight)
            .map(|f| f.text.as_str())
            .collect()
    }

    #[test]
    fn snippet_centres_and_highlights() {
        let text = format!("{}做好办公室工作{}", "甲".repeat(300), "乙".repeat(300));
        let s = snippet(&text, &["办公室".to_string()], 150, 2);
        let all: String = s.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(all.chars().filter(|c| *c != '…').count(), 150);
        assert!(s.iter().any(|f| f.highlight && f.text == "办公室"));
        assert!(all.starts_with('…') && all.ends_with('…'));
    }

    /// The snippet is cut from the text as written: full-width
    /// punctuation, capitals and `……` stay, a line break inside a sentence
    /// is left out, and the highlight covers the written form of the match.
    #[test]
    fn snippet_keeps_the_written_text() {
        let text = "关于做好\r\n防汛工作的通知\n\n各区县：\n　　为做好防汛工作（含“抗旱”），请阅Word 文档……①第一项。e\u{301}cole";
        let needles = vec![normalize("word文档"), normalize("（含"), normalize("école")];
        let s = snippet(text, &needles, 150, 2);
        let all: String = s.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(
            all,
            "关于做好防汛工作的通知 各区县： 为做好防汛工作（含“抗旱”），请阅Word 文档……①第一项。e\u{301}cole"
        );
        let lit = lit_pieces(&s);
        assert_eq!(lit, vec!["（含", "Word 文档", "e\u{301}cole"]);
        // Where every line is a block (Markdown …), one line break is a
        // paragraph break: `各区县：` and `为做好` are two paragraphs.
        let s = snippet(text, &needles, 150, 1);
        let all: String = s.iter().map(|f| f.text.as_str()).collect();
        assert!(
            all.starts_with("关于做好 防汛工作的通知 各区县： 为做好"),
            "{all}"
        );
        // A window inside a long text: cut marks, the match inside it.
        let long = format!("{}一二三，四五{}", "甲\n".repeat(300), "乙".repeat(300));
        let s = snippet(&long, &[normalize("三,四")], 20, 2);
        let all: String = s.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(all, "…甲甲甲一二三，四五乙乙乙乙乙乙乙乙乙乙乙…");
        assert!(s.iter().any(|f| f.highlight && f.text == "三，四"));
    }

    /// White space within a line stays one space (`第一条　为了`), so does a
    /// line break after a sentence's end, a wrap inside a sentence is left
    /// out, and a space between two parts of a
    /// match is outside the highlight only where the match is.
    #[test]
    fn snippet_keeps_spaces_within_a_line() {
        let text = "第一条　为了规范值班\n工作，制定本办法。\n第二条 值班";
        let s = snippet(text, &[normalize("值班工作")], 150, 2);
        let all: String = s.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(all, "第一条 为了规范值班工作，制定本办法。 第二条 值班");
        let lit = lit_pieces(&s);
        assert_eq!(lit, vec!["值班工作"]);
        let s = snippet(text, &[normalize("第二条值班")], 150, 2);
        let lit = lit_pieces(&s);
        assert_eq!(lit, vec!["第二条 值班"]);
    }

    #[test]
    fn iso_dates() {
        assert_eq!(
            iso_date(date_time(2023, 5, 8).unwrap().into_timestamp_secs()),
            "2023-05-08"
        );
        assert_eq!(
            iso_date(date_time(1954, 9, 23).unwrap().into_timestamp_secs()),
            "1954-09-23"
        );
    }

    #[test]
    fn doc_number_variants() {
        assert_eq!(
            canonical_doc_number_text("国办发[2023]5号"),
            "国办发〔2023〕5号"
        );
        assert_eq!(
            canonical_doc_number_text("国办发【2023】5号"),
            "国办发〔2023〕5号"
        );
    }
}
