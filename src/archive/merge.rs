//! Segment merging with a byte bound, so that indexing memory does not grow
//! with the archive.
//!
//! tantivy reads the segments it merges through memory maps; every page of
//! a merge's inputs becomes resident in the indexing process until the merge
//! ends. Its default `LogMergePolicy` bounds merges by document count only
//! (10 million), so on a large archive a late merge maps hundreds of
//! megabytes and peak RSS grows with the corpus (laws ×10: 295 MB of mapped
//! pages). [`BoundedMergePolicy`] merges only segments whose files total less
//! than [`BoundedMergePolicy::max_merge_bytes`] together; larger segments
//! are left as they are. With one merge thread (see
//! [`super::index::ArchiveIndex::writer`]) the mapped input of merging is
//! therefore at most that many bytes, whatever the archive size. The price
//! is more segments on large archives: about one per half to whole
//! `max_merge_bytes` of index. Each costs a search process the opening of
//! its files (laws ×100: 16 ms for 149 segments, 3 ms for 12).

use std::collections::HashMap;
use std::path::PathBuf;

use tantivy::index::SegmentMeta;
use tantivy::indexer::{MergeCandidate, MergePolicy};

/// Merge policy: tiers segments by size and merges, smallest first, groups
/// of at least [`Self::min_segments`] whose files total at most
/// [`Self::max_merge_bytes`]; a group that the next segment would take over
/// the bound merges with fewer members (at least two) when it fills half the
/// bound. Segments with more than a third of their documents deleted are
/// merged (purged) in the same way, even alone. Segments over half the bound
/// are final.
#[derive(Debug, Clone)]
pub struct BoundedMergePolicy {
    /// The tantivy index directory (`<dir>/index`), where segment files are
    /// measured.
    pub index_dir: PathBuf,
    /// Upper bound, in bytes of segment files, of one merge's input.
    pub max_merge_bytes: u64,
    /// Fewest segments merged at once (except purges of deleted documents).
    pub min_segments: usize,
}

impl BoundedMergePolicy {
    /// Policy for the index files in `index_dir`: merges of at most 96 MB,
    /// at least 8 segments at a time (tantivy's default merge factor).
    pub fn new(index_dir: PathBuf) -> Self {
        BoundedMergePolicy {
            index_dir,
            max_merge_bytes: 96 << 20,
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
    fn plan(&self, mut segs: Vec<(SegmentMeta, u64, f64)>) -> Vec<MergeCandidate> {
        segs.retain(|(_, bytes, _)| *bytes <= self.max_merge_bytes / 2);
        segs.sort_by_key(|(_, bytes, _)| *bytes);
        let mut out = Vec::new();
        let mut group: Vec<&SegmentMeta> = Vec::new();
        let mut total = 0u64;
        let mut purge = false;
        for (meta, bytes, deleted) in &segs {
            if total + bytes > self.max_merge_bytes && !group.is_empty() {
                // A full group merges even with fewer than `min_segments`
                // members: segments over an eighth of the bound (fresh
                // segments of a large archive, ~15 MB) never make a group of
                // eight within it, and would otherwise stay as they are.
                let full = group.len() >= 2 && total >= self.max_merge_bytes / 2;
                if group.len() >= self.min_segments || purge || full {
                    out.push(MergeCandidate(group.iter().map(|m| m.id()).collect()));
                }
                group.clear();
                total = 0;
                purge = false;
            }
            group.push(meta);
            total += bytes;
            purge |= *deleted > 1.0 / 3.0;
        }
        if group.len() >= self.min_segments || (purge && !group.is_empty()) {
            out.push(MergeCandidate(group.iter().map(|m| m.id()).collect()));
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
            max_merge_bytes: 100,
            min_segments: 3,
        }
    }

    #[test]
    fn small_segments_merge_in_groups_within_the_byte_bound() {
        let m = metas(7);
        // 7 segments of 20 bytes: groups of at most 100 bytes = 5, the last 2 too few.
        let segs = m.iter().map(|s| (s.clone(), 20, 0.0)).collect();
        let got = policy().plan(segs);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0.len(), 5);
    }

    /// Segments of a fifth of the bound never make a group of
    /// `min_segments` within it; groups that fill the bound merge anyway,
    /// and the last, partial group waits for more.
    #[test]
    fn large_segments_merge_in_full_groups_of_fewer() {
        let m = metas(11);
        let segs = m.iter().map(|s| (s.clone(), 20, 0.0)).collect();
        let p = BoundedMergePolicy {
            min_segments: 8,
            ..policy()
        };
        let got = p.plan(segs);
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|c| c.0.len() == 5));
        // A last group that fits in the bound waits for more, however full.
        let segs = m[..3].iter().map(|s| (s.clone(), 20, 0.0)).collect();
        assert!(p.plan(segs).is_empty());
    }

    #[test]
    fn segments_over_half_the_bound_are_never_merged() {
        let m = metas(4);
        let segs = m.iter().map(|s| (s.clone(), 60, 0.0)).collect();
        assert!(policy().plan(segs).is_empty());
    }

    #[test]
    fn too_few_segments_wait_unless_one_is_mostly_deleted() {
        let m = metas(2);
        let segs: Vec<_> = m.iter().map(|s| (s.clone(), 10, 0.0)).collect();
        assert!(policy().plan(segs).is_empty());
        let segs = vec![(m[0].clone(), 10, 0.5), (m[1].clone(), 10, 0.0)];
        let got = policy().plan(segs);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0.len(), 2);
    }
}
