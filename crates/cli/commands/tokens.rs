//! `lexiscope tokens`: the token stream, one token per line.

use std::io::Write;
use std::process::ExitCode;

use lexiscope_text::Tokenizer;

use crate::args::TokensArgs;
use crate::config::{InputConfig, RunConfig};
use crate::pipeline;
use crate::term::Console;

pub fn run(a: TokensArgs) -> anyhow::Result<ExitCode> {
    let input = InputConfig::from_args(&a.input)?;
    let run = RunConfig::from_args(&a.run)?;
    let corpus = input.open()?;
    let with_id = a.with_id;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut console = Console::new(run.quiet, input.total_bytes(), "tokens");
    let stats = pipeline::run(
        corpus,
        run.threads,
        pipeline::Batching::Flat,
        Tokenizer::new,
        |tok, batch| {
            let mut buf = String::with_capacity(batch.docs.iter().map(|d| d.text.len()).sum());
            for doc in &batch.docs {
                tok.for_each(&doc.text, |w| {
                    if with_id {
                        buf.push_str(&doc.id);
                        buf.push('\t');
                    }
                    buf.push_str(w);
                    buf.push('\n');
                });
            }
            buf
        },
        |buf| {
            out.write_all(buf.as_bytes())?;
            Ok(())
        },
        |t| console.tick(t),
    )?;
    out.flush()?;
    drop(console);
    super::read_outcome(&stats)
}
