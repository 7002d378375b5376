//! One type for every lexicon, as the command line and the report use them.

use std::path::PathBuf;
use std::str::FromStr;

use crate::afinn::Afinn;
use crate::error::SentimentError;
use crate::token_lexicon::{name_of, sanitize, TokenLexicon};
use crate::types::{VaderScores, WordHit};
use crate::vader::Vader;

const BING_CSV: &str = include_str!("../../../data/lexicons/bing.csv");

/// Which lexicon to load, as named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexiconSpec {
    /// `vader`: vaderSentiment 3.3.2.
    Vader,
    /// `vader-news`: the improved variant for news text.
    VaderNews,
    /// `afinn`: AFINN-165.
    Afinn,
    /// `bing`: the Bing Liu opinion lexicon.
    Bing,
    /// A user lexicon file (CSV/TSV, valence or categorical, or NRC layout).
    File(PathBuf),
}

impl FromStr for LexiconSpec {
    type Err = SentimentError;

    /// `vader`, `vader-news` (or `vader_news`), `afinn`, `bing` (any case);
    /// anything else is a path.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().is_empty() {
            return Err(SentimentError::EmptySpec);
        }
        Ok(match s.to_ascii_lowercase().as_str() {
            "vader" => LexiconSpec::Vader,
            "vader-news" | "vader_news" => LexiconSpec::VaderNews,
            "afinn" => LexiconSpec::Afinn,
            "bing" => LexiconSpec::Bing,
            _ => LexiconSpec::File(PathBuf::from(s)),
        })
    }
}

impl std::fmt::Display for LexiconSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LexiconSpec::Vader => f.write_str("vader"),
            LexiconSpec::VaderNews => f.write_str("vader-news"),
            LexiconSpec::Afinn => f.write_str("afinn"),
            LexiconSpec::Bing => f.write_str("bing"),
            LexiconSpec::File(p) => write!(f, "{}", p.display()),
        }
    }
}

#[derive(Debug, Clone)]
enum Kind {
    Vader(Vader),
    Afinn(Afinn),
    /// A valence (one column) or categorical token lexicon. `polarity` holds
    /// the columns of categories named positive and negative, if any.
    Tokens {
        lexicon: TokenLexicon,
        polarity: Option<(usize, usize)>,
    },
}

/// A loaded lexicon of any kind, with its output columns.
#[derive(Debug, Clone)]
pub struct Lexicon {
    name: String,
    columns: Vec<String>,
    primary: usize,
    kind: Kind,
}

impl Lexicon {
    /// Loads the built-in lexicon or reads and checks the user file.
    pub fn load(spec: &LexiconSpec) -> Result<Lexicon, SentimentError> {
        let cols = |name: &str, measures: &[&str]| -> Vec<String> {
            measures.iter().map(|m| format!("{name}_{m}")).collect()
        };
        Ok(match spec {
            LexiconSpec::Vader | LexiconSpec::VaderNews => {
                let (name, vader) = if *spec == LexiconSpec::Vader {
                    ("vader", Vader::standard())
                } else {
                    ("vader_news", Vader::news())
                };
                Lexicon {
                    name: name.into(),
                    columns: cols(name, &["neg", "neu", "pos", "compound"]),
                    primary: 3,
                    kind: Kind::Vader(vader),
                }
            }
            LexiconSpec::Afinn => Lexicon {
                name: "afinn".into(),
                columns: cols("afinn", &["score"]),
                primary: 0,
                kind: Kind::Afinn(Afinn::new()),
            },
            LexiconSpec::Bing => Lexicon::from_tokens("bing".into(), TokenLexicon::bing(BING_CSV)?),
            LexiconSpec::File(path) => {
                Lexicon::from_tokens(name_of(path), TokenLexicon::from_file(path)?)
            }
        })
    }

    /// The word and category of a token lexicon's hit number (a
    /// [`WordHit::entry`] it reported), for a caller that tallied its hits
    /// by number and kept no text; `None` for other lexicons, whose hits
    /// the caller names from the hits themselves.
    pub fn hit_names(&self, number: u32) -> Option<(&str, &str)> {
        match &self.kind {
            Kind::Tokens { lexicon, .. } => lexicon.hit_names(number),
            Kind::Vader(_) | Kind::Afinn(_) => None,
        }
    }

    fn from_tokens(name: String, lexicon: TokenLexicon) -> Lexicon {
        let categories = lexicon.categories();
        if categories.is_empty() {
            return Lexicon {
                columns: vec![format!("{name}_score")],
                name,
                primary: 0,
                kind: Kind::Tokens {
                    lexicon,
                    polarity: None,
                },
            };
        }
        let columns = categories
            .iter()
            .map(|c| format!("{name}_{}", sanitize(c)))
            .collect();
        let find = |wanted: &str| categories.iter().position(|c| sanitize(c) == wanted);
        let polarity = find("positive").zip(find("negative"));
        Lexicon {
            name,
            columns,
            primary: polarity.map_or(0, |(p, _)| p),
            kind: Kind::Tokens { lexicon, polarity },
        }
    }

    /// `vader`, `vader_news`, `afinn`, `bing`, or the sanitised file stem.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Output columns, `<name>_<measure>`: `vader_neg, vader_neu, vader_pos,
    /// vader_compound` | `afinn_score` | `bing_positive, bing_negative` |
    /// `<name>_score` | `<name>_<category>`... (categories sorted).
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The column charts use as "the" sentiment: `vader_compound`,
    /// `afinn_score`, `<name>_score`; for categorical lexicons the
    /// `positive` column when there is one, else the first column. See
    /// [`Lexicon::polarity`] for a signed value.
    pub fn primary_column(&self) -> usize {
        self.primary
    }

    /// Is this VADER (standard or news)?  VADER is meant for sentence-sized
    /// units: a long text is scored as the mean of its sentences.
    pub fn is_vader(&self) -> bool {
        matches!(self.kind, Kind::Vader(_))
    }

    /// The VADER scorer, for a VADER lexicon.
    pub fn vader(&self) -> Option<&Vader> {
        match &self.kind {
            Kind::Vader(v) => Some(v),
            _ => None,
        }
    }

    /// For a VADER lexicon, what [`Lexicon::score`] writes for a unit that
    /// [`Vader::is_quiet_unit`] accepts ([`Vader::neutral`]), without
    /// reading it; for other lexicons, zeros.
    pub fn score_neutral(&self, out: &mut [f64]) {
        let width = self.columns.len().min(out.len());
        let out = &mut out[..width];
        out.fill(0.0);
        if let Kind::Vader(_) = self.kind {
            vader_columns(out, Vader::neutral());
        }
    }

    /// Does this lexicon read the unit's text (VADER, AFINN) rather than its
    /// tokens?
    pub fn reads_text(&self) -> bool {
        matches!(self.kind, Kind::Vader(_) | Kind::Afinn(_))
    }

    /// Number of distinct entries.
    pub fn len(&self) -> usize {
        match &self.kind {
            Kind::Vader(v) => v.lexicon_len(),
            Kind::Afinn(a) => a.len(),
            Kind::Tokens { lexicon, .. } => lexicon.len(),
        }
    }

    /// True when the lexicon has no entries (never for a loaded one).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Scores one unit into `out` (one slot per column; `out` is
    /// overwritten, extra slots are left alone, missing ones are skipped).
    /// VADER and AFINN read `text`; token lexicons read `tokens`, which the
    /// caller gives tokenised and lower-cased (tidytext-style words).
    /// `on_hit` receives every entry that changed the score.
    pub fn score(
        &self,
        text: &str,
        tokens: &[&str],
        out: &mut [f64],
        on_hit: &mut dyn FnMut(WordHit<'_>),
    ) {
        let width = self.columns.len().min(out.len());
        let out = &mut out[..width];
        out.fill(0.0);
        match &self.kind {
            Kind::Vader(v) => vader_columns(out, v.polarity_scores_with(text, on_hit)),
            Kind::Afinn(a) => {
                let s = a.score_with(text, on_hit);
                if let Some(slot) = out.first_mut() {
                    *slot = s;
                }
            }
            Kind::Tokens { lexicon, .. } => lexicon.score(tokens, out, on_hit),
        }
    }

    /// For a token lexicon ([`Lexicon::reads_text`] false): adds one token
    /// of a unit to `out`, which must start zeroed, so that the unit's
    /// tokens given one by one leave what [`Lexicon::score`] gives for all
    /// of them (no hits are reported).  Other lexicons ignore it.
    #[inline]
    pub fn score_token(&self, token: &str, out: &mut [f64]) {
        if let Kind::Tokens { lexicon, .. } = &self.kind {
            let width = self.columns.len().min(out.len());
            lexicon.score_token(token, &mut out[..width], &mut |_| {});
        }
    }

    /// Whether `token`, whose first 16 bytes (as
    /// `lexiscope_text::words::head16` gives them) are `head`, can score at
    /// all: false only for a word lexicon that has no entry for it, whose
    /// [`Lexicon::score`] of the token alone adds nothing and reports no hit.
    /// True for the lexicons that read whole texts.
    #[inline]
    pub fn has_token_headed(&self, token: &str, head: [u64; 2]) -> bool {
        match &self.kind {
            Kind::Tokens { lexicon, .. } => lexicon.has_token_headed(token, head),
            _ => true,
        }
    }

    /// [`Lexicon::score_token`] of a token whose first 16 bytes, as
    /// `lexiscope_text::words::head16` gives them (and
    /// `Tokenizer::for_each_headed` hands them over), are `head`: looked up
    /// without reading the token again.  Always inlined: it is the whole
    /// per-token work of `sentiment` with a word lexicon, and left a call
    /// (the compiler's choice in some builds) it cost `sentiment --lexicon
    /// bing` 62 M more instructions on the bundled corpus (575 M against
    /// 512 M).
    #[inline(always)]
    pub fn score_token_headed(&self, token: &str, head: [u64; 2], out: &mut [f64]) {
        if let Kind::Tokens { lexicon, .. } = &self.kind {
            let width = self.columns.len().min(out.len());
            lexicon.count_token_headed(token, head, &mut out[..width]);
        }
    }

    /// The signed sentiment of a scored unit, where the lexicon has one:
    /// VADER compound, AFINN or valence sum, positive minus negative count
    /// for Bing and categorical lexicons with those two categories.
    pub fn polarity(&self, out: &[f64]) -> Option<f64> {
        let get = |i: usize| out.get(i).copied();
        match &self.kind {
            Kind::Vader(_) => get(3),
            Kind::Afinn(_) => get(0),
            Kind::Tokens {
                polarity: Some((p, n)),
                ..
            } => Some(get(*p)? - get(*n)?),
            Kind::Tokens { lexicon, .. } if lexicon.categories().is_empty() => get(0),
            Kind::Tokens { .. } => None,
        }
    }
}

/// VADER's scores in its four columns' order (as many as `out` holds).
fn vader_columns(out: &mut [f64], s: VaderScores) {
    for (slot, value) in out.iter_mut().zip([s.neg, s.neu, s.pos, s.compound]) {
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse() {
        let p = |s: &str| s.parse::<LexiconSpec>().ok();
        assert_eq!(p("vader"), Some(LexiconSpec::Vader));
        assert_eq!(p("VADER-news"), Some(LexiconSpec::VaderNews));
        assert_eq!(p("vader_news"), Some(LexiconSpec::VaderNews));
        assert_eq!(p("afinn"), Some(LexiconSpec::Afinn));
        assert_eq!(p("bing"), Some(LexiconSpec::Bing));
        assert_eq!(
            p("my/nrc.txt"),
            Some(LexiconSpec::File("my/nrc.txt".into()))
        );
        assert!(p(" ").is_none());
        assert_eq!(LexiconSpec::VaderNews.to_string(), "vader-news");
    }

    #[test]
    fn builtin_columns_and_scores() {
        let mut out = [0.0; 4];
        let vader = Lexicon::load(&LexiconSpec::Vader).expect("vader");
        assert_eq!(
            vader.columns(),
            ["vader_neg", "vader_neu", "vader_pos", "vader_compound"]
        );
        assert_eq!(vader.primary_column(), 3);
        assert!(vader.is_vader() && vader.reads_text());
        assert!(!Lexicon::load(&LexiconSpec::Afinn)
            .expect("afinn")
            .is_vader());
        vader.score("The book was good.", &[], &mut out, &mut |_| {});
        assert_eq!(out, [0.0, 0.508, 0.492, 0.4404]);
        assert_eq!(vader.polarity(&out), Some(0.4404));

        let news = Lexicon::load(&LexiconSpec::VaderNews).expect("news");
        assert_eq!(news.name(), "vader_news");
        assert_eq!(news.columns()[3], "vader_news_compound");

        let afinn = Lexicon::load(&LexiconSpec::Afinn).expect("afinn");
        assert_eq!(afinn.columns(), ["afinn_score"]);
        afinn.score("good and bad", &[], &mut out, &mut |_| {});
        assert_eq!(out[0], 0.0);
        afinn.score("good and great", &[], &mut out, &mut |_| {});
        assert_eq!(out[0], 6.0);
        assert!(afinn.reads_text());
    }

    #[test]
    fn bing_counts_like_inner_join() {
        let bing = Lexicon::load(&LexiconSpec::Bing).expect("bing");
        assert_eq!(bing.name(), "bing");
        assert_eq!(bing.columns(), ["bing_positive", "bing_negative"]);
        assert_eq!(bing.len(), 6_783);
        assert!(!bing.reads_text());
        let mut out = [0.0; 2];
        let mut hits = Vec::new();
        // "envious" is listed as both positive and negative in bing.csv.
        bing.score(
            "",
            &["miss", "well", "envious", "good", "the", "abnormal"],
            &mut out,
            &mut |h| hits.push((h.word.to_string(), h.category.to_string())),
        );
        assert_eq!(out, [3.0, 3.0]);
        assert_eq!(bing.polarity(&out), Some(0.0));
        assert!(hits.contains(&("envious".into(), "positive".into())));
        assert!(hits.contains(&("envious".into(), "negative".into())));
    }

    #[test]
    fn tokens_one_by_one_score_as_all_at_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let valence = dir.path().join("valence.csv");
        std::fs::write(&valence, "word,score\ngood,0.1\nbad,-0.7\nfine,0.2\n").expect("write");
        let lexicons = [
            Lexicon::load(&LexiconSpec::Bing).expect("bing"),
            Lexicon::load(&LexiconSpec::File(valence)).expect("valence"),
        ];
        let tokens = [
            "good", "envious", "the", "bad", "fine", "good", "abnormal", "fine",
        ];
        for lex in &lexicons {
            let width = lex.columns().len();
            let mut all = vec![0.0; width];
            lex.score("", &tokens, &mut all, &mut |_| {});
            let mut one_by_one = vec![0.0; width];
            for t in tokens {
                lex.score_token(t, &mut one_by_one);
            }
            // Bit for bit, sums of fractions included.
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&one_by_one), bits(&all), "{}", lex.name());
            assert!(all.iter().any(|&x| x != 0.0), "{}", lex.name());
        }
    }
}
