//! Document metadata (titles, URLs, ...) kept on disk between reading and
//! writing documents.csv, so that memory does not grow with the corpus.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Arc;

use anyhow::Context;

/// Rows of (column, value) pairs in an anonymous temporary file, with the
/// union of the column names in order of first appearance.
pub struct MetaSpill {
    columns: Vec<Arc<str>>,
    index: HashMap<Arc<str>, u32>,
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
            writer: BufWriter::with_capacity(1 << 20, file),
            rows: 0,
        })
    }

    /// Appends one document's metadata.
    pub fn push(&mut self, meta: &[(Arc<str>, String)]) -> anyhow::Result<()> {
        let w = &mut self.writer;
        w.write_all(&(meta.len() as u32).to_le_bytes())?;
        for (name, value) in meta {
            let col = match self.index.get(name) {
                Some(&c) => c,
                None => {
                    let c = self.columns.len() as u32;
                    self.columns.push(name.clone());
                    self.index.insert(name.clone(), c);
                    c
                }
            };
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
        })
    }
}

/// Reads a [`MetaSpill`] back, row by row.
pub struct MetaReader {
    reader: BufReader<File>,
    width: usize,
    left: u64,
}

impl MetaReader {
    /// The next row, one slot per column (None where the document has no
    /// such column); None after the last row.
    pub fn next_row(&mut self, out: &mut Vec<Option<String>>) -> anyhow::Result<bool> {
        if self.left == 0 {
            return Ok(false);
        }
        self.left -= 1;
        out.clear();
        out.resize(self.width, None);
        let r = &mut self.reader;
        let mut b4 = [0u8; 4];
        r.read_exact(&mut b4)?;
        for _ in 0..u32::from_le_bytes(b4) {
            r.read_exact(&mut b4)?;
            let col = u32::from_le_bytes(b4) as usize;
            r.read_exact(&mut b4)?;
            let mut bytes = vec![0u8; u32::from_le_bytes(b4) as usize];
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

    #[test]
    fn round_trip_with_a_growing_union_of_columns() {
        let mut s = MetaSpill::new().unwrap();
        let a: Arc<str> = "title".into();
        let b: Arc<str> = "url".into();
        s.push(&[(a.clone(), "One".into())]).unwrap();
        s.push(&[]).unwrap();
        s.push(&[
            (b.clone(), "http://x".into()),
            (a.clone(), "Three, é".into()),
        ])
        .unwrap();
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
        assert_eq!(
            rows,
            [
                vec![Some("One".to_string()), None],
                vec![None, None],
                vec![Some("Three, é".to_string()), Some("http://x".to_string())],
            ]
        );
    }
}
