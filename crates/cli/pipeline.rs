//! The parallel pipeline every subcommand runs on.
//!
//! One thread reads the corpus and cuts it into batches of text; worker
//! threads turn batches into results; the calling thread merges the results
//! strictly in batch order.  Batches are cut by input order and size only
//! (see [`batch_limit`]), never by timing or thread count, so the merged
//! output is the same whatever `-j` says.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use lexiscope_ingest::{Corpus, Document, Event, IngestStats, Warning};

/// Text bytes of the first batch and the most any batch gets.
const FIRST_BATCH_BYTES: usize = 1 << 20;
const MAX_BATCH_BYTES: usize = 4 << 20;
/// Text bytes of every batch of [`Batching::Flat`].
const FLAT_BATCH_BYTES: usize = 256 << 10;

/// How the reader cuts the corpus into batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batching {
    /// 1 MB, then doubling up to 4 MB (see [`batch_limit`]): for commands
    /// whose merge costs something per batch (counting words).  When the
    /// size of the inputs is known (`expected`, in bytes on disk), no batch
    /// is larger than a quarter of what is left of it (and none smaller
    /// than 256 KB), so that the batches shrink towards the end: with
    /// 4 MB batches to the last, one worker often counted the last batch
    /// alone while the others waited (a fifth of `freq`'s time on the
    /// bundled corpus).  A command whose results depend on the cut (float
    /// sums merged batch by batch) must pass the same `expected` whatever
    /// `-j` says; `freq`, whose counts merge exactly, tapers only with
    /// more than one worker, and the report not at all.
    Growing { expected: Option<u64> },
    /// 256 KB each: for commands whose results are per document and whose
    /// merge only writes them out (`sentiment`, `tokens`, `kwic`).  Their
    /// workers go about as fast as the reader, so with growing batches a
    /// worker waited for every next, twice as large batch; and small
    /// batches keep little text in flight, so the reader reuses memory the
    /// workers have freed instead of touching fresh pages.
    Flat,
}

/// Text bytes of batch number `index`: 1 MB, then doubling up to 4 MB.
/// Small batches first keep every core busy on a small corpus; large ones
/// later amortise the merge, which costs in proportion to a batch's
/// vocabulary rather than its size.
pub fn batch_limit(index: usize) -> usize {
    FIRST_BATCH_BYTES
        .saturating_mul(1 << index.min(8))
        .min(MAX_BATCH_BYTES)
}

impl Batching {
    /// Text bytes of batch number `index`, which starts after `done` bytes
    /// of text.
    fn limit(self, index: usize, done: u64) -> usize {
        match self {
            Batching::Growing { expected } => {
                let growing = batch_limit(index);
                match expected {
                    // (Past the estimate, a compressed input say: no taper.)
                    Some(total) if total > done => {
                        let quarter = usize::try_from((total - done) / 4).unwrap_or(usize::MAX);
                        growing.min(quarter.max(FLAT_BATCH_BYTES))
                    }
                    _ => growing,
                }
            }
            Batching::Flat => FLAT_BATCH_BYTES,
        }
    }
}

/// Documents per batch at most (for corpora of very short documents).
const BATCH_DOCS: usize = 8192;

/// Documents handed to a worker.
pub struct Batch {
    /// Position of the first document in the corpus (0-based).
    pub first: u64,
    /// The documents, in input order.
    pub docs: Vec<Document>,
}

enum Msg<R> {
    Done(usize, R, u64),
    Warning(Warning),
    Finished(IngestStats),
}

/// Something the terminal may want to show while the pipeline runs.
pub enum Tick<'a> {
    /// An ingest warning (bad row, skipped file...).
    Warning(&'a Warning),
    /// Bytes of text and batches merged so far.
    Progress(u64, u64),
}

/// Runs the pipeline.  `batching` says how the corpus is cut, `init` makes
/// one state per worker, `work` turns a batch into a result with it,
/// `merge` receives results in input order, `on_tick` every ingest warning
/// as it happens and the progress.  The first error from `merge` stops the
/// run and is returned.
pub fn run<S, R>(
    corpus: Corpus,
    threads: usize,
    batching: Batching,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, Batch) -> R + Sync,
    mut merge: impl FnMut(R) -> anyhow::Result<()>,
    mut on_tick: impl FnMut(Tick<'_>),
) -> anyhow::Result<IngestStats>
where
    R: Send,
{
    let threads = threads.max(1);
    let stop = AtomicBool::new(false);
    let (batch_tx, batch_rx) = crossbeam_channel::bounded::<(usize, Batch, u64)>(threads * 2);
    let (msg_tx, msg_rx) = mpsc::channel::<Msg<R>>();
    std::thread::scope(|scope| -> anyhow::Result<IngestStats> {
        // Reader.
        let reader_tx = msg_tx.clone();
        let stop_ref = &stop;
        scope.spawn(move || {
            let mut corpus = corpus;
            let mut index = 0usize;
            let mut seq = 0u64;
            let mut docs = Vec::new();
            let mut bytes = 0usize;
            let mut first = 0u64;
            let mut done = 0u64;
            let mut limit = batching.limit(0, 0);
            let send = |index: usize, first: u64, docs: Vec<Document>, bytes: usize| {
                batch_tx
                    .send((index, Batch { first, docs }, bytes as u64))
                    .is_ok()
            };
            for event in corpus.by_ref() {
                if stop_ref.load(Ordering::Relaxed) {
                    break;
                }
                match event {
                    Event::Warning(w) => {
                        let _ = reader_tx.send(Msg::Warning(w));
                    }
                    Event::Document(d) => {
                        bytes += d.text.len();
                        docs.push(d);
                        seq += 1;
                        if bytes >= limit || docs.len() >= BATCH_DOCS {
                            if !send(index, first, std::mem::take(&mut docs), bytes) {
                                break;
                            }
                            index += 1;
                            first = seq;
                            done += bytes as u64;
                            bytes = 0;
                            limit = batching.limit(index, done);
                        }
                    }
                }
            }
            if !docs.is_empty() {
                send(index, first, docs, bytes);
            }
            drop(batch_tx);
            let _ = reader_tx.send(Msg::Finished(corpus.stats()));
        });
        // Workers.
        for _ in 0..threads {
            let rx = batch_rx.clone();
            let tx = msg_tx.clone();
            let (init, work) = (&init, &work);
            scope.spawn(move || {
                let mut state = init();
                for (index, batch, bytes) in rx.iter() {
                    if stop_ref.load(Ordering::Relaxed) {
                        continue;
                    }
                    let out = work(&mut state, batch);
                    if tx.send(Msg::Done(index, out, bytes)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(batch_rx);
        drop(msg_tx);

        // Merge in order.
        let mut pending: BTreeMap<usize, (R, u64)> = BTreeMap::new();
        let mut next = 0usize;
        let mut stats = None;
        let mut merged_bytes = 0u64;
        let mut result = Ok(());
        for msg in msg_rx.iter() {
            match msg {
                Msg::Warning(w) => on_tick(Tick::Warning(&w)),
                Msg::Finished(s) => stats = Some(s),
                Msg::Done(index, out, bytes) => {
                    pending.insert(index, (out, bytes));
                    while let Some((out, bytes)) = pending.remove(&next) {
                        next += 1;
                        merged_bytes += bytes;
                        if result.is_ok() && !stop.load(Ordering::Relaxed) {
                            // An error (a closed output pipe, a full disk) stops
                            // the reader; the workers drain what is queued.
                            if let Err(e) = merge(out) {
                                stop.store(true, Ordering::Relaxed);
                                result = Err(e);
                            }
                        }
                        on_tick(Tick::Progress(merged_bytes, next as u64));
                    }
                }
            }
        }
        result?;
        stats.ok_or_else(|| anyhow::anyhow!("the reader thread stopped unexpectedly"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_grow_from_1_to_4_mb() {
        let sizes: Vec<usize> = (0..6).map(|i| batch_limit(i) >> 20).collect();
        assert_eq!(sizes, [1, 2, 4, 4, 4, 4]);
        assert_eq!(batch_limit(usize::MAX) >> 20, 4);
        // Size unknown (standard input): growing only.
        let unknown = Batching::Growing { expected: None };
        let sizes: Vec<usize> = (0..6).map(|i| unknown.limit(i, 1 << 40)).collect();
        assert_eq!(sizes, (0..6).map(batch_limit).collect::<Vec<_>>());
    }

    #[test]
    fn batches_shrink_towards_the_end_of_a_known_size() {
        const MB: u64 = 1 << 20;
        let known = Batching::Growing {
            expected: Some(100 * MB),
        };
        // Far from the end: as if the size were unknown.
        assert_eq!(known.limit(0, 0), 1 << 20);
        assert_eq!(known.limit(5, 10 * MB), 4 << 20);
        // A quarter of what is left, down to 256 KB.
        assert_eq!(known.limit(20, 92 * MB), 2 << 20);
        assert_eq!(known.limit(21, 99 * MB), 256 << 10);
        assert_eq!(known.limit(22, 100 * MB - 1), 256 << 10);
        // More text than the inputs' size (a compressed file): no taper.
        assert_eq!(known.limit(23, 200 * MB), 4 << 20);
        // Cut the way the reader cuts, the whole of a 12 MB corpus comes in
        // batches that grow, then shrink, and the last are the smallest.
        let total = 12 * MB;
        let cut = Batching::Growing {
            expected: Some(total),
        };
        let (mut done, mut sizes) = (0u64, Vec::new());
        while done < total {
            let n = (cut.limit(sizes.len(), done) as u64).min(total - done);
            sizes.push(n);
            done += n;
        }
        assert_eq!(sizes.iter().sum::<u64>(), total);
        let peak = sizes
            .iter()
            .position(|&n| n == *sizes.iter().max().unwrap())
            .unwrap();
        assert!(peak > 0 && peak < sizes.len() - 1, "{sizes:?}");
        assert!(
            sizes.windows(2).skip(peak).all(|w| w[1] <= w[0]),
            "{sizes:?}"
        );
        assert!(*sizes.last().unwrap() <= 256 << 10, "{sizes:?}");
    }

    #[test]
    fn flat_batches_stay_at_256_kb() {
        for i in [0, 1, 2, 10, usize::MAX] {
            assert_eq!(Batching::Flat.limit(i, 0), 256 << 10);
        }
    }
}
