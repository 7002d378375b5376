//! The `lexiscope` binary: parse arguments, check them, run a subcommand,
//! map the outcome to an exit code.

mod analyze;
mod args;
mod commands;
mod config;
mod metaspill;
mod outdir;
mod percolumns;
mod pipeline;
mod term;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::config::UsageError;

/// Exit codes: 0 success (also when our output pipe was closed), 1 the run
/// failed (e.g. an output file could not be written), 2 the program was
/// called wrongly or nothing could be read.
mod exit {
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            term::error(&err);
            if err.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(exit::USAGE)
            } else {
                ExitCode::from(exit::FAILURE)
            }
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Report(a) => commands::report::run(a),
        Command::Freq(a) => commands::freq::run(a),
        Command::Sentiment(a) => commands::sentiment::run(a),
        Command::Tokens(a) => commands::tokens::run(a),
        Command::Kwic(a) => commands::kwic::run(a),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.to_string().contains("Broken pipe")
    })
}
