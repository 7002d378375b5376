//! Document metadata (titles, URLs, ...) kept on disk between reading and
//! writing documents.csv, so that memory does not grow with the corpus.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Arc;

use anyhow::Context;

use crate::percolumns::PerColumns;

/// Rows of (column, value) pairs in an anonymous temporary file, with the
/// union of the column names in order of first appearance.
pub struct MetaSpill {
    columns: Vec<Arc<str>>,
    index: HashMap<Arc<str>, u32>,
    /// The number here of each column of the list of names
    /// [`MetaSpill::push_meta`] met last (documents of one file share it).
    numbered: PerColumns<Vec<u32>>,
    writer: BufWriter<File>,
    rows: u64,
}

impl MetaSpill {
    pub fn new() -> anyhow::Result<MetaSpill> {
        let file =
            tempfile::tempfile().context("cannot create a temporary file for document metadata")?;
        Ok(MetaSpill {
            columns: Vec::new(),
            index: HashMap::new(),
            numbered: PerColumns::default(),
            writer: BufWriter::with_capacity(1 << 20, file),
            rows: 0,
        })
    }

    /// Appends one document's metadata as read.  Columns are numbered once
    /// per list of column names (documents of one file share theirs), not
    /// once per document.
    pub fn push_meta(&mut self, meta: &lexiscope_ingest::Meta) -> anyhow::Result<()> {
        let (columns, index) = (&mut self.columns, &mut self.index);
        let numbers = self.numbered.get(meta.columns_arc(), |names| {
            names
                .iter()
                .map(|n| column_number(columns, index, n))
                .collect()
        });
        let w = &mut self.writer;
        w.write_all(&(meta.len() as u32).to_le_bytes())?;
        for (&col, (_, value)) in numbers.iter().zip(meta.iter()) {
            w.write_all(&col.to_le_bytes())?;
            w.write_all(&(value.len() as u32).to_le_bytes())?;
            w.write_all(value.as_bytes())?;
        }
        self.rows += 1;
        Ok(())
    }

    /// Column names in order of first appearance.
    pub fn columns(&self) -> &[Arc<str>] {
        &self.columns
    }

    /// Reads the rows back in the order they were written.
    pub fn into_reader(self) -> anyhow::Result<MetaReader> {
        let mut file = self.writer.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        Ok(MetaReader {
            reader: BufReader::with_capacity(1 << 20, file),
            width: self.columns.len(),
            left: self.rows,
            spare: Vec::new(),
        })
    }
}

/// The number of column `name` among `columns` (indexed by `index`),
/// numbering it if it is new.
fn column_number(
    columns: &mut Vec<Arc<str>>,
    index: &mut HashMap<Arc<str>, u32>,
    name: &Arc<str>,
) -> u32 {
    match index.get(name) {
        Some(&c) => c,
        None => {
            let c = columns.len() as u32;
            columns.push(name.clone());
            index.insert(name.clone(), c);
            c
        }
    }
}

/// Reads a [`MetaSpill`] back, row by row.
pub struct MetaReader {
    reader: BufReader<File>,
    width: usize,
    left: u64,
    /// Buffers of values already handed out, for the next row's values.
    spare: Vec<Vec<u8>>,
}

impl MetaReader {
    /// The next row, one slot per column (None where the document has no
    /// such column); None after the last row.
    pub fn next_row(&mut self, out: &mut Vec<Option<String>>) -> anyhow::Result<bool> {
        if self.left == 0 {
            return Ok(false);
        }
        self.left -= 1;
        // The last row's strings hold this row's values.
        for slot in out.iter_mut() {
            if let Some(v) = slot.take() {
                self.spare.push(v.into_bytes());
            }
        }
        out.resize(self.width, None);
        let r = &mut self.reader;
        let mut b4 = [0u8; 4];
        r.read_exact(&mut b4)?;
        for _ in 0..u32::from_le_bytes(b4) {
            r.read_exact(&mut b4)?;
            let col = u32::from_le_bytes(b4) as usize;
            r.read_exact(&mut b4)?;
            let mut bytes = self.spare.pop().unwrap_or_default();
            bytes.clear();
            bytes.resize(u32::from_le_bytes(b4) as usize, 0);
            r.read_exact(&mut bytes)?;
            let value = String::from_utf8(bytes).context("document metadata came back damaged")?;
            if let Some(slot) = out.get_mut(col) {
                *slot = Some(value);
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lexiscope_ingest::Meta;

    #[test]
    fn round_trip_with_a_growing_union_of_columns() {
        let mut s = MetaSpill::new().unwrap();
        let title: Arc<[Arc<str>]> = vec![Arc::from("title")].into();
        let url_title: Arc<[Arc<str>]> = vec![Arc::from("url"), Arc::from("title")].into();
        s.push_meta(&Meta::new(title.clone(), &["One"])).unwrap();
        s.push_meta(&Meta::default()).unwrap();
        s.push_meta(&Meta::new(url_title.clone(), &["http://x", "Three, é"]))
            .unwrap();
        // The same list of names again (numbered once), then an equal list
        // that is not the same one.
        s.push_meta(&Meta::new(url_title, &["http://y", "Four"]))
            .unwrap();
        let again: Arc<[Arc<str>]> = vec![Arc::from("title")].into();
        s.push_meta(&Meta::new(again, &["Five"])).unwrap();
        s.push_meta(&Meta::new(title, &[""])).unwrap();
        assert_eq!(
            s.columns().iter().map(|c| &**c).collect::<Vec<_>>(),
            ["title", "url"]
        );
        let mut r = s.into_reader().unwrap();
        let mut row = Vec::new();
        let mut rows = Vec::new();
        while r.next_row(&mut row).unwrap() {
            rows.push(row.clone());
        }
        let some = |v: &str| Some(v.to_string());
        assert_eq!(
            rows,
            [
                vec![some("One"), None],
                vec![None, None],
                vec![some("Three, é"), some("http://x")],
                vec![some("Four"), some("http://y")],
                vec![some("Five"), None],
                vec![some(""), None],
            ]
        );
    }
}
