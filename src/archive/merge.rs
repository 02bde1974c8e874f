//! Segment merging in tiers, with a byte bound on what one merge reads at
//! once, so that indexing memory does not grow with the archive.
//!
//! tantivy's default `LogMergePolicy` bounds merges by document count only.
//! The writer reads its files with copies, not maps ([`super::directory`]):
//! the memory a merge takes is what it holds at one time — the postings of
//! one term from each input, and, when no input has deleted documents, one
//! input's doc store, which tantivy reads whole to append it (about 40 % of
//! a segment's bytes). [`BoundedMergePolicy`] therefore bounds the *inputs*:
//! a segment over [`BoundedMergePolicy::max_input_bytes`] is never merged
//! again (except alone, to purge deleted documents, which reads the store
//! block by block). Below the bound, segments are merged in tiers, as
//! tantivy's log policy does: [`BoundedMergePolicy::min_segments`] segments
//! of about the same size (within a factor of [`TIER_RATIO`]) become one.
//! Fresh segments (~16 MB with the default writer budget) become ~128 MB
//! segments, eight of those a final ~1 GB one; laws ×100 (4.9 GB of index)
//! ends in 11–13 segments (from scratch), which a search process opens one by one.
//! Until the writer read with copies, every page a merge read stayed mapped
//! and counted in the process's RSS, so a merge's whole input was bounded at
//! 96 MB and laws ×100 ended in 61 segments (BENCHMARKS.md, *×100 search*).

use std::cmp::Reverse;
use std::collections::HashMap;
use std::path::PathBuf;

use tantivy::index::SegmentMeta;
use tantivy::indexer::{MergeCandidate, MergePolicy};

/// Segments within this factor of the largest of their tier are one tier.
pub const TIER_RATIO: u64 = 4;

/// Merge policy: segments of at most [`Self::max_input_bytes`] are merged
/// [`Self::min_segments`] at a time among segments of about the same size
/// (sizes under [`Self::min_tier_bytes`] count as that size; a tier is the
/// segments within a factor of [`TIER_RATIO`] of its largest); larger
/// segments are final. A segment with more than a third of its documents
/// deleted is rewritten alone (purged), whatever its size.
#[derive(Debug, Clone)]
pub struct BoundedMergePolicy {
    /// The tantivy index directory (`<dir>/index`), where segment files are
    /// measured.
    pub index_dir: PathBuf,
    /// Largest segment, in bytes of its files, that is merged with others.
    pub max_input_bytes: u64,
    /// Segments smaller than this, in bytes, are one tier.
    pub min_tier_bytes: u64,
    /// Segments merged at once (except purges of deleted documents).
    pub min_segments: usize,
}

impl BoundedMergePolicy {
    /// Policy for the index files in `index_dir`: inputs of at most 160 MB
    /// (a doc store of ~65 MB read at once), eight at a time (tantivy's
    /// default merge factor), segments under 16 MB one tier.
    pub fn new(index_dir: PathBuf) -> Self {
        BoundedMergePolicy {
            index_dir,
            max_input_bytes: 160 << 20,
            min_tier_bytes: 16 << 20,
            min_segments: 8,
        }
    }

    /// Bytes on disk per segment id (sum of its files; 0 when unreadable).
    fn sizes(&self) -> HashMap<String, u64> {
        let mut out: HashMap<String, u64> = HashMap::new();
        let Ok(rd) = std::fs::read_dir(&self.index_dir) else {
            return out;
        };
        for e in rd.flatten() {
            let name = e.file_name();
            let Some(name) = name.to_str() else { continue };
            let Some((uuid, _)) = name.split_once('.') else {
                continue;
            };
            let len = e.metadata().map(|m| m.len()).unwrap_or(0);
            *out.entry(uuid.to_string()).or_default() += len;
        }
        out
    }

    /// Candidates from `(segment, bytes, deleted share)` triples; pure, for
    /// testing.
    fn plan(&self, segs: Vec<(SegmentMeta, u64, f64)>) -> Vec<MergeCandidate> {
        let (purge, mut rest): (Vec<_>, Vec<_>) = segs
            .into_iter()
            .partition(|(_, _, deleted)| *deleted > 1.0 / 3.0);
        let mut out: Vec<MergeCandidate> = purge
            .iter()
            .map(|(meta, _, _)| MergeCandidate(vec![meta.id()]))
            .collect();
        rest.retain(|(_, bytes, _)| *bytes <= self.max_input_bytes);
        let size = |bytes: u64| bytes.max(self.min_tier_bytes);
        rest.sort_by_key(|(_, bytes, _)| Reverse((size(*bytes), *bytes)));
        let mut i = 0;
        while i < rest.len() {
            let top = size(rest[i].1);
            let tier = rest[i..]
                .iter()
                .take_while(|(_, bytes, _)| size(*bytes) * TIER_RATIO > top)
                .count();
            for group in rest[i..i + tier].chunks_exact(self.min_segments.max(2)) {
                out.push(MergeCandidate(
                    group.iter().map(|(m, _, _)| m.id()).collect(),
                ));
            }
            i += tier;
        }
        out
    }
}

impl MergePolicy for BoundedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let sizes = self.sizes();
        let segs = segments
            .iter()
            .map(|m| {
                let bytes = sizes.get(&m.id().uuid_string()).copied().unwrap_or(0);
                let deleted = if m.max_doc() == 0 {
                    0.0
                } else {
                    m.num_deleted_docs() as f64 / m.max_doc() as f64
                };
                (m.clone(), bytes, deleted)
            })
            .collect();
        self.plan(segs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::index::SegmentId;

    fn metas(n: usize) -> Vec<SegmentMeta> {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        (0..n)
            .map(|_| index.new_segment_meta(SegmentId::generate_random(), 100))
            .collect()
    }

    fn policy() -> BoundedMergePolicy {
        BoundedMergePolicy {
            index_dir: PathBuf::new(),
            max_input_bytes: 1000,
            min_tier_bytes: 10,
            min_segments: 3,
        }
    }

    fn with_sizes(m: &[SegmentMeta], sizes: &[u64]) -> Vec<(SegmentMeta, u64, f64)> {
        m.iter()
            .zip(sizes)
            .map(|(s, b)| (s.clone(), *b, 0.0))
            .collect()
    }

    fn ids(c: &MergeCandidate) -> Vec<SegmentId> {
        let mut v = c.0.clone();
        v.sort();
        v
    }

    #[test]
    fn segments_of_one_tier_merge_by_min_segments_and_the_rest_wait() {
        let m = metas(7);
        // Under min_tier_bytes all sizes are one tier: two groups of three, one waits.
        let got = policy().plan(with_sizes(&m, &[1, 9, 2, 5, 3, 8, 4]));
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|c| c.0.len() == 3));
        let merged: Vec<SegmentId> = got.iter().flat_map(ids).collect();
        // The largest go first; the smallest (1 byte) waits.
        assert!(!merged.contains(&m[0].id()));
    }

    #[test]
    fn segments_of_different_tiers_are_not_merged_together() {
        let m = metas(6);
        // 400, 300, 200 are one tier (4 × 200 > 400), 50, 40, 13 another
        // (4 × 50 is not over 200; 4 × 13 > 50).
        let got = policy().plan(with_sizes(&m, &[400, 50, 300, 40, 200, 13]));
        assert_eq!(got.len(), 2);
        let mut groups: Vec<Vec<SegmentId>> = got.iter().map(ids).collect();
        groups.sort_by_key(|g| g.len());
        let mut big = vec![m[0].id(), m[2].id(), m[4].id()];
        big.sort();
        let mut small = vec![m[1].id(), m[3].id(), m[5].id()];
        small.sort();
        assert!(groups.contains(&big), "{groups:?}");
        assert!(groups.contains(&small), "{groups:?}");
        // Two of a tier wait for a third.
        let got = policy().plan(with_sizes(&m[..4], &[400, 50, 300, 40]));
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn segments_over_the_input_bound_are_final() {
        let m = metas(4);
        let got = policy().plan(with_sizes(&m, &[1001, 1500, 999, 998]));
        assert!(got.is_empty(), "{got:?}");
        let got = policy().plan(with_sizes(&m, &[1000, 1000, 999, 5000]));
        assert_eq!(got.len(), 1);
        assert!(!ids(&got[0]).contains(&m[3].id()));
    }

    #[test]
    fn a_mostly_deleted_segment_is_purged_alone_whatever_its_size() {
        let m = metas(3);
        let segs = vec![
            (m[0].clone(), 5000, 0.5),
            (m[1].clone(), 10, 0.2),
            (m[2].clone(), 10, 0.0),
        ];
        let got = policy().plan(segs);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, vec![m[0].id()]);
    }
}
