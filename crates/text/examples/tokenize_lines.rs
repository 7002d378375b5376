//! Prints the tokens of each input line as `line<TAB>token`, for comparing
//! with other tokenizers: `cargo run -p lexiscope-text --example tokenize_lines < file`.
use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let mut tok = lexiscope_text::Tokenizer::new();
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line?;
        let mut res = Ok(());
        tok.for_each(&line, |w| {
            if res.is_ok() {
                res = writeln!(out, "{}\t{}", n + 1, w);
            }
        });
        res?;
    }
    out.flush()
}
