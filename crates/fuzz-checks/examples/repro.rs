use lexiscope_ingest::{Corpus, IngestOptions, InputFormat};
use std::io::Cursor;
use std::path::PathBuf;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(&args[1]).unwrap();
    let fmt: InputFormat = args[2].parse().unwrap();
    let opts = IngestOptions {
        stdin_format: Some(fmt),
        decode_entities: false,
        strip_html: false,
        normalize_spaces: false,
        ..IngestOptions::default()
    };
    let mut c =
        Corpus::open_with_stdin(&[PathBuf::from("-")], opts, Box::new(Cursor::new(data))).unwrap();
    for e in c.by_ref() {
        println!("{e:?}");
    }
    println!("{:?}", c.stats());
}
