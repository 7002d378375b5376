//! The parallel pipeline every subcommand runs on.
//!
//! One thread reads the corpus and cuts it into batches of text; worker
//! threads turn batches into results; the calling thread merges the results
//! strictly in batch order.  Batches are cut by input order and size only
//! (see [`batch_limit`]), never by timing or thread count, so the merged
//! output is the same whatever `-j` says.  (With [`run_keeping`] a worker
//! may instead add batch after batch to a result of its own, for merges
//! whose order does not matter.)

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
    /// size of the inputs is known (`expected`, in bytes on disk), the
    /// batches shrink towards the end as `taper` says: with 4 MB batches to
    /// the last, one worker often counted the last batch alone while the
    /// others waited (a fifth of `freq`'s time on the bundled corpus).
    /// What is left of the text is estimated from what is left of
    /// `expected` after the records read so far (their text and their other
    /// columns), times the share of text in them: a cut that depends on
    /// the input alone.  A command whose results depend on the cut (float
    /// sums merged batch by batch) must pass the same `expected` whatever
    /// `-j` says; `freq`, whose counts merge exactly, tapers only with more
    /// than one worker.
    Growing { expected: Option<u64>, taper: Taper },
    /// 256 KB each: for commands whose results are per document and whose
    /// merge only writes them out (`sentiment`, `tokens`, `kwic`).  Their
    /// workers go about as fast as the reader, so with growing batches a
    /// worker waited for every next, twice as large batch; and small
    /// batches keep little text in flight, so the reader reuses memory the
    /// workers have freed instead of touching fresh pages.
    Flat,
}

/// How far [`Batching::Growing`]'s batches shrink towards the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taper {
    /// No batch larger than a quarter of what is left, nor smaller than
    /// 256 KB: the last batches are small, at the cost of a few more.
    Quarter,
    /// No batch larger than half of what is left, nor smaller than 512 KB:
    /// fewer, larger last batches, for batches that cost more apiece (the
    /// report's: a new word table each, whose merge costs in proportion to
    /// its vocabulary).
    Half,
}

impl Taper {
    /// The most text bytes a batch gets with `left` bytes of the inputs
    /// left to read.
    fn cap(self, left: u64) -> usize {
        let (share, floor) = match self {
            Taper::Quarter => (4, FLAT_BATCH_BYTES),
            Taper::Half => (2, 2 * FLAT_BATCH_BYTES),
        };
        usize::try_from(left / share)
            .unwrap_or(usize::MAX)
            .max(floor)
    }
}

/// Bytes read so far: of text, and of records (text and other columns,
/// nearly the bytes on disk).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Read {
    text: u64,
    records: u64,
}

impl Read {
    /// Text bytes left in inputs of `total` bytes on disk, more than
    /// `self.records`: the bytes left, times the share of text so far.
    fn text_left(self, total: u64) -> u64 {
        let left = total - self.records;
        if self.records == 0 {
            return left;
        }
        let t = u128::from(left) * u128::from(self.text) / u128::from(self.records);
        u64::try_from(t).unwrap_or(u64::MAX)
    }
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
    /// Text bytes of batch number `index`, which starts after `read`.
    fn limit(self, index: usize, read: Read) -> usize {
        match self {
            Batching::Growing { expected, taper } => {
                let growing = batch_limit(index);
                match expected {
                    // (Past the estimate, a compressed input say: no taper.)
                    Some(total) if total > read.records => {
                        growing.min(taper.cap(read.text_left(total)))
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
    /// A batch's result, or `None` when its worker kept it (see
    /// [`run_keeping`]).
    Done(usize, Option<R>, u64),
    /// What a worker kept, handed over after its last batch.
    Kept(R),
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
    merge: impl FnMut(R) -> anyhow::Result<()>,
    on_tick: impl FnMut(Tick<'_>),
) -> anyhow::Result<IngestStats>
where
    R: Send,
{
    run_keeping(
        corpus,
        threads,
        batching,
        init,
        |s, b| Some(work(s, b)),
        |_| None,
        merge,
        on_tick,
    )
}

/// [`run`] for results that a worker may keep in its state and add to
/// batch after batch, for a merge whose order does not matter (word
/// counts, which add up exactly).  `work` returns `None` for a batch whose
/// result it kept; `finish` hands over what a worker kept once the batches
/// run out.  `merge` receives the batches' results in input order and what
/// the workers kept as it comes, so it must give the same answer in any
/// order of the two.
#[allow(clippy::too_many_arguments)]
pub fn run_keeping<S, R>(
    corpus: Corpus,
    threads: usize,
    batching: Batching,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, Batch) -> Option<R> + Sync,
    finish: impl Fn(S) -> Option<R> + Sync,
    mut merge: impl FnMut(R) -> anyhow::Result<()>,
    mut on_tick: impl FnMut(Tick<'_>),
) -> anyhow::Result<IngestStats>
where
    R: Send,
{
    let threads = threads.max(1);
    let stop = AtomicBool::new(false);
    // One batch waiting per worker: the reader cuts a batch far faster than
    // a worker gets through one, so a deeper queue only holds more text in
    // memory (two per worker: the report's peak 15 MB higher on 108 MB,
    // `freq`'s 10 MB, no faster; 15 interleaved runs each).
    let (batch_tx, batch_rx) = crossbeam_channel::bounded::<(usize, Batch, u64)>(threads);
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
            // Records read so far, text and other columns: nearly the bytes
            // on disk, which `Batching::Growing` compares with the inputs'
            // size (text alone fell short by the other columns, 8% of the
            // bundled corpus, and the taper never got to its smallest
            // batches).
            let mut read = Read::default();
            let mut limit = batching.limit(0, read);
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
                        read.text += d.text.len() as u64;
                        read.records += (d.text.len() + d.meta.value_bytes()) as u64;
                        docs.push(d);
                        seq += 1;
                        if bytes >= limit || docs.len() >= BATCH_DOCS {
                            if !send(index, first, std::mem::take(&mut docs), bytes) {
                                break;
                            }
                            index += 1;
                            first = seq;
                            bytes = 0;
                            limit = batching.limit(index, read);
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
            let (init, work, finish) = (&init, &work, &finish);
            scope.spawn(move || {
                let mut state = init();
                for (index, batch, bytes) in rx.iter() {
                    if stop_ref.load(Ordering::Relaxed) {
                        continue;
                    }
                    let out = work(&mut state, batch);
                    if tx.send(Msg::Done(index, out, bytes)).is_err() {
                        return;
                    }
                }
                if let Some(kept) = finish(state) {
                    let _ = tx.send(Msg::Kept(kept));
                }
            });
        }
        drop(batch_rx);
        drop(msg_tx);

        // Merge in order.
        let mut pending: BTreeMap<usize, (Option<R>, u64)> = BTreeMap::new();
        let mut next = 0usize;
        let mut stats = None;
        let mut merged_bytes = 0u64;
        let mut result = Ok(());
        // Merges a result until one merge fails.  An error (a closed
        // output pipe, a full disk) stops the reader; the workers drain
        // what is queued.
        let mut merge_one = |out: R| {
            if result.is_ok() && !stop.load(Ordering::Relaxed) {
                if let Err(e) = merge(out) {
                    stop.store(true, Ordering::Relaxed);
                    result = Err(e);
                }
            }
        };
        for msg in msg_rx.iter() {
            match msg {
                Msg::Warning(w) => on_tick(Tick::Warning(&w)),
                Msg::Finished(s) => stats = Some(s),
                Msg::Kept(out) => merge_one(out),
                Msg::Done(index, out, bytes) => {
                    pending.insert(index, (out, bytes));
                    while let Some((out, bytes)) = pending.remove(&next) {
                        next += 1;
                        merged_bytes += bytes;
                        if let Some(out) = out {
                            merge_one(out);
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

    /// `n` bytes read, all of them text.
    fn text(n: u64) -> Read {
        Read {
            text: n,
            records: n,
        }
    }

    #[test]
    fn batches_grow_from_1_to_4_mb() {
        let sizes: Vec<usize> = (0..6).map(|i| batch_limit(i) >> 20).collect();
        assert_eq!(sizes, [1, 2, 4, 4, 4, 4]);
        assert_eq!(batch_limit(usize::MAX) >> 20, 4);
        // Size unknown (standard input): growing only.
        let unknown = Batching::Growing {
            expected: None,
            taper: Taper::Quarter,
        };
        let sizes: Vec<usize> = (0..6).map(|i| unknown.limit(i, text(1 << 40))).collect();
        assert_eq!(sizes, (0..6).map(batch_limit).collect::<Vec<_>>());
    }

    #[test]
    fn batches_shrink_towards_the_end_of_a_known_size() {
        const MB: u64 = 1 << 20;
        let known = Batching::Growing {
            expected: Some(100 * MB),
            taper: Taper::Quarter,
        };
        // Far from the end: as if the size were unknown.
        assert_eq!(known.limit(0, text(0)), 1 << 20);
        assert_eq!(known.limit(5, text(10 * MB)), 4 << 20);
        // A quarter of what is left, down to 256 KB.
        assert_eq!(known.limit(20, text(92 * MB)), 2 << 20);
        assert_eq!(known.limit(21, text(99 * MB)), 256 << 10);
        assert_eq!(known.limit(22, text(100 * MB - 1)), 256 << 10);
        // More text than the inputs' size (a compressed file): no taper.
        assert_eq!(known.limit(23, text(200 * MB)), 4 << 20);
        // Cut the way the reader cuts, the whole of a 12 MB corpus comes in
        // batches that grow, then shrink, and the last are the smallest.
        let total = 12 * MB;
        let cut = Batching::Growing {
            expected: Some(total),
            taper: Taper::Quarter,
        };
        let (mut done, mut sizes) = (0u64, Vec::new());
        while done < total {
            let n = (cut.limit(sizes.len(), text(done)) as u64).min(total - done);
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
    fn half_taper_ends_in_fewer_larger_batches() {
        const MB: u64 = 1 << 20;
        let cut = |taper| {
            let total = 102 * MB;
            let cut = Batching::Growing {
                expected: Some(total),
                taper,
            };
            let (mut done, mut sizes) = (0u64, Vec::new());
            while done < total {
                let n = (cut.limit(sizes.len(), text(done)) as u64).min(total - done);
                sizes.push(n);
                done += n;
            }
            sizes
        };
        let (half, quarter) = (cut(Taper::Half), cut(Taper::Quarter));
        // Past the largest, no batch is larger than half of what is left
        // (or 512 KB), and the last ones are the smallest.
        let peak = half.iter().position(|&n| n == 4 * MB).unwrap();
        let mut left = 102 * MB - half[..peak].iter().sum::<u64>();
        for &n in &half[peak..] {
            assert!(n <= (left / 2).max(MB / 2), "{half:?}");
            left -= n;
        }
        assert!(*half.last().unwrap() <= MB / 2, "{half:?}");
        assert!(half.len() < quarter.len(), "{half:?} {quarter:?}");
        assert_eq!(half.iter().sum::<u64>(), 102 * MB);
    }

    /// Runs the pipeline on `csv` (written to a file) with `batching` and
    /// returns the text bytes of each batch, in order.
    fn batch_sizes(csv: &str, batching: Batching) -> Vec<usize> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corpus.csv");
        std::fs::write(&path, csv).unwrap();
        let corpus = Corpus::open(&[path], lexiscope_ingest::IngestOptions::default()).unwrap();
        let mut sizes = Vec::new();
        run(
            corpus,
            2,
            batching,
            || (),
            |_, b| b.docs.iter().map(|d| d.text.len()).sum::<usize>(),
            |n| {
                sizes.push(n);
                Ok(())
            },
            |_| {},
        )
        .unwrap();
        sizes
    }

    #[test]
    fn the_taper_counts_the_other_columns_read() {
        // Rows whose other column is nine times their text: 24 MB on disk,
        // 2.4 MB of it text.  Were only the text counted as read, the
        // reader would think most of the file still to come at its end and
        // never shrink the batches.
        let mut csv = String::from("text,notes\n");
        let text = "word ".repeat(200);
        let notes = "n".repeat(9000);
        while csv.len() < 24 << 20 {
            csv.push_str(&format!("{text},{notes}\n"));
        }
        let batching = Batching::Growing {
            expected: Some(csv.len() as u64),
            taper: Taper::Quarter,
        };
        let sizes = batch_sizes(&csv, batching);
        assert_eq!(sizes.iter().sum::<usize>(), csv.len() / 10_002 * 1000);
        // After the first batch (1 MB of text, 10.5 MB of records), a
        // quarter of the text left (0.35 MB), then less each time down to
        // 256 KB, the smallest, and the rest.  Had only text counted as
        // read, the reader would have taken 22 of the 24 MB for still to
        // come and cut the other 1.5 MB of text as one batch.
        assert_eq!(sizes[0], 1_049_000, "{sizes:?}");
        assert!(sizes[1] < 400_000, "{sizes:?}");
        assert!(sizes[2..].iter().all(|&n| n < 300_000), "{sizes:?}");
        assert!(sizes.len() >= 5, "{sizes:?}");
    }

    #[test]
    fn kept_results_are_handed_over_once_the_batches_run_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corpus.csv");
        let mut csv = String::from("text\n");
        for i in 0..20_000 {
            csv.push_str(&format!("document number {i} of many\n"));
        }
        std::fs::write(&path, &csv).unwrap();
        let text_bytes: usize = (0..20_000)
            .map(|i| format!("document number {i} of many").len())
            .sum();
        for threads in [1, 2, 4] {
            let corpus = Corpus::open(
                std::slice::from_ref(&path),
                lexiscope_ingest::IngestOptions::default(),
            )
            .unwrap();
            // Each worker adds up its batches' text and hands over every
            // third batch's sum as it goes, the rest at the end.
            let (mut handed, mut total, mut merges) = (0, 0, 0);
            run_keeping(
                corpus,
                threads,
                Batching::Flat,
                || (0usize, 0usize),
                |(sum, n), b| {
                    *sum += b.docs.iter().map(|d| d.text.len()).sum::<usize>();
                    *n += 1;
                    (*n % 3 == 0).then(|| std::mem::take(sum))
                },
                |(sum, _)| Some(sum),
                |part| {
                    total += part;
                    merges += 1;
                    Ok(())
                },
                |t| {
                    if let Tick::Progress(bytes, _) = t {
                        handed = bytes;
                    }
                },
            )
            .unwrap();
            assert_eq!(total, text_bytes, "{threads} workers");
            assert_eq!(handed as usize, text_bytes, "{threads} workers");
            // One hand-over per worker at the end (a worker may have had
            // no batch), plus the ones on the way.
            assert!(merges >= threads, "{threads} workers: {merges}");
        }
    }

    #[test]
    fn flat_batches_stay_at_256_kb() {
        for i in [0, 1, 2, 10, usize::MAX] {
            assert_eq!(Batching::Flat.limit(i, text(0)), 256 << 10);
        }
    }
}
