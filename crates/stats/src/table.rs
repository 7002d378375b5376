//! The per-document table (a polars DataFrame) and what is derived from it:
//! the corpus summary, the groups table and the timeline.

use std::collections::HashMap;
use std::sync::Arc;

use polars::prelude::*;

use crate::dates::{Date, Period};
use crate::readability::{flesch_kincaid_grade, flesch_reading_ease};
use crate::StatsError;

/// Counts gathered while reading one document.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DocFigures {
    /// Word tokens.
    pub tokens: u64,
    /// Distinct word tokens.
    pub types: u64,
    /// Sentences.
    pub sentences: u64,
    /// Tokens holding at least one letter (the "words" of readability formulas).
    pub words: u64,
    /// Letters in those words.
    pub letters: u64,
    /// Syllables in those words.
    pub syllables: u64,
    /// Moving-average type/token ratio.
    pub mattr: f64,
}

/// One document's row, as the pipeline hands it over.
#[derive(Debug, Clone, Default)]
pub struct DocRow {
    /// Document id.
    pub id: String,
    /// Metadata columns (name, value) in the input's order.
    pub meta: Vec<(Arc<str>, String)>,
    /// The document's group (outlet), if any.
    pub group: Option<String>,
    /// The document's date, if any.
    pub date: Option<Date>,
    /// Counts.
    pub figures: DocFigures,
    /// Sentiment values, one per sentiment column (NaN when not defined).
    pub sentiment: Vec<f64>,
}

/// How a sentiment measure splits documents into positive and negative.
#[derive(Debug, Clone, PartialEq)]
pub struct SentimentMeasure {
    /// Column name, e.g. `vader_compound`.
    pub column: String,
    /// A document is positive when its value is at least this...
    pub positive_at: f64,
    /// ...and negative when at most this.
    pub negative_at: f64,
}

/// Collects [`DocRow`]s column by column; memory grows with the number of
/// documents, not with their length.
#[derive(Debug, Default)]
pub struct DocTableBuilder {
    ids: Vec<String>,
    meta_cols: Vec<Arc<str>>,
    meta_index: HashMap<Arc<str>, usize>,
    meta: Vec<Vec<Option<String>>>,
    groups: Vec<Option<String>>,
    dates: Vec<Option<Date>>,
    figures: Vec<DocFigures>,
    sentiment_cols: Vec<String>,
    sentiment: Vec<Vec<Option<f64>>>,
}

impl DocTableBuilder {
    /// A builder for rows with these sentiment columns.
    pub fn new(sentiment_cols: Vec<String>) -> Self {
        let n = sentiment_cols.len();
        DocTableBuilder {
            sentiment_cols,
            sentiment: vec![Vec::new(); n],
            ..Default::default()
        }
    }

    /// Adds a row.
    pub fn push(&mut self, row: DocRow) {
        let at = self.ids.len();
        for (name, value) in row.meta {
            let idx = match self.meta_index.get(&name) {
                Some(&i) => i,
                None => {
                    self.meta_cols.push(name.clone());
                    self.meta_index.insert(name, self.meta.len());
                    self.meta.push(vec![None; at]);
                    self.meta.len() - 1
                }
            };
            let col = &mut self.meta[idx];
            col.resize(at, None);
            col.push(Some(value));
        }
        for col in &mut self.meta {
            col.resize(at + 1, None);
        }
        self.ids.push(row.id);
        self.groups.push(row.group);
        self.dates.push(row.date);
        self.figures.push(row.figures);
        for (i, col) in self.sentiment.iter_mut().enumerate() {
            let v = row.sentiment.get(i).copied().unwrap_or(f64::NAN);
            col.push(v.is_finite().then_some(v));
        }
    }

    /// Rows so far.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True before the first row.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id of the row at `index`.
    pub fn id(&self, index: usize) -> Option<&str> {
        self.ids.get(index).map(String::as_str)
    }

    /// Builds the table.  `group_name` and `date_name` are the headers of
    /// the derived group and date columns (left out when None); `reserved`
    /// names columns kept elsewhere (metadata written beside the table),
    /// which derived columns must not take.
    pub fn finish(
        self,
        group_name: Option<&str>,
        date_name: Option<&str>,
        reserved: &[&str],
    ) -> Result<DocTable, StatsError> {
        let n = self.ids.len();
        let mut cols: Vec<Column> = Vec::new();
        let mut taken: Vec<String> = vec!["doc_id".into()];
        taken.extend(reserved.iter().map(|r| r.to_string()));
        cols.push(Series::new("doc_id".into(), self.ids).into_column());
        for (name, values) in self.meta_cols.iter().zip(self.meta) {
            let name = unique(&mut taken, name);
            cols.push(Series::new(name.into(), values).into_column());
        }
        let group_col = group_name.map(|g| unique(&mut taken, g));
        if let Some(g) = &group_col {
            cols.push(Series::new(g.into(), self.groups).into_column());
        }
        let date_col = date_name.map(|d| unique(&mut taken, d));
        if let Some(d) = &date_col {
            let v: Vec<Option<String>> = self
                .dates
                .iter()
                .map(|d| d.map(|d| d.to_string()))
                .collect();
            cols.push(Series::new(d.into(), v).into_column());
        }
        let f = &self.figures;
        let u = |name: &str, get: fn(&DocFigures) -> u64| {
            Series::new(name.into(), f.iter().map(get).collect::<Vec<u64>>()).into_column()
        };
        let fl = |name: &str, get: &dyn Fn(&DocFigures) -> f64| {
            let v: Vec<Option<f64>> = f
                .iter()
                .map(|x| {
                    let v = get(x);
                    v.is_finite().then_some(v)
                })
                .collect();
            Series::new(name.into(), v).into_column()
        };
        cols.push(u("tokens", |x| x.tokens));
        cols.push(u("types", |x| x.types));
        cols.push(u("sentences", |x| x.sentences));
        cols.push(fl("mean_sentence_length", &|x| {
            ratio(x.tokens, x.sentences)
        }));
        cols.push(fl("mean_word_length", &|x| ratio(x.letters, x.words)));
        cols.push(fl("ttr", &|x| ratio(x.types, x.tokens)));
        cols.push(fl("mattr", &|x| x.mattr));
        cols.push(fl("flesch_reading_ease", &|x| {
            flesch_reading_ease(x.words, x.sentences, x.syllables)
        }));
        cols.push(fl("flesch_kincaid_grade", &|x| {
            flesch_kincaid_grade(x.words, x.sentences, x.syllables)
        }));
        for (name, values) in self.sentiment_cols.iter().zip(self.sentiment) {
            let name = unique(&mut taken, name);
            cols.push(Series::new(name.into(), values).into_column());
        }
        let df = DataFrame::new(n, cols)?;
        Ok(DocTable {
            df,
            group_col,
            date_col,
            sentiment_cols: self.sentiment_cols,
        })
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// A column name not yet taken (metadata may already use ours).
fn unique(taken: &mut Vec<String>, name: &str) -> String {
    let mut candidate = name.to_string();
    let mut k = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}_{k}");
        k += 1;
    }
    taken.push(candidate.clone());
    candidate
}

/// The per-document table.
#[derive(Debug, Clone)]
pub struct DocTable {
    df: DataFrame,
    group_col: Option<String>,
    date_col: Option<String>,
    sentiment_cols: Vec<String>,
}

/// One row of the summary: a metric and its value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A whole number.
    Int(u64),
    /// A real number (NaN when undefined).
    Float(f64),
    /// Text.
    Text(String),
}

impl DocTable {
    /// The DataFrame, in documents.csv's column order.
    pub fn frame(&self) -> &DataFrame {
        &self.df
    }

    /// Name of the group column, if any.
    pub fn group_column(&self) -> Option<&str> {
        self.group_col.as_deref()
    }

    /// Name of the date column, if any.
    pub fn date_column(&self) -> Option<&str> {
        self.date_col.as_deref()
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.df.height()
    }

    /// True for an empty corpus.
    pub fn is_empty(&self) -> bool {
        self.df.height() == 0
    }

    /// The values of a numeric column without nulls, in row order.
    pub fn values(&self, column: &str) -> Result<Vec<f64>, StatsError> {
        let s = self
            .df
            .column(column)?
            .as_materialized_series()
            .cast(&DataType::Float64)?;
        Ok(s.f64()?
            .iter()
            .flatten()
            .filter(|v| v.is_finite())
            .collect())
    }

    /// Mean, standard deviation, quartiles, minimum and maximum of a numeric
    /// column (nulls skipped), as `<prefix>_mean`, `<prefix>_sd`, ... rows.
    pub fn describe(&self, column: &str, prefix: &str) -> Result<Vec<(String, Value)>, StatsError> {
        let s = self
            .df
            .column(column)?
            .as_materialized_series()
            .cast(&DataType::Float64)?;
        let ca = s.f64()?;
        let q = |p: f64| -> Result<f64, StatsError> {
            Ok(ca.quantile(p, QuantileMethod::Linear)?.unwrap_or(f64::NAN))
        };
        Ok(vec![
            (
                format!("{prefix}_mean"),
                Value::Float(ca.mean().unwrap_or(f64::NAN)),
            ),
            (
                format!("{prefix}_sd"),
                Value::Float(ca.std(1).unwrap_or(f64::NAN)),
            ),
            (
                format!("{prefix}_min"),
                Value::Float(ca.min().unwrap_or(f64::NAN)),
            ),
            (format!("{prefix}_q1"), Value::Float(q(0.25)?)),
            (format!("{prefix}_median"), Value::Float(q(0.5)?)),
            (format!("{prefix}_q3"), Value::Float(q(0.75)?)),
            (
                format!("{prefix}_max"),
                Value::Float(ca.max().unwrap_or(f64::NAN)),
            ),
        ])
    }

    /// The corpus summary derived from the table: documents, sentences, and
    /// the distribution of per-document figures and sentiment.
    pub fn summary(&self) -> Result<Vec<(String, Value)>, StatsError> {
        let mut out = Vec::new();
        out.push(("documents".into(), Value::Int(self.len() as u64)));
        let sentences: u64 = self
            .df
            .column("sentences")?
            .as_materialized_series()
            .u64()?
            .sum()
            .unwrap_or(0);
        out.push(("sentences".into(), Value::Int(sentences)));
        let empty = self
            .df
            .column("tokens")?
            .as_materialized_series()
            .u64()?
            .iter()
            .filter(|v| *v == Some(0))
            .count();
        out.push(("empty_documents".into(), Value::Int(empty as u64)));
        for (col, prefix) in [
            ("tokens", "doc_tokens"),
            ("sentences", "doc_sentences"),
            ("mean_sentence_length", "doc_sentence_length"),
            ("mattr", "doc_mattr"),
            ("flesch_reading_ease", "doc_flesch_reading_ease"),
            ("flesch_kincaid_grade", "doc_flesch_kincaid_grade"),
        ] {
            out.extend(self.describe(col, prefix)?);
        }
        for col in &self.sentiment_cols {
            out.extend(self.describe(col, &format!("doc_{col}"))?);
        }
        if let Some(d) = &self.date_col {
            let dates = self.dates(d)?;
            out.push((
                "documents_with_date".into(),
                Value::Int(dates.iter().flatten().count() as u64),
            ));
            if let (Some(first), Some(last)) =
                (dates.iter().flatten().min(), dates.iter().flatten().max())
            {
                out.push(("first_date".into(), Value::Text(first.to_string())));
                out.push(("last_date".into(), Value::Text(last.to_string())));
            }
        }
        if let Some(g) = &self.group_col {
            let groups = self.df.column(g)?.as_materialized_series().n_unique()?;
            let has_null = self.df.column(g)?.null_count() > 0;
            out.push((
                "groups".into(),
                Value::Int((groups - usize::from(has_null)) as u64),
            ));
        }
        Ok(out)
    }

    fn dates(&self, col: &str) -> Result<Vec<Option<Date>>, StatsError> {
        Ok(self
            .df
            .column(col)?
            .as_materialized_series()
            .str()?
            .iter()
            .map(|v| v.and_then(Date::parse))
            .collect())
    }

    /// One row per group (in order of first appearance; documents without a
    /// group are left out): group, documents, tokens, the mean of every
    /// sentiment column, and for `measure` its standard deviation, median
    /// and the shares of positive and negative documents.
    pub fn groups(
        &self,
        measure: Option<&SentimentMeasure>,
    ) -> Result<Option<DataFrame>, StatsError> {
        let Some(g) = &self.group_col else {
            return Ok(None);
        };
        let with_group = self.df.filter(&self.df.column(g)?.is_not_null())?;
        if with_group.height() == 0 {
            return Ok(None);
        }
        let parts = with_group.partition_by_stable([g.as_str()], true)?;
        let keys: Vec<String> = parts
            .iter()
            .map(|p| {
                p.column(g)
                    .ok()
                    .and_then(|c| c.str().ok()?.get(0).map(str::to_string))
                    .unwrap_or_default()
            })
            .collect();
        let parts: Vec<Option<DataFrame>> = parts.into_iter().map(Some).collect();
        self.aggregate(g, keys, &parts, measure).map(Some)
    }

    /// One row per period (day, week or month, chosen from the span of the
    /// dates; see [`Period::for_span`]) from the first to the last dated
    /// document, empty periods included: period start, documents, tokens,
    /// the mean of every sentiment column, and for `measure` its standard
    /// deviation, median and the shares of positive and negative documents.
    /// Returns the period width too.
    pub fn timeline(
        &self,
        measure: Option<&SentimentMeasure>,
    ) -> Result<Option<(Period, DataFrame)>, StatsError> {
        let Some(d) = &self.date_col else {
            return Ok(None);
        };
        let dates = self.dates(d)?;
        let (Some(first), Some(last)) = (
            dates.iter().flatten().min().copied(),
            dates.iter().flatten().max().copied(),
        ) else {
            return Ok(None);
        };
        let period = Period::for_span(first, last);
        let keys: Vec<Option<String>> = dates
            .iter()
            .map(|d| d.map(|d| period.start(d).to_string()))
            .collect();
        let mut df = self.df.clone();
        df.with_column(Series::new("__period".into(), keys).into_column())?;
        let df = df.filter(&df.column("__period")?.is_not_null())?;
        let parts = df.partition_by(["__period"], true)?;
        let mut by_key: HashMap<String, DataFrame> = HashMap::new();
        for p in parts {
            let key = p
                .column("__period")?
                .str()?
                .get(0)
                .map(str::to_string)
                .unwrap_or_default();
            by_key.insert(key, p);
        }
        // Every period from the first to the last, so gaps show as zeros.
        let mut keys = Vec::new();
        let mut parts = Vec::new();
        let mut day = period.start(first);
        while day <= last {
            let key = day.to_string();
            // A period without documents is `None`, not an empty frame:
            // polars builds empty columns from a shared block of zeros, 8 MB
            // written the first time any column asks for it.
            parts.push(by_key.remove(&key));
            keys.push(key);
            day = match period {
                Period::Day => Date::from_days(day.to_days() + 1),
                Period::Week => Date::from_days(day.to_days() + 7),
                Period::Month => {
                    if day.month == 12 {
                        Date {
                            year: day.year + 1,
                            month: 1,
                            day: 1,
                        }
                    } else {
                        Date {
                            month: day.month + 1,
                            ..day
                        }
                    }
                }
            };
        }
        let table = self.aggregate("period", keys, &parts, measure)?;
        Ok(Some((period, table)))
    }

    fn aggregate(
        &self,
        key_name: &str,
        keys: Vec<String>,
        parts: &[Option<DataFrame>],
        measure: Option<&SentimentMeasure>,
    ) -> Result<DataFrame, StatsError> {
        let n = keys.len();
        let mut cols = vec![Series::new(key_name.into(), keys).into_column()];
        let docs: Vec<u64> = parts
            .iter()
            .map(|p| p.as_ref().map_or(0, |p| p.height() as u64))
            .collect();
        cols.push(Series::new("documents".into(), docs).into_column());
        let mut tokens = Vec::with_capacity(n);
        for p in parts {
            tokens.push(match p {
                Some(p) => p
                    .column("tokens")?
                    .as_materialized_series()
                    .u64()?
                    .sum()
                    .unwrap_or(0),
                None => 0,
            });
        }
        cols.push(Series::new("tokens".into(), tokens).into_column());
        for sc in &self.sentiment_cols {
            let mut means = Vec::with_capacity(n);
            for p in parts {
                means.push(match p {
                    Some(p) => p.column(sc)?.as_materialized_series().f64()?.mean(),
                    None => None,
                });
            }
            cols.push(Series::new(format!("mean_{sc}").into(), means).into_column());
        }
        if let Some(m) = measure {
            let (mut sd, mut med, mut pos, mut neg) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for p in parts {
                let Some(p) = p else {
                    // No documents: no spread, median or shares.
                    sd.push(None);
                    med.push(None);
                    pos.push(None);
                    neg.push(None);
                    continue;
                };
                let ca = p.column(&m.column)?.as_materialized_series().f64()?.clone();
                sd.push(ca.std(1));
                med.push(ca.median());
                let valid = ca.len() - ca.null_count();
                let share = |f: &dyn Fn(f64) -> bool| -> Option<f64> {
                    (valid > 0).then(|| {
                        ca.iter().flatten().filter(|v| f(*v)).count() as f64 / valid as f64
                    })
                };
                pos.push(share(&|v| v >= m.positive_at));
                neg.push(share(&|v| v <= m.negative_at));
            }
            cols.push(Series::new(format!("sd_{}", m.column).into(), sd).into_column());
            cols.push(Series::new(format!("median_{}", m.column).into(), med).into_column());
            cols.push(Series::new("share_positive".into(), pos).into_column());
            cols.push(Series::new("share_negative".into(), neg).into_column());
        }
        Ok(DataFrame::new(n, cols)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The non-null values of a text column.
    fn texts(df: &DataFrame, name: &str) -> Vec<String> {
        let col = df.column(name).unwrap().str().unwrap().clone();
        col.iter().flatten().map(str::to_string).collect()
    }

    /// The non-null values of a count column.
    fn counts(df: &DataFrame, name: &str) -> Vec<u64> {
        let col = df.column(name).unwrap().u64().unwrap().clone();
        col.iter().flatten().collect()
    }

    /// A float column, nulls included.
    fn floats(df: &DataFrame, name: &str) -> Vec<Option<f64>> {
        let col = df.column(name).unwrap().f64().unwrap().clone();
        col.iter().collect()
    }

    fn row(
        id: &str,
        meta: &[(&str, &str)],
        group: Option<&str>,
        date: Option<&str>,
        tokens: u64,
        s: f64,
    ) -> DocRow {
        DocRow {
            id: id.into(),
            meta: meta
                .iter()
                .map(|(k, v)| (Arc::from(*k), v.to_string()))
                .collect(),
            group: group.map(str::to_string),
            date: date.and_then(Date::parse),
            figures: DocFigures {
                tokens,
                types: tokens,
                sentences: 1,
                words: tokens,
                letters: tokens * 4,
                syllables: tokens,
                mattr: 1.0,
            },
            sentiment: vec![s],
        }
    }

    fn measure() -> SentimentMeasure {
        SentimentMeasure {
            column: "vader_compound".into(),
            positive_at: 0.05,
            negative_at: -0.05,
        }
    }

    fn table() -> DocTable {
        let mut b = DocTableBuilder::new(vec!["vader_compound".into()]);
        b.push(row(
            "a",
            &[("title", "A")],
            Some("bbc.co.uk"),
            Some("2017/2/7"),
            10,
            0.5,
        ));
        b.push(row(
            "b",
            &[("title", "B"), ("extra", "x")],
            Some("cnn.com"),
            Some("2017/2/9"),
            20,
            -0.5,
        ));
        b.push(row("c", &[], Some("bbc.co.uk"), None, 0, f64::NAN));
        b.push(row(
            "d",
            &[("title", "D")],
            None,
            Some("2017/2/20"),
            30,
            0.0,
        ));
        b.finish(Some("outlet"), Some("date"), &[]).unwrap()
    }

    #[test]
    fn columns_in_order_with_padding() {
        let t = table();
        let names: Vec<String> = t
            .frame()
            .get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            names,
            [
                "doc_id",
                "title",
                "extra",
                "outlet",
                "date",
                "tokens",
                "types",
                "sentences",
                "mean_sentence_length",
                "mean_word_length",
                "ttr",
                "mattr",
                "flesch_reading_ease",
                "flesch_kincaid_grade",
                "vader_compound"
            ]
        );
        let extra = t.frame().column("extra").unwrap().str().unwrap().clone();
        assert_eq!(
            extra.iter().collect::<Vec<_>>(),
            [None, Some("x"), None, None]
        );
        assert_eq!(t.len(), 4);
    }

    #[test]
    fn derived_columns_avoid_reserved_names() {
        let mut b = DocTableBuilder::new(vec![]);
        b.push(row("a", &[], Some("g"), Some("2017/2/7"), 1, 0.0));
        let t = b.finish(Some("outlet"), Some("date"), &["date"]).unwrap();
        assert_eq!(t.date_column(), Some("date_2"));
        assert_eq!(t.group_column(), Some("outlet"));
    }

    #[test]
    fn groups_and_shares() {
        let t = table();
        let g = t.groups(Some(&measure())).unwrap().unwrap();
        assert_eq!(g.height(), 2);
        let names = texts(&g, "outlet");
        assert_eq!(names, ["bbc.co.uk", "cnn.com"]);
        let docs = counts(&g, "documents");
        assert_eq!(docs, [2, 1]);
        let mean = floats(&g, "mean_vader_compound");
        assert_eq!(mean, [Some(0.5), Some(-0.5)], "NaN sentiment is skipped");
        let pos = floats(&g, "share_positive");
        assert_eq!(pos, [Some(1.0), Some(0.0)]);
    }

    #[test]
    fn timeline_fills_gaps() {
        let t = table();
        let (period, tl) = t.timeline(Some(&measure())).unwrap().unwrap();
        assert_eq!(period, Period::Day);
        assert_eq!(tl.height(), 14, "2017-02-07 .. 2017-02-20");
        let docs = counts(&tl, "documents");
        assert_eq!(docs.iter().sum::<u64>(), 3);
        assert_eq!(docs[0], 1);
        assert_eq!(docs[1], 0);
        // A period without documents: no tokens, and no mean, spread,
        // median or shares (nulls, which the CSV writes as empty cells).
        assert_eq!(counts(&tl, "tokens")[1], 0);
        for col in [
            "mean_vader_compound",
            "sd_vader_compound",
            "median_vader_compound",
            "share_positive",
            "share_negative",
        ] {
            assert_eq!(floats(&tl, col)[1], None, "{col}");
        }
        // (The first day's single document has a mean but no spread.)
        assert_eq!(floats(&tl, "mean_vader_compound")[0], Some(0.5));
        let first = tl
            .column("period")
            .unwrap()
            .str()
            .unwrap()
            .get(0)
            .map(str::to_string);
        assert_eq!(first.as_deref(), Some("2017-02-07"));
    }

    #[test]
    fn summary_values() {
        let t = table();
        let s = t.summary().unwrap();
        let get = |k: &str| s.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(get("documents"), Some(Value::Int(4)));
        assert_eq!(get("empty_documents"), Some(Value::Int(1)));
        assert_eq!(get("doc_tokens_mean"), Some(Value::Float(15.0)));
        assert_eq!(get("doc_tokens_median"), Some(Value::Float(15.0)));
        assert_eq!(get("first_date"), Some(Value::Text("2017-02-07".into())));
        assert_eq!(get("groups"), Some(Value::Int(2)));
    }
}
