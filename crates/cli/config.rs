//! Turns parsed arguments into checked settings before any work starts, so
//! that a mistake is reported at once, in words, with exit code 2.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lexiscope_ingest::{Corpus, IngestOptions, InputFormat};
use lexiscope_sentiment::{Lexicon, LexiconSpec};
use lexiscope_text::{StopWordSource, StopWords};

use crate::args::{InputArgs, RunArgs, WordArgs};

/// The folder read when no input is given.
pub const DEFAULT_INPUT: &str = "data/corpus";

/// A mistake in how the program was called (or in a file it was pointed
/// at): exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Shorthand for returning a [`UsageError`].
pub fn usage<T>(msg: impl Into<String>) -> anyhow::Result<T> {
    Err(UsageError(msg.into()).into())
}

/// Input paths and reading options.
#[derive(Debug, Clone)]
pub struct InputConfig {
    pub paths: Vec<PathBuf>,
    pub options: IngestOptions,
}

impl InputConfig {
    pub fn from_args(a: &InputArgs) -> anyhow::Result<InputConfig> {
        let paths = if a.inputs.is_empty() {
            let default = PathBuf::from(DEFAULT_INPUT);
            if !default.is_dir() {
                return usage(format!(
                    "no INPUT given and the bundled corpus folder `{DEFAULT_INPUT}` is not here \
                     (run from the repository root, or name files or folders to read; - reads standard input)"
                ));
            }
            vec![default]
        } else {
            a.inputs.clone()
        };
        let stdin_format = match a.stdin_format.as_deref() {
            None => None,
            Some("txt") => Some(InputFormat::Text),
            Some("csv") => Some(InputFormat::Csv),
            Some("tsv") => Some(InputFormat::Tsv),
            Some("jsonl") => Some(InputFormat::Jsonl),
            Some(other) => {
                return usage(format!(
                    "unknown --stdin-format `{other}`; use txt, csv, tsv or jsonl"
                ))
            }
        };
        let options = IngestOptions {
            text_col: a.text_col.clone(),
            id_col: a.id_col.clone(),
            stdin_format,
            decode_entities: !a.keep_entities,
            strip_html: !a.keep_html,
            normalize_spaces: !a.keep_spaces,
        };
        Ok(InputConfig { paths, options })
    }

    /// Opens the inputs; a missing path is a usage error.
    pub fn open(&self) -> anyhow::Result<Corpus> {
        Corpus::open(&self.paths, self.options.clone())
            .map_err(|e| UsageError(e.to_string()).into())
    }

    /// Total size of the input files, for the progress display (None for stdin).
    pub fn total_bytes(&self) -> Option<u64> {
        self.sizes().map(|(bytes, _)| bytes)
    }

    /// About how many bytes of records (text and other columns) the inputs
    /// hold, for cutting batches (see [`crate::pipeline::Batching`]): their
    /// size on disk, or None for standard input or when a file is
    /// compressed (`.gz`), whose size says little about its records.
    pub fn expected_record_bytes(&self) -> Option<u64> {
        self.sizes()
            .and_then(|(bytes, compressed)| (!compressed).then_some(bytes))
    }

    /// The inputs' total size on disk and whether any file is named `.gz`
    /// (None for stdin).
    fn sizes(&self) -> Option<(u64, bool)> {
        fn add((b, z): (u64, bool), (b2, z2): (u64, bool)) -> (u64, bool) {
            (b + b2, z || z2)
        }
        fn walk(p: &Path, depth: usize) -> (u64, bool) {
            let Ok(meta) = std::fs::metadata(p) else {
                return (0, false);
            };
            if meta.is_file() {
                let gz = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"));
                return (meta.len(), gz);
            }
            if !meta.is_dir() || depth > 64 {
                return (0, false);
            }
            std::fs::read_dir(p)
                .map(|rd| {
                    rd.flatten()
                        .map(|e| walk(&e.path(), depth + 1))
                        .fold((0, false), add)
                })
                .unwrap_or((0, false))
        }
        if self.paths.iter().any(|p| p.as_os_str() == "-") {
            return None;
        }
        Some(self.paths.iter().map(|p| walk(p, 0)).fold((0, false), add))
    }

    /// The inputs as the user named them, for the manifest and dashboard.
    pub fn names(&self) -> Vec<String> {
        self.paths.iter().map(|p| p.display().to_string()).collect()
    }
}

/// Stop words and stemming.
#[derive(Debug, Clone)]
pub struct WordConfig {
    pub stop_source: StopWordSource,
    pub stop_words: StopWords,
    pub stem: bool,
    pub across_sentences: bool,
}

impl WordConfig {
    pub fn from_args(a: &WordArgs) -> anyhow::Result<WordConfig> {
        let stop_source: StopWordSource = a.stopwords.parse().unwrap_or(StopWordSource::None);
        if let StopWordSource::File(p) = &stop_source {
            if !p.exists() {
                return usage(format!(
                    "--stopwords `{}` is neither a built-in list (tidytext, snowball, smart, onix, none) nor an existing file",
                    p.display()
                ));
            }
        }
        let stop_words = StopWords::load(&stop_source).map_err(|e| UsageError(e.to_string()))?;
        Ok(WordConfig {
            stop_source,
            stop_words,
            stem: a.stem,
            across_sentences: a.ngrams_across_sentences,
        })
    }
}

/// Worker threads and terminal output.
#[derive(Debug, Clone, Copy)]
pub struct RunConfig {
    pub threads: usize,
    pub quiet: bool,
}

impl RunConfig {
    pub fn from_args(a: &RunArgs) -> anyhow::Result<RunConfig> {
        let threads = match a.threads {
            Some(0) => return usage("-j/--threads must be at least 1"),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        // The work done after the corpus is read (sorting, writing tables,
        // drawing charts) runs on rayon's pool: `-j` sizes it too, so that
        // `-j 1` uses one core from start to end.  Building the pool fails
        // only when it exists already (a second command line parsed in one
        // process, as tests do), and then it keeps its size.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
        Ok(RunConfig {
            threads,
            quiet: a.quiet,
        })
    }
}

/// Loads the lexicons named on the command line (or the defaults), each
/// on a thread of its own (the report's three took 7 ms one after the
/// other); an error is the one the first bad name gives, and no lexicon
/// after a name that is neither built in nor a file is loaded.
pub fn load_lexicons(names: &[String], defaults: &[&str]) -> anyhow::Result<Vec<Arc<Lexicon>>> {
    let names: Vec<String> = if names.is_empty() {
        defaults.iter().map(|s| s.to_string()).collect()
    } else {
        names.to_vec()
    };
    let mut specs: Vec<LexiconSpec> = Vec::with_capacity(names.len());
    let mut bad_name = None;
    for name in &names {
        let spec = name
            .parse::<LexiconSpec>()
            .map_err(|e| anyhow::Error::new(UsageError(e.to_string())))
            .and_then(|spec| match &spec {
                LexiconSpec::File(p) if !p.exists() => usage(format!(
                    "--lexicon `{name}` is neither a built-in lexicon (vader, vader-news, afinn, bing) nor an existing file"
                )),
                _ => Ok(spec),
            });
        match spec {
            Ok(spec) => specs.push(spec),
            Err(e) => {
                bad_name = Some(e);
                break;
            }
        }
    }
    let load = |spec: &LexiconSpec| Lexicon::load(spec).map_err(|e| UsageError(e.to_string()));
    let loaded: Vec<_> = std::thread::scope(|s| {
        let others: Vec<_> = specs
            .iter()
            .skip(1)
            .map(|spec| s.spawn(move || load(spec)))
            .collect();
        let mut loaded = Vec::with_capacity(specs.len());
        if let Some(first) = specs.first() {
            loaded.push(load(first));
        }
        for h in others {
            loaded.push(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        loaded
    });
    let mut out: Vec<Arc<Lexicon>> = Vec::new();
    for (name, lex) in names.iter().zip(loaded) {
        let lex = lex?;
        if out.iter().any(|l| l.name() == lex.name()) {
            return usage(format!(
                "--lexicon `{name}` is given twice (or two files share the name `{}`)",
                lex.name()
            ));
        }
        out.push(Arc::new(lex));
    }
    match bad_name {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    /// The message of `load_lexicons`' error, which must be a usage error.
    fn error_of(list: &[&str]) -> String {
        let e = load_lexicons(&names(list), &["vader"]).expect_err("an error");
        assert!(e.downcast_ref::<UsageError>().is_some(), "{e}");
        e.to_string()
    }

    #[test]
    fn lexicons_load_in_the_order_named() {
        let got = load_lexicons(&names(&["bing", "vader", "afinn"]), &["vader"]).expect("loads");
        let got: Vec<&str> = got.iter().map(|l| l.name()).collect();
        assert_eq!(got, ["bing", "vader", "afinn"]);
        let default = load_lexicons(&[], &["vader"]).expect("loads");
        assert_eq!(default.len(), 1);
        assert_eq!(default[0].name(), "vader");
    }

    #[test]
    fn the_first_bad_name_gives_the_error() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, "word,score\ngood,1,2\n").expect("written");
        let bad = bad.to_str().expect("UTF-8 path");
        // A file that fails to load, before a name that is nothing.
        assert!(error_of(&[bad, "nosuch"]).contains("line 2"));
        // A name that is nothing, before the file.
        assert!(error_of(&["nosuch", bad]).contains("`nosuch`"));
        // A lexicon named twice, before a name that is nothing.
        assert!(error_of(&["bing", "vader", "bing", "nosuch"]).contains("given twice"));
    }

    #[test]
    fn compressed_inputs_have_no_expected_text_size() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let plain = dir.path().join("a.csv");
        std::fs::write(&plain, "text\nhello\n").expect("written");
        let sub = dir.path().join("more");
        std::fs::create_dir(&sub).expect("folder");
        std::fs::write(sub.join("b.txt.GZ"), [0x1f, 0x8b, 0, 0, 0]).expect("written");
        let config = |paths: Vec<PathBuf>| InputConfig {
            paths,
            options: Default::default(),
        };
        let one = config(vec![plain.clone()]);
        assert_eq!(one.total_bytes(), Some(11));
        assert_eq!(one.expected_record_bytes(), Some(11));
        let all = config(vec![dir.path().to_path_buf()]);
        assert_eq!(all.total_bytes(), Some(16));
        assert_eq!(all.expected_record_bytes(), None);
        let stdin = config(vec![plain, PathBuf::from("-")]);
        assert_eq!(stdin.total_bytes(), None);
        assert_eq!(stdin.expected_record_bytes(), None);
    }
}
