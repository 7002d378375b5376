//! Reading a DataFrame row by row for writing it out: each column through
//! its typed iterator, where looking cells up one by one (`Column::get`)
//! built a dynamic value per cell and was most of the time spent writing
//! documents.csv.

use polars::prelude::*;

/// One cell of a row, as [`FrameRows`] reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum FrameCell<'a> {
    /// A missing value.
    Null,
    /// Text.
    Str(&'a str),
    /// An unsigned whole number.
    UInt(u64),
    /// A signed whole number.
    Int(i64),
    /// A real number.
    Float(f64),
    /// A value of another type, as its text.
    Other(String),
}

/// A column's cells, in order.
enum Cells<'a> {
    Str(Box<dyn Iterator<Item = Option<&'a str>> + 'a>),
    UInt(Box<dyn Iterator<Item = Option<u64>> + 'a>),
    Int(Box<dyn Iterator<Item = Option<i64>> + 'a>),
    Float(Box<dyn Iterator<Item = Option<f64>> + 'a>),
    /// Other types: looked up cell by cell.
    Any(&'a Column),
}

/// The rows of a DataFrame, read one after another (see
/// [`FrameRows::next_row`]).
pub struct FrameRows<'a> {
    columns: Vec<Cells<'a>>,
    row: usize,
    height: usize,
}

impl<'a> FrameRows<'a> {
    /// Starts reading `df` at its first row.
    pub fn new(df: &'a DataFrame) -> PolarsResult<FrameRows<'a>> {
        let columns = df
            .columns()
            .iter()
            .map(|c| {
                Ok(match c.dtype() {
                    DataType::String => Cells::Str(Box::new(c.str()?.iter())),
                    DataType::UInt64 => Cells::UInt(Box::new(c.u64()?.iter())),
                    DataType::Int64 => Cells::Int(Box::new(c.i64()?.iter())),
                    DataType::Float64 => Cells::Float(Box::new(c.f64()?.iter())),
                    _ => Cells::Any(c),
                })
            })
            .collect::<PolarsResult<_>>()?;
        Ok(FrameRows {
            columns,
            row: 0,
            height: df.height(),
        })
    }

    /// Puts the next row's cells into `out` (emptied first); false when
    /// every row has been read.
    pub fn next_row(&mut self, out: &mut Vec<FrameCell<'a>>) -> PolarsResult<bool> {
        out.clear();
        if self.row >= self.height {
            return Ok(false);
        }
        for c in &mut self.columns {
            out.push(match c {
                Cells::Str(it) => it.next().flatten().map_or(FrameCell::Null, FrameCell::Str),
                Cells::UInt(it) => it.next().flatten().map_or(FrameCell::Null, FrameCell::UInt),
                Cells::Int(it) => it.next().flatten().map_or(FrameCell::Null, FrameCell::Int),
                Cells::Float(it) => it
                    .next()
                    .flatten()
                    .map_or(FrameCell::Null, FrameCell::Float),
                Cells::Any(col) => match col.get(self.row)? {
                    AnyValue::Null => FrameCell::Null,
                    other => FrameCell::Other(other.to_string()),
                },
            });
        }
        self.row += 1;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_through_iterators_equal_cell_lookups() {
        let df = DataFrame::new(
            3,
            vec![
                Column::new("s".into(), [Some("a"), None, Some("c")]),
                Column::new("u".into(), [Some(1u64), Some(2), None]),
                Column::new("i".into(), [Some(-1i64), None, Some(3)]),
                Column::new("f".into(), [None, Some(0.5f64), Some(f64::NAN)]),
                Column::new("b".into(), [Some(true), None, Some(false)]),
            ],
        )
        .unwrap();
        let mut rows = FrameRows::new(&df).unwrap();
        let mut cells = Vec::new();
        let mut n = 0;
        while rows.next_row(&mut cells).unwrap() {
            for (c, col) in cells.iter().zip(df.columns()) {
                let want = match col.get(n).unwrap() {
                    AnyValue::Null => FrameCell::Null,
                    AnyValue::String(s) => FrameCell::Str(s),
                    AnyValue::UInt64(x) => FrameCell::UInt(x),
                    AnyValue::Int64(x) => FrameCell::Int(x),
                    AnyValue::Float64(x) => FrameCell::Float(x),
                    other => FrameCell::Other(other.to_string()),
                };
                match (c, &want) {
                    (FrameCell::Float(a), FrameCell::Float(b)) => {
                        assert_eq!(a.to_bits(), b.to_bits(), "row {n}")
                    }
                    _ => assert_eq!(c, &want, "row {n} column {}", col.name()),
                }
            }
            n += 1;
        }
        assert_eq!(n, 3);
        assert!(!rows.next_row(&mut cells).unwrap());
    }
}
