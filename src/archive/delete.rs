//! Deleting documents by term, with a delete operation that costs ~100
//! bytes while it waits in tantivy's delete queue.
//!
//! tantivy's `IndexWriter::delete_term` queues a `TermWeight` built for
//! scoring: a BM25 weight with a table of 256 scores (1 KB), an explanation
//! and the term — about 1.2 KB a delete. Queued deletes are kept until every
//! segment has applied them, and a merge applies to its result the deletes
//! queued while it ran, so they are kept for as long as the longest merge.
//! A `--rebuild` of laws ×100 deletes every one of its 350,200 documents (each
//! re-read file replaces its old version) while merges of up to a gigabyte
//! run; the queue then held up to ~100 MB and the build's peak RSS went over
//! 300 MB (BENCHMARKS.md, *Memory*). [`delete_term`] queues the same delete
//! as a weight of the term alone.

use tantivy::indexer::IndexWriter;
use tantivy::query::{ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Document, IndexRecordOption};
use tantivy::{DocId, DocSet, Opstamp, Score, SegmentReader, TantivyError, Term};

/// Delete every document whose field holds `term` (the field must be
/// indexed), as `IndexWriter::delete_term` does: the delete takes effect at
/// the next commit, for documents added before it. Returns the operation's
/// opstamp.
pub fn delete_term<D: Document>(writer: &IndexWriter<D>, term: Term) -> Opstamp {
    match writer.delete_query(Box::new(TermDelete(term.clone()))) {
        Ok(stamp) => stamp,
        // `TermDelete::weight` does not fail; tantivy's own delete then.
        Err(_) => writer.delete_term(term),
    }
}

/// The documents holding a term, unscored: the query of [`delete_term`].
#[derive(Clone, Debug)]
struct TermDelete(Term);

impl Query for TermDelete {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(TermDeleteWeight(self.0.clone())))
    }
}

struct TermDeleteWeight(Term);

impl Weight for TermDeleteWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let postings = reader
            .inverted_index(self.0.field())?
            .read_postings(&self.0, IndexRecordOption::Basic)?;
        Ok(match postings {
            Some(p) => Box::new(ConstScorer::new(p, boost)),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.scorer(reader, 1.0)?.seek(doc) == doc {
            Ok(Explanation::new("TermDelete", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not hold the term"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::Count;
    use tantivy::query::TermQuery;
    use tantivy::schema::{STRING, Schema};
    use tantivy::{Index, TantivyDocument, doc};

    use super::*;

    #[test]
    fn deletes_exactly_the_documents_holding_the_term_in_every_segment() {
        let mut b = Schema::builder();
        let id = b.add_text_field("id", STRING);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter<TantivyDocument> =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Two segments, "b" in both.
        for name in ["a", "b", "c"] {
            w.add_document(doc!(id => name)).unwrap();
        }
        w.commit().unwrap();
        for name in ["b", "d"] {
            w.add_document(doc!(id => name)).unwrap();
        }
        w.commit().unwrap();
        delete_term(&w, Term::from_field_text(id, "b"));
        // A term no document holds deletes nothing.
        delete_term(&w, Term::from_field_text(id, "z"));
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let count = |s: &str| {
            let q = TermQuery::new(Term::from_field_text(id, s), IndexRecordOption::Basic);
            searcher.search(&q, &Count).unwrap()
        };
        assert_eq!(searcher.segment_readers().len(), 2);
        assert_eq!(searcher.num_docs(), 3);
        assert_eq!(
            (count("a"), count("b"), count("c"), count("d")),
            (1, 0, 1, 1)
        );
    }
}
