//! A streaming CSV/TSV record parser that knows its line numbers.
//!
//! RFC 4180 with the usual leniency: fields may be quoted with `"` (a doubled
//! `""` inside is one quote) and may then hold delimiters and line breaks; a
//! quote inside an unquoted field is an ordinary character; text after a
//! closing quote is kept; records end at LF, CRLF or a lone CR; blank lines
//! are skipped. It works on bytes, so any ASCII-compatible encoding passes
//! through; decoding is done per record by the caller.

use std::io::{self, BufRead};

use memchr::{memchr, memchr2, memchr3, memchr_iter};

/// The raw bytes of one record, fields laid end to end.
#[derive(Debug, Default, Clone)]
pub(crate) struct RawRecord {
    pub buf: Vec<u8>,
    /// `ends[i]` is the end of field `i` in `buf`.
    pub ends: Vec<usize>,
    /// The line where the record starts, from 1.
    pub line: u64,
}

impl RawRecord {
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn field(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }

    pub(crate) fn bounds(&self, i: usize) -> (usize, usize) {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        (start, self.ends[i])
    }
}

/// What [`CsvParser::read_record`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CsvRead {
    /// A record was read into the buffer.
    Record,
    /// The end of the input.
    End,
    /// The input ended inside a quoted field that started on the record's
    /// line; `last_line` is the last line of the input.
    Unterminated { last_line: u64 },
}

#[derive(Clone, Copy)]
enum State {
    StartRecord,
    StartField,
    Unquoted,
    Quoted,
    AfterQuote,
}

pub(crate) struct CsvParser<R> {
    rdr: R,
    delim: u8,
    /// The line of the next byte to be read.
    line: u64,
    /// The previous record ended with CR: an LF right after it is part of it.
    skip_lf: bool,
}

impl<R: BufRead> CsvParser<R> {
    pub(crate) fn new(rdr: R, delim: u8) -> CsvParser<R> {
        CsvParser {
            rdr,
            delim,
            line: 1,
            skip_lf: false,
        }
    }

    /// The line of the next byte to be read.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// Reads the next record into `rec`. Time is linear in the record's size
    /// however the input is chunked.
    pub(crate) fn read_record(&mut self, rec: &mut RawRecord) -> io::Result<CsvRead> {
        rec.buf.clear();
        rec.ends.clear();
        rec.line = self.line;
        let delim = self.delim;
        let mut state = State::StartRecord;
        loop {
            let data = match self.rdr.fill_buf() {
                Ok(d) => d,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if data.is_empty() {
                return Ok(match state {
                    State::StartRecord => CsvRead::End,
                    State::Quoted => {
                        rec.ends.push(rec.buf.len());
                        // The quoted field holds every byte up to the end.
                        let ends_with_newline = rec.buf.last() == Some(&b'\n');
                        CsvRead::Unterminated {
                            last_line: self.line - u64::from(ends_with_newline),
                        }
                    }
                    _ => {
                        rec.ends.push(rec.buf.len());
                        CsvRead::Record
                    }
                });
            }
            let n = data.len();
            let mut i = 0;
            let mut done = false;
            while i < n && !done {
                match state {
                    State::StartRecord => {
                        let b = data[i];
                        if std::mem::take(&mut self.skip_lf) && b == b'\n' {
                            i += 1;
                        } else if b == b'\n' {
                            self.line += 1;
                            i += 1;
                        } else if b == b'\r' {
                            self.line += 1;
                            self.skip_lf = true;
                            i += 1;
                        } else {
                            rec.line = self.line;
                            state = State::StartField;
                        }
                    }
                    State::StartField => {
                        if data[i] == b'"' {
                            state = State::Quoted;
                            i += 1;
                        } else {
                            state = State::Unquoted;
                        }
                    }
                    State::Unquoted => match memchr3(delim, b'\n', b'\r', &data[i..]) {
                        None => {
                            rec.buf.extend_from_slice(&data[i..]);
                            i = n;
                        }
                        Some(k) => {
                            let p = i + k;
                            rec.buf.extend_from_slice(&data[i..p]);
                            rec.ends.push(rec.buf.len());
                            let b = data[p];
                            i = p + 1;
                            if b == delim {
                                state = State::StartField;
                            } else {
                                self.line += 1;
                                self.skip_lf = b == b'\r';
                                done = true;
                            }
                        }
                    },
                    State::Quoted => {
                        // The closing quote.  Most quoted fields (one line of
                        // text each) have no line end before it, which one
                        // scan for either byte shows; from the first line end
                        // on, the quote is found and the line ends counted
                        // apart (a scan stopping at every line end would be
                        // slower on fields of many short lines).
                        let end = match memchr2(b'"', b'\n', &data[i..]) {
                            Some(k) if data[i + k] == b'"' => i + k,
                            None => n,
                            Some(k) => {
                                let from = i + k;
                                let end = memchr(b'"', &data[from..]).map_or(n, |q| from + q);
                                self.line += memchr_iter(b'\n', &data[from..end]).count() as u64;
                                end
                            }
                        };
                        let chunk = &data[i..end];
                        rec.buf.extend_from_slice(chunk);
                        if end < n {
                            state = State::AfterQuote;
                            i = end + 1;
                        } else {
                            i = n;
                        }
                    }
                    State::AfterQuote => {
                        let b = data[i];
                        if b == b'"' {
                            rec.buf.push(b'"');
                            state = State::Quoted;
                            i += 1;
                        } else if b == delim {
                            rec.ends.push(rec.buf.len());
                            state = State::StartField;
                            i += 1;
                        } else if b == b'\n' || b == b'\r' {
                            rec.ends.push(rec.buf.len());
                            self.line += 1;
                            self.skip_lf = b == b'\r';
                            i += 1;
                            done = true;
                        } else {
                            // `"abc"def`: keep the rest as ordinary text.
                            state = State::Unquoted;
                        }
                    }
                }
            }
            self.rdr.consume(i);
            if done {
                return Ok(CsvRead::Record);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor};

    /// Parses `input` with a tiny buffer (to split records across chunks)
    /// and returns (line, fields) per record and the final status.
    fn parse(input: &[u8], delim: u8, cap: usize) -> (Vec<(u64, Vec<String>)>, CsvRead) {
        let mut p = CsvParser::new(
            BufReader::with_capacity(cap, Cursor::new(input.to_vec())),
            delim,
        );
        let mut rec = RawRecord::default();
        let mut out = Vec::new();
        loop {
            match p.read_record(&mut rec).unwrap() {
                CsvRead::Record => out.push((
                    rec.line,
                    (0..rec.len())
                        .map(|i| String::from_utf8_lossy(rec.field(i)).into_owned())
                        .collect(),
                )),
                other => return (out, other),
            }
        }
    }

    fn fields(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn quoted_fields_with_newlines_quotes_and_crlf() {
        let input = b"id,text\r\n1,\"a, b\"\r\n2,\"line one\r\nline \"\"two\"\"\"\r\n3,plain\r\n";
        for cap in [1, 2, 3, 7, 64 * 1024] {
            let (recs, end) = parse(input, b',', cap);
            assert_eq!(end, CsvRead::End);
            assert_eq!(
                recs,
                vec![
                    (1, fields(&["id", "text"])),
                    (2, fields(&["1", "a, b"])),
                    (3, fields(&["2", "line one\r\nline \"two\""])),
                    (5, fields(&["3", "plain"])),
                ],
                "buffer capacity {cap}"
            );
        }
    }

    #[test]
    fn blank_lines_lone_cr_and_no_final_newline() {
        let (recs, end) = parse(b"a,b\n\n1,2\r3,4\r\n\r\n5,", b',', 2);
        assert_eq!(end, CsvRead::End);
        assert_eq!(
            recs,
            vec![
                (1, fields(&["a", "b"])),
                (3, fields(&["1", "2"])),
                (4, fields(&["3", "4"])),
                (6, fields(&["5", ""])),
            ]
        );
    }

    #[test]
    fn lenient_quotes() {
        let (recs, _) = parse(b"ab\"c,\"x\"y,\"\"\n", b',', 1024);
        assert_eq!(recs, vec![(1, fields(&["ab\"c", "xy", ""]))]);
        // the news corpus writes lost curly quotes as `""?` inside quoted fields
        let (recs, _) = parse(b"1,\"DeVos\"\"?highly\"\n", b',', 1024);
        assert_eq!(recs, vec![(1, fields(&["1", "DeVos\"?highly"]))]);
    }

    #[test]
    fn unterminated_quote_is_reported_with_lines() {
        let (recs, end) = parse(b"a,b\n1,\"open\n2,x\n3,y\n", b',', 4);
        assert_eq!(recs, vec![(1, fields(&["a", "b"]))]);
        assert_eq!(end, CsvRead::Unterminated { last_line: 4 });
        let (_, end) = parse(b"a,b\n1,\"open\n2,x", b',', 4);
        assert_eq!(end, CsvRead::Unterminated { last_line: 3 });
    }

    #[test]
    fn tabs() {
        let (recs, _) = parse(b"a\tb\n1,2\t\"x\ty\"\n", b'\t', 3);
        assert_eq!(
            recs,
            vec![(1, fields(&["a", "b"])), (2, fields(&["1,2", "x\ty"]))]
        );
    }

    /// The parser's rules, one byte at a time with the whole input at hand:
    /// what [`parse`] must give for any input and buffer size.
    fn reference(input: &[u8], delim: u8) -> (Vec<(u64, Vec<String>)>, CsvRead) {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let (mut out, mut line, mut i) = (Vec::new(), 1u64, 0);
        let n = input.len();
        while i < n {
            // Blank lines before a record.
            match input[i] {
                b'\n' => {
                    line += 1;
                    i += 1;
                    continue;
                }
                b'\r' => {
                    line += 1;
                    i += 1;
                    if input.get(i) == Some(&b'\n') {
                        i += 1;
                    }
                    continue;
                }
                _ => {}
            }
            let start = line;
            let mut fields = Vec::new();
            let mut field = Vec::new();
            let mut quoted = false;
            let mut at_start = true;
            loop {
                let Some(&b) = input.get(i) else {
                    if quoted {
                        let last_line = line - u64::from(field.last() == Some(&b'\n'));
                        return (out, CsvRead::Unterminated { last_line });
                    }
                    fields.push(text(&field));
                    break;
                };
                i += 1;
                if quoted {
                    if b == b'"' {
                        if input.get(i) == Some(&b'"') {
                            field.push(b'"');
                            i += 1;
                        } else {
                            quoted = false;
                        }
                    } else {
                        line += u64::from(b == b'\n');
                        field.push(b);
                    }
                } else if at_start && b == b'"' {
                    quoted = true;
                    at_start = false;
                } else if b == delim {
                    fields.push(text(&std::mem::take(&mut field)));
                    at_start = true;
                } else if b == b'\n' || b == b'\r' {
                    line += 1;
                    if b == b'\r' && input.get(i) == Some(&b'\n') {
                        i += 1;
                    }
                    fields.push(text(&field));
                    break;
                } else {
                    field.push(b);
                    at_start = false;
                }
            }
            out.push((start, fields));
        }
        (out, CsvRead::End)
    }

    proptest::proptest! {
        /// Records, fields and line numbers (which count the line ends
        /// inside quoted fields) as the byte-by-byte rules give them, for
        /// any cut of the input into buffers.
        #[test]
        fn records_and_lines_follow_the_rules(
            input in proptest::collection::vec(
                proptest::sample::select(b"ab,\"\n\r ".to_vec()), 0..80),
            cap in 1usize..9,
        ) {
            proptest::prop_assert_eq!(parse(&input, b',', cap), reference(&input, b','));
        }
    }

    #[test]
    fn huge_single_field_is_linear() {
        // 20 MB in one quoted field with no newline, read in 64 KiB chunks.
        let mut input = b"text\n\"".to_vec();
        input.extend(std::iter::repeat_n(b'x', 20_000_000));
        input.extend_from_slice(b"\"\n");
        let start = std::time::Instant::now();
        let (recs, _) = parse(&input, b',', 64 * 1024);
        assert_eq!(recs[1].1[0].len(), 20_000_000);
        assert!(start.elapsed().as_secs() < 10);
    }
}
