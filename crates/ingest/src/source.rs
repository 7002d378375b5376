//! Opening a byte stream: gzip, byte-order marks, UTF-16 and binary sniffing.

use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use encoding_rs::{Decoder, UTF_16BE, UTF_16LE};
use flate2::read::MultiGzDecoder;

/// A buffered byte stream, already decompressed and (for UTF-16) transcoded to UTF-8.
pub(crate) type ByteReader = Box<dyn BufRead + Send>;

/// How many bytes are looked at to decide whether a stream is text.
const SNIFF_LEN: usize = 8 * 1024;
const BUF_LEN: usize = 64 * 1024;

/// A stream ready to be parsed.
pub(crate) struct Opened {
    pub reader: ByteReader,
    /// Set when UTF-16 input held unpaired surrogates (they became U+FFFD).
    pub utf16_errors: Option<Arc<AtomicBool>>,
    /// The first byte that is not ASCII whitespace (to recognise JSON on stdin).
    pub first_byte: Option<u8>,
}

/// The result of opening: a text stream or the reason it looks binary.
pub(crate) enum Sniffed {
    Text(Opened),
    Binary(&'static str),
}

/// Opens a raw stream: gunzips it when it starts with the gzip magic bytes,
/// drops a UTF-8 byte-order mark, transcodes UTF-16 (with a byte-order mark)
/// to UTF-8, then looks at the first 8 KiB to tell text from binary.
pub(crate) fn open_stream(raw: Box<dyn Read + Send>) -> Sniffed {
    let (mut head, raw) = read_head(raw);
    let mut stream: Box<dyn Read + Send> = raw;
    if head.starts_with(&[0x1f, 0x8b]) {
        let gz = MultiGzDecoder::new(Cursor::new(head).chain(stream));
        let (h, s) = read_head(Box::new(gz));
        head = h;
        stream = s;
    }
    let mut utf16_errors = None;
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        head.drain(..3);
    } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        let le = head[0] == 0xFF;
        head.drain(..2);
        let flag = Arc::new(AtomicBool::new(false));
        let decoder = if le { UTF_16LE } else { UTF_16BE }.new_decoder_without_bom_handling();
        let utf8 = Utf16ToUtf8::new(Cursor::new(head).chain(stream), decoder, Arc::clone(&flag));
        let (h, s) = read_head(Box::new(utf8));
        head = h;
        stream = s;
        utf16_errors = Some(flag);
    }
    if let Some(reason) = binary_reason(&head) {
        return Sniffed::Binary(reason);
    }
    let first_byte = head.iter().copied().find(|b| !b.is_ascii_whitespace());
    let reader = BufReader::with_capacity(BUF_LEN, Cursor::new(head).chain(stream));
    Sniffed::Text(Opened {
        reader: Box::new(reader),
        utf16_errors,
        first_byte,
    })
}

/// Reads up to [`SNIFF_LEN`] bytes and returns them with a stream that
/// yields the rest. A read error is not returned here: it is kept for the
/// stream to give after the bytes that were read, so that a truncated small
/// gzip file still yields its first records.
fn read_head(mut raw: Box<dyn Read + Send>) -> (Vec<u8>, Box<dyn Read + Send>) {
    let mut head = vec![0; SNIFF_LEN];
    let mut len = 0;
    while len < SNIFF_LEN {
        match raw.read(&mut head[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                head.truncate(len);
                return (head, Box::new(Failing(Some(e))));
            }
        }
    }
    head.truncate(len);
    (head, raw)
}

/// A stream that gives one error, then ends.
struct Failing(Option<io::Error>);

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// Why `head` (the start of a stream, after decoding) looks binary, if it does.
pub(crate) fn binary_reason(head: &[u8]) -> Option<&'static str> {
    if head.is_empty() {
        return None;
    }
    if memchr::memchr(0, head).is_some() {
        return Some(if looks_like_utf16(head) {
            "it contains NUL bytes (it looks like UTF-16 without a byte-order mark)"
        } else {
            "it contains NUL bytes"
        });
    }
    let control = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F)
        .count();
    if control * 3 > head.len() {
        Some("it is mostly control characters")
    } else {
        None
    }
}

/// True when NULs sit almost only at even or almost only at odd positions,
/// as in ASCII text stored as UTF-16.
fn looks_like_utf16(head: &[u8]) -> bool {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return false;
    }
    let (mut even, mut odd) = (0, 0);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let mostly = |n: usize| n * 2 > pairs;
    let hardly = |n: usize| n * 10 < pairs;
    (mostly(even) && hardly(odd)) || (mostly(odd) && hardly(even))
}

/// Counts the bytes read from a file or stdin (before decompression).
pub(crate) struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R> Counting<R> {
    pub(crate) fn new(inner: R, count: Arc<AtomicU64>) -> Counting<R> {
        Counting { inner, count }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Transcodes UTF-16 to UTF-8 as it reads, in constant memory.
struct Utf16ToUtf8<R> {
    inner: R,
    decoder: Decoder,
    input: Box<[u8]>,
    in_pos: usize,
    in_end: usize,
    in_eof: bool,
    output: Box<[u8]>,
    out_pos: usize,
    out_end: usize,
    done: bool,
    errors: Arc<AtomicBool>,
}

impl<R: Read> Utf16ToUtf8<R> {
    fn new(inner: R, decoder: Decoder, errors: Arc<AtomicBool>) -> Utf16ToUtf8<R> {
        Utf16ToUtf8 {
            inner,
            decoder,
            input: vec![0; 32 * 1024].into_boxed_slice(),
            in_pos: 0,
            in_end: 0,
            in_eof: false,
            // UTF-16 code units expand to at most 3 UTF-8 bytes each.
            output: vec![0; 48 * 1024 + 16].into_boxed_slice(),
            out_pos: 0,
            out_end: 0,
            done: false,
            errors,
        }
    }
}

impl<R: Read> Read for Utf16ToUtf8<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_pos < self.out_end {
                let n = buf.len().min(self.out_end - self.out_pos);
                buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.in_pos == self.in_end && !self.in_eof {
                self.in_pos = 0;
                self.in_end = 0;
                match self.inner.read(&mut self.input) {
                    Ok(0) => self.in_eof = true,
                    Ok(n) => self.in_end = n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            }
            let (result, read, written, replaced) = self.decoder.decode_to_utf8(
                &self.input[self.in_pos..self.in_end],
                &mut self.output,
                self.in_eof,
            );
            self.in_pos += read;
            self.out_pos = 0;
            self.out_end = written;
            if replaced {
                self.errors.store(true, Ordering::Relaxed);
            }
            if self.in_eof && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(bytes: &[u8]) -> Sniffed {
        open_stream(Box::new(Cursor::new(bytes.to_vec())))
    }

    fn read_all(bytes: &[u8]) -> Vec<u8> {
        match open(bytes) {
            Sniffed::Text(mut o) => {
                let mut out = Vec::new();
                o.reader.read_to_end(&mut out).unwrap();
                out
            }
            Sniffed::Binary(r) => panic!("binary: {r}"),
        }
    }

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        let mut out = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in s.encode_utf16() {
            out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(read_all(b"\xEF\xBB\xBFa,b\n"), b"a,b\n");
    }

    #[test]
    fn utf16_both_orders_become_utf8_even_when_long() {
        let text: String = "Ünïcödé “quotes” 😀 line\n".repeat(5000);
        for le in [true, false] {
            let out = read_all(&utf16(&text, le));
            assert_eq!(String::from_utf8(out).unwrap(), text);
        }
    }

    #[test]
    fn unpaired_surrogate_is_flagged() {
        let mut bytes = utf16("ab", true);
        bytes.extend_from_slice(&[0x00, 0xD8]); // lone high surrogate
        bytes.extend_from_slice(&utf16("c", true)[2..]);
        match open(&bytes) {
            Sniffed::Text(mut o) => {
                let mut out = String::new();
                o.reader.read_to_string(&mut out).unwrap();
                assert_eq!(out, "ab\u{FFFD}c");
                assert!(o.utf16_errors.unwrap().load(Ordering::Relaxed));
            }
            Sniffed::Binary(_) => panic!("binary"),
        }
    }

    #[test]
    fn gzip_is_detected_by_magic() {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(b"hello gz").unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(read_all(&gz), b"hello gz");
    }

    #[test]
    fn binary_is_recognised() {
        assert!(matches!(
            open(b"PK\x03\x04\x00\x00"),
            Sniffed::Binary("it contains NUL bytes")
        ));
        assert!(matches!(open(b"\x01\x02\x03\x04ab"), Sniffed::Binary(_)));
        let utf16_no_bom: Vec<u8> = "hello there".bytes().flat_map(|b| [b, 0]).collect();
        match open(&utf16_no_bom) {
            Sniffed::Binary(r) => assert!(r.contains("UTF-16")),
            Sniffed::Text(_) => panic!("text"),
        }
        assert!(matches!(
            open(b"tab\tand\r\nform\x0cfeed"),
            Sniffed::Text(_)
        ));
        assert!(matches!(open(b""), Sniffed::Text(_)));
    }
}
