//! The stream of documents.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::inputs::{plan, Planned};
use crate::read::{start_input, Reader, Sink};
use crate::{Event, IngestError, IngestOptions, InputFormat};

/// Counts of what was read so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestStats {
    /// Inputs that were opened and read (stdin included), even when they held no document.
    pub files_read: u64,
    /// Files that were not read: binary, unreadable, broken links, duplicates.
    pub files_skipped: u64,
    /// Documents handed out.
    pub documents_read: u64,
    /// Records that were dropped: broken rows, lines that are not JSON
    /// objects, objects without the text, a record with an unterminated quote.
    pub documents_skipped: u64,
    /// Documents (or text files) that were not valid UTF-8 and were decoded
    /// with the Windows-1252 fallback.
    pub decoded_with_fallback: u64,
    /// Warnings handed out.
    pub warnings: u64,
    /// Bytes read from files and stdin (compressed size for gzip).
    pub bytes_read: u64,
}

/// A pending input, or one already opened while checking its columns.
enum Step {
    Planned(Planned),
    Opened { reader: Option<Reader>, sink: Sink },
}

/// The stream of [`Event`]s from all inputs, in order.
///
/// Inputs are read one after another, record by record: memory holds one
/// record (a whole file only for plain text), whatever the size of a CSV or
/// JSON Lines file.
pub struct Corpus {
    opts: IngestOptions,
    steps: VecDeque<Step>,
    current: Option<Reader>,
    sink: Sink,
    documents: u64,
    warnings: u64,
    bytes: Arc<AtomicU64>,
    /// Standard input, until it is read (it can be read once).
    stdin: Option<Box<dyn Read + Send>>,
}

impl Corpus {
    /// Plans the reading of `inputs` (files, folders, `-` for stdin).
    ///
    /// Fails up front when an input does not exist, when `-` is given twice,
    /// or when `--text-col`/`--id-col` names a column that a CSV, TSV or JSON
    /// Lines input lacks (the headers are checked here when those options are
    /// set). Everything else that can go wrong becomes a warning in the stream.
    pub fn open(inputs: &[PathBuf], opts: IngestOptions) -> Result<Corpus, IngestError> {
        Corpus::open_with_stdin(inputs, opts, Box::new(io::stdin()))
    }

    /// Like [`open`](Corpus::open), with `stdin` read where `-` is given
    /// instead of the process's standard input.
    pub fn open_with_stdin(
        inputs: &[PathBuf],
        opts: IngestOptions,
        stdin: Box<dyn Read + Send>,
    ) -> Result<Corpus, IngestError> {
        let mut stdin = Some(stdin);
        let bytes = Arc::new(AtomicU64::new(0));
        let planned = plan(inputs, &opts)?;
        let mut steps = VecDeque::with_capacity(planned.len());
        let check_columns = opts.text_col.is_some() || opts.id_col.is_some();
        for p in planned {
            let Planned::File(input) = &p else {
                steps.push_back(Step::Planned(p));
                continue;
            };
            // Tables by extension, and stdin whose format is not given (it may be one).
            let tabular = match input.format {
                Some(format) => format != InputFormat::Text,
                None => input.path.is_none(),
            };
            if !check_columns || !tabular {
                steps.push_back(Step::Planned(p));
                continue;
            }
            let mut sink = Sink::default();
            // A regular file is opened again later; count its bytes once.
            let counter = if input.regular {
                Arc::new(AtomicU64::new(0))
            } else {
                Arc::clone(&bytes)
            };
            let reader = start_input(input, &opts, &mut sink, &counter, &mut stdin)
                .map_err(|m| m.into_error(&input.name.display))?;
            if input.regular {
                steps.push_back(Step::Planned(p));
            } else {
                steps.push_back(Step::Opened { reader, sink });
            }
        }
        Ok(Corpus {
            opts,
            steps,
            current: None,
            sink: Sink::default(),
            documents: 0,
            warnings: 0,
            bytes,
            stdin,
        })
    }

    /// Counts so far (final once the stream is exhausted).
    pub fn stats(&self) -> IngestStats {
        IngestStats {
            files_read: self.sink.files_read,
            files_skipped: self.sink.files_skipped,
            documents_read: self.documents,
            documents_skipped: self.sink.documents_skipped,
            decoded_with_fallback: self.sink.decoded_with_fallback,
            warnings: self.warnings,
            bytes_read: self.bytes.load(Ordering::Relaxed),
        }
    }

    /// The options the stream was opened with.
    pub fn options(&self) -> &IngestOptions {
        &self.opts
    }
}

impl Iterator for Corpus {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.sink.events.pop_front() {
                match event {
                    Event::Document(_) => self.documents += 1,
                    Event::Warning(_) => self.warnings += 1,
                }
                return Some(event);
            }
            if let Some(reader) = self.current.as_mut() {
                if !reader.step(&mut self.sink, &self.opts) {
                    self.current = None;
                }
                continue;
            }
            match self.steps.pop_front()? {
                Step::Opened { reader, sink } => {
                    self.sink.absorb(sink);
                    self.current = reader;
                }
                Step::Planned(Planned::Warning {
                    warning,
                    skipped_file,
                }) => {
                    if skipped_file {
                        self.sink.files_skipped += 1;
                    }
                    self.sink.events.push_back(Event::Warning(warning));
                }
                Step::Planned(Planned::File(input)) => {
                    match start_input(
                        &input,
                        &self.opts,
                        &mut self.sink,
                        &self.bytes,
                        &mut self.stdin,
                    ) {
                        Ok(reader) => self.current = reader,
                        Err(missing) => {
                            // Checked in `open` when the options name columns;
                            // reached only if the file changed since.
                            self.sink.files_skipped += 1;
                            let err = missing.into_error(&input.name.display);
                            self.sink.warn(
                                &input.name.display,
                                None,
                                crate::WarningKind::Unreadable,
                                format!(
                                    "{}; file skipped",
                                    strip_path(&err.to_string(), &input.name.display)
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
}

fn strip_path<'a>(msg: &'a str, path: &str) -> &'a str {
    msg.strip_prefix(path)
        .and_then(|m| m.strip_prefix(": "))
        .unwrap_or(msg)
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
