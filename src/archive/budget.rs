//! A byte bound on the documents waiting in tantivy's indexing queue.
//!
//! `IndexWriter::add_document` hands each document to the indexing threads
//! through a channel bounded at 10,000 *documents* (tantivy's
//! `PIPELINE_MAX_SIZE_IN_DOCS`), whatever their size. Extraction is cheaper
//! per document than indexing, so the queue fills: 10,000 laws of ~16 KB of
//! text, each held twice (the indexed `body` and the stored `text`), is
//! ~300 MB of waiting documents — the part of the indexing process's peak
//! RSS that varied from one ×10 build to the next. [`DocBudget`] bounds the
//! bytes instead: [`DocBudget::wrap`] blocks until the documents still queued
//! leave room, and each [`BudgetedDoc`] gives its bytes back when tantivy
//! drops it, after indexing it. Laws ×10 (35,020 files), peak RSS of full
//! builds alternating with the binary before: 184–215 MB in 6 builds against
//! 195–246 MB. Laws ×1 build time, three A/Bs of `bench/build_ab.py` (8–10
//! rounds each, a noisy VM hour): medians 2.24/1.97/2.12 s against
//! 2.18/2.01/2.21 s without the bound — the same within the noise — but the
//! minima 0.1–0.2 s higher (CPU minima +0.24–0.33 s): worth a re-check on a
//! quiet machine.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tantivy::TantivyDocument;
use tantivy::schema::{Document, Value};

/// Bytes of documents handed to tantivy and not yet indexed, with a limit.
#[derive(Debug)]
pub struct DocBudget {
    limit: usize,
    used: Mutex<usize>,
    freed: Condvar,
}

impl DocBudget {
    /// A budget of `limit` bytes of document text in flight.
    pub fn new(limit: usize) -> Arc<DocBudget> {
        Arc::new(DocBudget {
            limit,
            used: Mutex::new(0),
            freed: Condvar::new(),
        })
    }

    /// Wrap `doc` for `IndexWriter<BudgetedDoc>::add_document`, first waiting
    /// until its text bytes fit in the budget (a document larger than the
    /// whole budget waits for an empty queue). A wait never lasts more than
    /// 10 s, so an indexing thread that died cannot hang the run: tantivy
    /// then reports its error on the next call.
    pub fn wrap(self: &Arc<Self>, doc: TantivyDocument) -> BudgetedDoc {
        let bytes = text_bytes(&doc);
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        let mut waited = Duration::ZERO;
        while *used > 0 && *used + bytes > self.limit && waited < Duration::from_secs(10) {
            let step = Duration::from_millis(100);
            used = self
                .freed
                .wait_timeout(used, step)
                .unwrap_or_else(|p| p.into_inner())
                .0;
            waited += step;
        }
        *used += bytes;
        BudgetedDoc {
            doc,
            bytes,
            budget: Arc::clone(self),
        }
    }

    /// Bytes currently in flight.
    pub fn used(&self) -> usize {
        *self.used.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Bytes of the string values of `doc` (its text, title, path …).
fn text_bytes(doc: &TantivyDocument) -> usize {
    doc.iter_fields_and_values()
        .filter_map(|(_, v)| v.as_str().map(str::len))
        .sum()
}

/// A document on its way through tantivy's indexing queue; dropping it
/// (tantivy does, once it is indexed) returns its bytes to the budget.
#[derive(Debug)]
pub struct BudgetedDoc {
    doc: TantivyDocument,
    bytes: usize,
    budget: Arc<DocBudget>,
}

impl Drop for BudgetedDoc {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|p| p.into_inner());
        *used = used.saturating_sub(self.bytes);
        self.budget.freed.notify_all();
    }
}

impl Document for BudgetedDoc {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{STORED, Schema, TEXT};

    #[test]
    fn wrapped_documents_hold_their_text_bytes_until_dropped() {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT | STORED);
        let _ = b.build();
        let budget = DocBudget::new(1_000);
        let mut d = TantivyDocument::new();
        d.add_text(body, "关于做好防汛工作的通知"); // 11 CJK chars = 33 bytes
        let a = budget.wrap(d.clone());
        let c = budget.wrap(d);
        assert_eq!(budget.used(), 66);
        assert_eq!(a.iter_fields_and_values().count(), 1);
        drop(a);
        assert_eq!(budget.used(), 33);
        drop(c);
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn a_full_budget_waits_until_a_document_is_dropped() {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let _ = b.build();
        let budget = DocBudget::new(40);
        let mut d = TantivyDocument::new();
        d.add_text(body, "关于做好防汛工作的通知");
        let first = budget.wrap(d.clone());
        let t = std::time::Instant::now();
        let waiter = {
            let budget = Arc::clone(&budget);
            std::thread::spawn(move || budget.wrap(d))
        };
        std::thread::sleep(Duration::from_millis(300));
        assert!(!waiter.is_finished(), "33 + 33 bytes do not fit in 40");
        drop(first);
        let second = waiter.join().unwrap();
        assert!(t.elapsed() < Duration::from_secs(5));
        assert_eq!(budget.used(), 33);
        drop(second);
        assert_eq!(budget.used(), 0);
    }
}
