//! Exact phrase matching on the character fields when no score is needed
//! (`search --count`, `--limit 0`, excluded words, the catalogue's filters).
//!
//! A query of n characters is a phrase of n character terms (see
//! [`super::tokenize`]). tantivy's `PhraseQuery` checks a candidate document
//! by decoding *every* position of every term of the phrase in it and
//! intersecting the lists in phrase order. For the characters an archive of
//! laws is made of (`第` `条` `人` `民` …) that is thousands of positions per
//! document, most of them after the first occurrence that already decides
//! the match. [`CharPhraseQuery`] answers the same question — does the
//! document hold the characters at these relative positions — by a leapfrog
//! over the terms' position lists, read lazily in chunks of
//! [`CHUNK`] positions and led by the term rarest in the document: it stops at
//! the first occurrence, and a document without one is rejected as soon as
//! any term runs out. The documents matched are exactly `PhraseQuery`'s
//! (the tests below compare both, and a substring scan, on random texts of
//! several segments with deletions); only scoring (BM25 over the phrase
//! frequency) still uses `PhraseQuery`.
//!
//! The postings are read through tantivy's public low-level API
//! ([`BlockSegmentPostings`] for document ids and term frequencies,
//! [`PositionReader`] for positions): the position list of a document starts
//! at the term's position offset plus the frequencies of the documents
//! before it, positions are stored as deltas from 0 within a document.

use std::path::PathBuf;

use tantivy::directory::{CompositeFile, Directory};
use tantivy::positions::PositionReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, PhraseQuery, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Index, Score, SegmentReader, TERMINATED, Term};

/// Positions decoded at a time from one term's list.
pub const CHUNK: usize = 32;

/// Phrase query over a character field: the documents whose field holds each
/// term at its offset from the phrase's start. `terms` are `(offset, term)`
/// pairs as [`super::tokenize::char_positions`] gives them, at least two,
/// all of `field`. With scoring it is tantivy's [`PhraseQuery`] (same
/// documents, BM25 scores).
#[derive(Clone, Debug)]
pub struct CharPhraseQuery {
    field: Field,
    terms: Vec<(usize, Term)>,
}

impl CharPhraseQuery {
    /// The phrase of `terms` (offset, term), all in `field`. Panics when
    /// fewer than two terms are given or a term is of another field (a
    /// programming error: one character is a `TermQuery`).
    pub fn new(field: Field, terms: Vec<(usize, Term)>) -> CharPhraseQuery {
        assert!(terms.len() >= 2, "a phrase has at least two terms");
        assert!(terms.iter().all(|(_, t)| t.field() == field));
        CharPhraseQuery { field, terms }
    }

    fn phrase_query(&self) -> PhraseQuery {
        PhraseQuery::new_with_offset(self.terms.clone())
    }
}

impl Query for CharPhraseQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        match enable_scoring.searcher() {
            Some(searcher) if !enable_scoring.is_scoring_enabled() => {
                Ok(Box::new(CharPhraseWeight {
                    index: searcher.index().clone(),
                    field: self.field,
                    terms: self.terms.clone(),
                }))
            }
            _ => self.phrase_query().weight(enable_scoring),
        }
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (_, t) in &self.terms {
            visitor(t, true);
        }
    }
}

struct CharPhraseWeight {
    index: Index,
    field: Field,
    terms: Vec<(usize, Term)>,
}

impl CharPhraseWeight {
    fn phrase_scorer(&self, reader: &SegmentReader) -> tantivy::Result<Option<CharPhraseScorer>> {
        let inverted = reader.inverted_index(self.field)?;
        let mut infos = Vec::with_capacity(self.terms.len());
        for (offset, term) in &self.terms {
            match inverted.get_term_info(term)? {
                Some(info) => infos.push((*offset as u32, info)),
                None => return Ok(None),
            }
        }
        // `SegmentReader` keeps its positions file to itself; this is the
        // name tantivy gives it (`SegmentMeta::relative_path`).
        let path = PathBuf::from(format!("{}.pos", reader.segment_id().uuid_string()));
        let positions_file = self.index.directory().open_read(&path)?;
        let Some(positions) = CompositeFile::open(&positions_file)?.open_read(self.field) else {
            return Ok(None);
        };
        let mut cursors = Vec::with_capacity(infos.len());
        for (offset, info) in infos {
            let postings =
                inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
            let reader = PositionReader::open(positions.read_bytes_slice(info.positions_range)?)?;
            cursors.push(TermCursor {
                postings,
                idx: 0,
                pos_offset: 0,
                reader,
                offset,
                stream: PosStream::default(),
            });
        }
        Ok(Some(CharPhraseScorer::new(
            cursors,
            reader.alive_bitset().cloned(),
        )))
    }
}

impl Weight for CharPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.phrase_scorer(reader)? {
            Some(s) => Box::new(s),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("CharPhraseScorer (unscored)", 1.0))
    }
}

/// One term of the phrase in one segment: a cursor over its postings
/// (document ids and frequencies, block by block) and its position list.
struct TermCursor {
    postings: BlockSegmentPostings,
    /// Index of the current document in the current block.
    idx: usize,
    /// Offset in the term's position list of the current document's first
    /// position.
    pos_offset: u64,
    reader: PositionReader,
    /// Offset of this term from the phrase's start.
    offset: u32,
    stream: PosStream,
}

impl TermCursor {
    fn term_freq(&self) -> u32 {
        self.postings.freqs()[self.idx]
    }

    /// Move to the first document ≥ `target` (never backwards); its id or
    /// [`TERMINATED`]. Blocks are walked one by one, not skipped, because
    /// the position offset of a document is the sum of the frequencies
    /// before it.
    fn seek(&mut self, target: DocId) -> DocId {
        loop {
            let docs = self.postings.docs();
            if docs.is_empty() {
                return TERMINATED;
            }
            if *docs.last().expect("non-empty block") >= target {
                let freqs = self.postings.freqs();
                while docs[self.idx] < target {
                    self.pos_offset += freqs[self.idx] as u64;
                    self.idx += 1;
                }
                return docs[self.idx];
            }
            let freqs = self.postings.freqs();
            self.pos_offset += freqs[self.idx..].iter().map(|&f| f as u64).sum::<u64>();
            self.postings.advance();
            self.idx = 0;
        }
    }

    /// Start reading the current document's positions.
    fn open_positions(&mut self) {
        let left = self.term_freq();
        let s = &mut self.stream;
        s.next_offset = self.pos_offset;
        s.left = left;
        s.len = 0;
        s.i = 0;
        s.cum = 0;
    }

    /// The first position of the current document ≥ `target`, or `None`
    /// when the document has none.
    fn position_at_least(&mut self, target: u32) -> Option<u32> {
        let s = &mut self.stream;
        loop {
            if s.i < s.len {
                let last = s.buf[s.len - 1];
                if last < target {
                    s.i = s.len;
                } else {
                    while s.buf[s.i] < target {
                        s.i += 1;
                    }
                    return Some(s.buf[s.i]);
                }
            }
            if s.left == 0 {
                return None;
            }
            let n = (s.left as usize).min(CHUNK);
            self.reader.read(s.next_offset, &mut s.buf[..n]);
            let mut cum = s.cum;
            for p in &mut s.buf[..n] {
                cum += *p;
                *p = cum;
            }
            s.cum = cum;
            s.next_offset += n as u64;
            s.left -= n as u32;
            s.len = n;
            s.i = 0;
        }
    }
}

/// Reading state of one term's positions in the current document.
#[derive(Default)]
struct PosStream {
    buf: [u32; CHUNK],
    len: usize,
    i: usize,
    /// Offset in the term's position list of the next position to decode.
    next_offset: u64,
    /// Positions not yet decoded.
    left: u32,
    /// Last decoded position (positions are deltas from 0).
    cum: u32,
}

struct CharPhraseScorer {
    cursors: Vec<TermCursor>,
    /// Index of the cursor with the fewest documents: it leads the
    /// document-level intersection.
    lead: usize,
    /// Cursor indexes by ascending term frequency in the current document.
    order: Vec<usize>,
    alive: Option<tantivy::fastfield::AliveBitSet>,
    doc: DocId,
}

impl CharPhraseScorer {
    fn new(
        cursors: Vec<TermCursor>,
        alive: Option<tantivy::fastfield::AliveBitSet>,
    ) -> CharPhraseScorer {
        let lead = (0..cursors.len())
            .min_by_key(|&i| cursors[i].postings.doc_freq())
            .unwrap_or(0);
        let order = (0..cursors.len()).collect();
        let mut s = CharPhraseScorer {
            cursors,
            lead,
            order,
            alive,
            doc: 0,
        };
        s.doc = s.search_from(0);
        s
    }

    /// The first matching live document ≥ `target`.
    fn search_from(&mut self, mut target: DocId) -> DocId {
        'docs: loop {
            let d = self.cursors[self.lead].seek(target);
            if d == TERMINATED {
                return TERMINATED;
            }
            for i in 0..self.cursors.len() {
                if i == self.lead {
                    continue;
                }
                let e = self.cursors[i].seek(d);
                if e != d {
                    if e == TERMINATED {
                        return TERMINATED;
                    }
                    target = e;
                    continue 'docs;
                }
            }
            if self.alive.as_ref().is_none_or(|a| a.is_alive(d)) && self.phrase_exists() {
                return d;
            }
            target = d + 1;
        }
    }

    /// Whether the current document (all cursors on it) holds the phrase:
    /// a leapfrog over the terms' positions, rarest term first.
    fn phrase_exists(&mut self) -> bool {
        for c in &mut self.cursors {
            c.open_positions();
        }
        // Insertion sort: phrases are short, and the order often stays.
        for k in 1..self.order.len() {
            let mut j = k;
            while j > 0
                && self.cursors[self.order[j]].stream.left
                    < self.cursors[self.order[j - 1]].stream.left
            {
                self.order.swap(j, j - 1);
                j -= 1;
            }
        }
        // `start`: candidate position of the phrase's start (offset 0).
        let mut start = 0u32;
        'candidates: loop {
            for &i in &self.order {
                let c = &mut self.cursors[i];
                let need = start + c.offset;
                match c.position_at_least(need) {
                    None => return false,
                    Some(p) if p == need => {}
                    Some(p) => {
                        start = p - c.offset;
                        continue 'candidates;
                    }
                }
            }
            return true;
        }
    }
}

impl DocSet for CharPhraseScorer {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.search_from(self.doc + 1);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc < target {
            self.doc = self.search_from(target);
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.cursors[self.lead].postings.doc_freq()
    }
}

impl Scorer for CharPhraseScorer {
    fn score(&mut self) -> Score {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use tantivy::collector::{Count, DocSetCollector};
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    use tantivy::{DocAddress, IndexWriter, TantivyDocument};

    use super::*;
    use crate::archive::tokenize::{CHAR_TOKENIZER, CharTokenizer, char_positions};

    /// An in-memory index of `texts` in one character field (positions),
    /// with the documents at `deleted` deleted, written in several commits
    /// so that there are several segments.
    fn index_of(texts: &[String], deleted: &[usize]) -> (Index, Field) {
        let mut b = Schema::builder();
        let id = b.add_u64_field("id", tantivy::schema::INDEXED);
        let body = b.add_text_field(
            "body",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(CHAR_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let index = Index::create_in_ram(b.build());
        index
            .tokenizers()
            .register(CHAR_TOKENIZER, CharTokenizer::default());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        w.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for (i, t) in texts.iter().enumerate() {
            let mut d = TantivyDocument::default();
            d.add_u64(id, i as u64);
            d.add_text(body, t);
            w.add_document(d).unwrap();
            if i % 400 == 399 {
                w.commit().unwrap();
            }
        }
        w.commit().unwrap();
        for &i in deleted {
            w.delete_term(Term::from_field_u64(id, i as u64));
        }
        w.commit().unwrap();
        (index, body)
    }

    fn phrase(field: Field, q: &str) -> CharPhraseQuery {
        let terms = char_positions(q)
            .into_iter()
            .map(|(p, c)| (p, Term::from_field_text(field, &c.to_string())))
            .collect();
        CharPhraseQuery::new(field, terms)
    }

    fn docs(index: &Index, q: &dyn Query) -> BTreeSet<DocAddress> {
        let searcher = index.reader().unwrap().searcher();
        searcher
            .search(q, &DocSetCollector)
            .unwrap()
            .into_iter()
            .collect()
    }

    /// Whether `text` holds `q` as the index sees it: the same characters
    /// at the same relative positions (white space is a one-position gap).
    fn holds(text: &str, q: &str) -> bool {
        let t = char_positions(text);
        let q = char_positions(q);
        let at: BTreeSet<(usize, char)> = t.iter().copied().collect();
        t.iter()
            .any(|&(p, _)| q.iter().all(|&(o, c)| at.contains(&(p + o, c))))
    }

    /// Texts over a four-letter alphabet with spaces: each letter occurs
    /// hundreds of times in the long ones (several 128-position blocks per
    /// document), and there are more than 128 documents per segment.
    fn random_texts(rng: &mut fastrand::Rng, n: usize) -> Vec<String> {
        (0..n)
            .map(|_| {
                let len = if rng.u8(..) < 40 {
                    rng.usize(300..1500)
                } else {
                    rng.usize(0..40)
                };
                (0..len)
                    .map(|_| ['甲', '乙', '丙', 'x', ' '][rng.usize(..5)])
                    .collect()
            })
            .collect()
    }

    /// The documents matched are exactly those holding the phrase, and
    /// exactly tantivy's `PhraseQuery`'s, live documents only.
    #[test]
    fn same_documents_as_phrase_query_and_as_a_scan() {
        let mut rng = fastrand::Rng::with_seed(9704);
        let texts = random_texts(&mut rng, 1000);
        let deleted: Vec<usize> = (0..1000).filter(|i| i % 7 == 3).collect();
        let (index, field) = index_of(&texts, &deleted);
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 3);
        let queries = [
            "甲乙",
            "乙甲",
            "甲甲",
            "甲甲甲",
            "甲乙丙",
            "丙x甲乙",
            "甲 乙",
            "x x",
            "甲乙丙甲乙",
            "丙丙丙丙",
            "xx",
            "甲乙 丙x",
        ];
        let mut nonempty = 0;
        for q in queries {
            let ours = docs(&index, &phrase(field, q));
            let theirs = docs(&index, &phrase(field, q).phrase_query());
            assert_eq!(ours, theirs, "query {q:?}");
            // Against a scan of the texts: count live holders.
            let expected = texts
                .iter()
                .enumerate()
                .filter(|(i, t)| !deleted.contains(i) && holds(t, q))
                .count();
            assert_eq!(ours.len(), expected, "query {q:?}");
            assert_eq!(
                searcher.search(&phrase(field, q), &Count).unwrap(),
                expected,
                "query {q:?}"
            );
            if expected > 0 && expected < texts.len() - deleted.len() {
                nonempty += 1;
            }
        }
        assert!(nonempty >= 8, "queries should split the documents");
    }

    /// A phrase whose only occurrence lies past the first chunk of
    /// positions, behind many near misses, is found; one character short of
    /// it is not.
    #[test]
    fn occurrence_far_into_a_long_document() {
        let mut long = "甲乙 ".repeat(500);
        long.push_str("甲乙丙");
        let texts = vec![long, "甲乙".repeat(300), "丙甲乙".to_string()];
        let (index, field) = index_of(&texts, &[]);
        assert_eq!(docs(&index, &phrase(field, "甲乙丙")).len(), 1);
        assert_eq!(docs(&index, &phrase(field, "乙丙")).len(), 1);
        assert_eq!(docs(&index, &phrase(field, "丙甲")).len(), 1);
        assert_eq!(docs(&index, &phrase(field, "乙甲")).len(), 1);
        assert_eq!(docs(&index, &phrase(field, "甲乙")).len(), 3);
        assert_eq!(docs(&index, &phrase(field, "乙 甲")).len(), 1);
        assert_eq!(docs(&index, &phrase(field, "甲丙")).len(), 0);
    }

    /// With scoring the query is tantivy's phrase query: same documents,
    /// BM25 scores (not the constant 1 of the unscored scorer).
    #[test]
    fn scored_search_ranks_by_bm25() {
        let texts = vec!["甲乙".to_string(), "甲乙甲乙甲乙丙".to_string()];
        let (index, field) = index_of(&texts, &[]);
        let searcher = index.reader().unwrap().searcher();
        let top = searcher
            .search(
                &phrase(field, "甲乙"),
                &tantivy::collector::TopDocs::with_limit(2).order_by_score(),
            )
            .unwrap();
        assert_eq!(top.len(), 2);
        assert!(top[0].0 != 1.0 && top[0].0 > 0.0);
    }
}
