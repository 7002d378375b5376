//! Reads a corpus through the ingest layer and does nothing else: the
//! "ingest only" line of bench/run.sh.  Prints documents, warnings and text
//! bytes.
//!
//! `cargo run --release -p lexiscope-ingest --example read_corpus -- PATH...`
#![allow(clippy::print_stdout)]

use lexiscope_ingest::{Corpus, Event, IngestOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    let mut corpus = Corpus::open(&inputs, IngestOptions::default())?;
    let (mut docs, mut warnings, mut bytes) = (0u64, 0u64, 0u64);
    for event in corpus.by_ref() {
        match event {
            Event::Document(d) => {
                docs += 1;
                bytes += d.text.len() as u64;
            }
            Event::Warning(_) => warnings += 1,
        }
    }
    println!("{docs} documents, {warnings} warnings, {bytes} bytes of text");
    Ok(())
}
