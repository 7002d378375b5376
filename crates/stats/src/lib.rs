//! The statistics layer of Lexiscope: the per-document table, the corpus
//! summary, the groups table and the timeline, built with polars (eager API);
//! plus the helpers they need: dates as scrapers write them, outlets from
//! URLs, syllables and readability.
//!
//! ```
//! use lexiscope_stats::{Date, DocFigures, DocRow, DocTableBuilder, SentimentMeasure};
//!
//! let mut b = DocTableBuilder::new(vec!["vader_compound".into()]);
//! for (id, url, date, s) in [("1", "http://www.bbc.co.uk/a", "2017/2/7", 0.4), ("2", "http://cnn.com/b", "2017/2/8", -0.2)] {
//!     b.push(DocRow {
//!         id: id.into(),
//!         group: lexiscope_stats::group_value(url).map(str::to_string),
//!         date: Date::parse(date),
//!         figures: DocFigures { tokens: 100, sentences: 5, ..Default::default() },
//!         sentiment: vec![s],
//!         ..Default::default()
//!     });
//! }
//! let table = b.finish(Some("outlet"), Some("date"), &[]).unwrap();
//! let m = SentimentMeasure { column: "vader_compound".into(), positive_at: 0.05, negative_at: -0.05 };
//! let groups = table.groups(Some(&m)).unwrap().unwrap();
//! assert_eq!(groups.height(), 2);
//! ```
#![deny(missing_docs)]

mod columns;
mod dates;
mod error;
mod frame;
mod readability;
mod table;

pub use columns::{detect_date_column, detect_group_column, group_value, url_host};
pub use dates::{Date, Period};
pub use error::StatsError;
pub use frame::{FrameCell, FrameRows};
pub use polars::prelude::{AnyValue, DataFrame};
pub use readability::{flesch_kincaid_grade, flesch_reading_ease, syllables};
pub use table::{DocFigures, DocRow, DocTable, DocTableBuilder, SentimentMeasure, Value};
