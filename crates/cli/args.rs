//! Command-line arguments, as clap parses them.  Doc comments are the help
//! text.  `config.rs` turns them into a checked configuration.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  lexiscope report                          # the bundled news corpus -> reports/
  lexiscope report my_articles/ -o out/     # a folder of .txt/.csv/.jsonl files
  lexiscope report scrape.csv --group-by source --date-col published
  lexiscope freq data/corpus --ngram 2 --top 20
  lexiscope sentiment reviews.csv --lexicon vader --lexicon afinn
  cat article.txt | lexiscope tokens -
  lexiscope kwic refugee* data/corpus --window 6";

/// Text analytics for news corpora: word and n-gram counts, lexicon
/// sentiment (VADER, AFINN, Bing, your own), CSV tables, charts and an
/// offline HTML dashboard.
#[derive(Debug, Parser)]
#[command(name = "lexiscope", version, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse a corpus and write CSV tables, PNG charts and an HTML dashboard.
    #[command(after_help = "\
Examples:
  lexiscope report                        # data/corpus -> reports/
  lexiscope report articles/ -o out/ --format png,svg
  lexiscope report export.csv --text-col body --group-by section --date-col published
  lexiscope report tweets.jsonl --lexicon vader --lexicon my_lexicon.csv
  lexiscope report --excel                # also report.xlsx, CSV files for Excel

Output (in DIR): summary.csv documents.csv terms.csv bigrams.csv tfidf.csv
sentiment_words.csv groups.csv timeline.csv keyness.csv collocations.csv
charts/*.png index.html manifest.json, and with --excel report.xlsx (the
same tables, one sheet each)")]
    Report(ReportArgs),
    /// Count words or n-grams; CSV to stdout: term,count,doc_count,per_million.
    #[command(after_help = "\
Examples:
  lexiscope freq data/corpus --top 25
  lexiscope freq austen.csv --stopwords none
  lexiscope freq data/corpus --ngram 2 --stopwords tidytext
  lexiscope freq austen.csv --by book --tfidf --stopwords none
  lexiscope freq data/corpus --lexicon bing --lexicon afinn

With --lexicon, each term gets the lexicon's columns (bing_positive,bing_negative |
afinn_score | <name>_score | <name>_<category>): what one occurrence of the term,
scored alone, adds to a document's score in `lexiscope sentiment`.")]
    Freq(FreqArgs),
    /// Score sentiment per document, sentence or line; CSV to stdout.
    #[command(after_help = "\
Examples:
  lexiscope sentiment data/corpus/isis_weakness.txt --unit sentence
  lexiscope sentiment reviews.txt --unit line --lexicon vader --lexicon afinn
  lexiscope sentiment tweets.jsonl --lexicon nrc.txt

Columns: doc_id,unit, then <lexicon>_<measure>: vader_neg,vader_neu,vader_pos,
vader_compound | afinn_score | bing_positive,bing_negative | <name>_score |
<name>_<category> for categorical lexicons")]
    Sentiment(SentimentArgs),
    /// Print every word token, one per line, as the counts see them.
    #[command(after_help = "\
Examples:
  echo \"It's 3.14, Mr. O'Neil!\" | lexiscope tokens -
  lexiscope tokens data/corpus/isis_weakness.txt --with-id")]
    Tokens(TokensArgs),
    /// Keyword in context: every occurrence of WORD with the words around it.
    #[command(after_help = "\
Examples:
  lexiscope kwic refugees data/corpus
  lexiscope kwic 'terror*' data/corpus --window 8
WORD is matched against tokens (case-insensitive, curly apostrophes folded);
a trailing or leading * matches any ending or beginning.")]
    Kwic(KwicArgs),
}

/// Where documents come from and how they are read.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// Files or folders to read (folders recursively), or - for standard input [default: data/corpus]
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Column holding the text in CSV/TSV/JSONL input [default: text, content, body or article]
    #[arg(long, value_name = "COL")]
    pub text_col: Option<String>,
    /// Column holding document ids [default: file name and row number]
    #[arg(long, value_name = "COL")]
    pub id_col: Option<String>,
    /// Format of standard input [default: guessed from its first bytes]
    #[arg(long, value_name = "FORMAT", value_parser = ["txt", "csv", "tsv", "jsonl"])]
    pub stdin_format: Option<String>,
    /// Keep HTML tags in texts that look like HTML (they are stripped by default)
    #[arg(long)]
    pub keep_html: bool,
    /// Keep HTML entities such as &amp; as they are (decoded by default)
    #[arg(long)]
    pub keep_entities: bool,
    /// Keep non-breaking and other Unicode spaces (made plain spaces by default)
    #[arg(long)]
    pub keep_spaces: bool,
}

/// How words are counted.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Words")]
pub struct WordArgs {
    /// Stop words: tidytext (SMART+snowball+onix), snowball, smart, onix, none, or a file
    #[arg(long, value_name = "LIST", default_value = "tidytext")]
    pub stopwords: String,
    /// Count Snowball (Porter 2) stems instead of words
    #[arg(long)]
    pub stem: bool,
    /// Let n-grams run across sentence ends within a document (tidytext's unnest_tokens(token = "ngrams") does)
    #[arg(long)]
    pub ngrams_across_sentences: bool,
}

/// Performance and terminal output.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Running")]
pub struct RunArgs {
    /// Threads to use [default: all cores]; results are identical for any value
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress and no summary on the terminal (warnings still go to stderr)
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Folder for the report (created if missing)
    #[arg(short, long, value_name = "DIR", default_value = "reports")]
    pub output: PathBuf,
    /// Lexicon: vader, vader-news, afinn, bing or a file; repeat for several [default: vader, afinn, bing]
    #[arg(long = "lexicon", value_name = "L")]
    pub lexicons: Vec<String>,
    /// Metadata column to group documents by (URLs are reduced to their host) [default: detected]
    #[arg(long, value_name = "COL")]
    pub group_by: Option<String>,
    /// Metadata column holding the publication date [default: detected]
    #[arg(long, value_name = "COL")]
    pub date_col: Option<String>,
    /// Do not group documents even when a group column is detected
    #[arg(long, conflicts_with = "group_by")]
    pub no_groups: bool,
    /// Rows in charts, top terms per document in tfidf.csv, terms per group
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,
    /// Chart formats, comma-separated: png, svg
    #[arg(
        long,
        value_name = "LIST",
        default_value = "png",
        value_delimiter = ','
    )]
    pub format: Vec<ChartFormatArg>,
    /// Minimum bigram count for collocations.csv
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub min_collocation: u64,
    /// Write cells that start with = + - @ as they are (for numeric pipelines, not spreadsheets)
    #[arg(long)]
    pub no_formula_guard: bool,
    /// For Excel: also write report.xlsx, and start every CSV file with a UTF-8 byte-order mark
    #[arg(long)]
    pub excel: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub words: WordArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ChartFormatArg {
    Png,
    Svg,
}

#[derive(Debug, Args)]
pub struct FreqArgs {
    /// Count n-grams of this length (2 for bigrams); n-grams never cross sentences
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub ngram: usize,
    /// Count separately per value of this metadata column (URLs reduced to their host); adds a first column
    #[arg(long, value_name = "COL")]
    pub by: Option<String>,
    /// With --by: add tf, idf and tf_idf columns, the groups acting as documents (tidytext's bind_tf_idf)
    #[arg(long, requires = "by")]
    pub tfidf: bool,
    /// Print only the N most frequent rows (per group with --by)
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Add each term's value in a word lexicon: bing, afinn or a file; repeat for several
    #[arg(long = "lexicon", value_name = "L")]
    pub lexicons: Vec<String>,
    /// Start the output with a UTF-8 byte-order mark, so Excel shows accents and curly quotes right
    #[arg(long)]
    pub excel: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub words: WordArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Unit {
    /// The whole document is one unit
    Doc,
    /// Every sentence is a unit
    Sentence,
    /// Every line of the text is a unit, blank lines included
    Line,
}

#[derive(Debug, Args)]
pub struct SentimentArgs {
    /// Lexicon: vader, vader-news, afinn, bing or a file; repeat for several [default: vader]
    #[arg(long = "lexicon", value_name = "L")]
    pub lexicons: Vec<String>,
    /// What one row scores
    #[arg(long, value_enum, default_value_t = Unit::Doc)]
    pub unit: Unit,
    /// Start the output with a UTF-8 byte-order mark, so Excel shows accents and curly quotes right
    #[arg(long)]
    pub excel: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Args)]
pub struct TokensArgs {
    /// Print the document id, a tab and the token instead of the token alone
    #[arg(long)]
    pub with_id: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Args)]
pub struct KwicArgs {
    /// The word to find (case-insensitive; * at either end matches anything)
    #[arg(value_name = "WORD")]
    pub word: String,
    /// Words of context on each side
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub window: usize,
    /// Start the output with a UTF-8 byte-order mark, so Excel shows accents and curly quotes right
    #[arg(long)]
    pub excel: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub run: RunArgs,
}
