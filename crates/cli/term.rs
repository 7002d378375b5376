//! Everything the binary says on the terminal goes through here: errors,
//! warnings, progress and the closing summary, all on stderr (stdout is for
//! results only).
#![allow(clippy::print_stderr)]

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use lexiscope_ingest::Warning;

/// Prints an error and its causes.
pub fn error(err: &anyhow::Error) {
    let mut msg = format!("error: {err}");
    for cause in err.chain().skip(1) {
        msg.push_str(&format!("\n  caused by: {cause}"));
    }
    eprintln!("{msg}");
}

/// Prints a note (not a warning) unless quiet.
pub fn note(quiet: bool, msg: &str) {
    if !quiet {
        eprintln!("{msg}");
    }
}

/// How many warnings of one kind are printed before they are only counted.
const WARNINGS_PER_KIND: usize = 20;

/// Prints ingest warnings as they come, at most [`WARNINGS_PER_KIND`] of each
/// kind, and remembers them all for the summary and the manifest.
#[derive(Default)]
pub struct Warnings {
    per_kind: HashMap<String, usize>,
    pub all: Vec<String>,
}

impl Warnings {
    fn push(&mut self, w: &Warning, progress: &mut Progress) {
        let kind = format!("{:?}", w.kind);
        let n = self.per_kind.entry(kind).or_default();
        *n += 1;
        let text = w.to_string();
        if *n <= WARNINGS_PER_KIND {
            progress.clear();
            eprintln!("warning: {text}");
            if *n == WARNINGS_PER_KIND {
                eprintln!("warning: (further warnings of this kind are counted, not shown)");
            }
        }
        self.all.push(text);
    }

    pub fn len(&self) -> usize {
        self.all.len()
    }
}

/// A one-line progress display on stderr for runs that last more than a
/// moment; silent when stderr is not a terminal or with -q.
pub struct Progress {
    enabled: bool,
    total: Option<u64>,
    start: Instant,
    last: Instant,
    shown: bool,
    label: &'static str,
}

impl Progress {
    pub fn new(quiet: bool, total: Option<u64>, label: &'static str) -> Progress {
        let now = Instant::now();
        Progress {
            enabled: !quiet && std::io::stderr().is_terminal(),
            total,
            start: now,
            last: now,
            shown: false,
            label,
        }
    }

    /// Updates the display with bytes of text and documents done.
    pub fn tick(&mut self, bytes: u64, docs: u64) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if now - self.start < Duration::from_millis(300)
            || now - self.last < Duration::from_millis(100)
        {
            return;
        }
        self.last = now;
        let mb = bytes as f64 / 1e6;
        let line = match self.total {
            Some(t) if t > 0 => {
                let frac = (bytes as f64 / t as f64).min(0.99);
                let width = 24;
                let filled = (frac * width as f64) as usize;
                format!(
                    "{} [{}{}] {:>3}%  {:.1} MB  {} batches  {:.1}s",
                    self.label,
                    "#".repeat(filled),
                    " ".repeat(width - filled),
                    (frac * 100.0) as u32,
                    mb,
                    docs,
                    (now - self.start).as_secs_f64()
                )
            }
            _ => format!(
                "{} {:.1} MB  {:.1}s",
                self.label,
                mb,
                (now - self.start).as_secs_f64()
            ),
        };
        eprint!("\r\x1b[2K{line}");
        self.shown = true;
    }

    /// Shows a stage name (for the steps after reading).
    pub fn stage(&mut self, name: &str) {
        if self.enabled && self.shown {
            eprint!("\r\x1b[2K{} {name}...", self.label);
        }
    }

    /// Removes the progress line.
    pub fn clear(&mut self) {
        if self.enabled && self.shown {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

/// The terminal side of a run: progress line and warnings.
pub struct Console {
    pub progress: Progress,
    pub warnings: Warnings,
}

impl Console {
    pub fn new(quiet: bool, total: Option<u64>, label: &'static str) -> Console {
        Console {
            progress: Progress::new(quiet, total, label),
            warnings: Warnings::default(),
        }
    }

    /// Shows what the pipeline reports.
    pub fn tick(&mut self, t: crate::pipeline::Tick<'_>) {
        match t {
            crate::pipeline::Tick::Warning(w) => self.warnings.push(w, &mut self.progress),
            crate::pipeline::Tick::Progress(bytes, batches) => self.progress.tick(bytes, batches),
        }
    }
}

/// Formats a count with thousands separators.
pub fn thousands(n: u64) -> String {
    lexiscope_report::thousands(n)
}
