//! Per-document term lists kept on disk until the corpus is counted, so
//! that tf-idf per document needs memory for one document at a time.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use crate::counts::{Counts, DocTerms, TermId};
use crate::measures::{tf_idf, TfIdf};
use crate::FreqError;
use prefetch_index::prefetch_index;

/// An anonymous temporary file of [`DocTerms`] records, deleted when dropped.
pub struct DocTermSpill {
    writer: BufWriter<File>,
    docs: u64,
    /// Scratch for the record being written.
    record: Vec<u8>,
}

impl std::fmt::Debug for DocTermSpill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocTermSpill")
            .field("docs", &self.docs)
            .finish()
    }
}

impl DocTermSpill {
    /// A new spill file in the system's temporary folder.
    pub fn new() -> Result<Self, FreqError> {
        let file = tempfile::tempfile().map_err(FreqError::Spill)?;
        Ok(DocTermSpill {
            writer: BufWriter::with_capacity(1 << 20, file),
            docs: 0,
            record: Vec::new(),
        })
    }

    /// Appends one document's terms.
    pub fn push(&mut self, d: &DocTerms) -> Result<(), FreqError> {
        // One record, built whole and written in one call.
        let buf = &mut self.record;
        buf.clear();
        buf.extend_from_slice(&d.doc.to_le_bytes());
        buf.extend_from_slice(&d.tokens.to_le_bytes());
        buf.extend_from_slice(&(d.terms.len() as u32).to_le_bytes());
        // The pairs written into room made for all of them at once: one
        // loop of fixed-size copies, where two pushes per pair onto a
        // growing buffer each checked its room.
        let head = buf.len();
        buf.resize(head + 8 * d.terms.len(), 0);
        for (out, &(t, n)) in buf[head..].chunks_exact_mut(8).zip(&d.terms) {
            let (a, b) = out.split_at_mut(4);
            a.copy_from_slice(&t.to_le_bytes());
            b.copy_from_slice(&n.to_le_bytes());
        }
        self.writer.write_all(buf).map_err(FreqError::Spill)?;
        self.docs += 1;
        Ok(())
    }

    /// Documents written so far.
    pub fn len(&self) -> u64 {
        self.docs
    }

    /// True when no document was written.
    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// The documents read back in the order they were written, one at a
    /// time (an iterator, for a caller that reads ahead while it works on
    /// what it has).
    pub fn into_reader(self) -> Result<SpillReader, FreqError> {
        let mut file = self
            .writer
            .into_inner()
            .map_err(|e| FreqError::Spill(e.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(FreqError::Spill)?;
        Ok(SpillReader {
            r: BufReader::with_capacity(1 << 20, file),
            left: self.docs,
            pairs: Vec::new(),
        })
    }
}

/// Reads a [`DocTermSpill`] back: see [`DocTermSpill::into_reader`].
pub struct SpillReader {
    r: BufReader<File>,
    /// Documents not read yet.
    left: u64,
    /// Scratch for one document's pairs.
    pairs: Vec<u8>,
}

impl std::fmt::Debug for SpillReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpillReader")
            .field("left", &self.left)
            .finish()
    }
}

impl SpillReader {
    fn read(&mut self) -> std::io::Result<DocTerms> {
        let mut b8 = [0u8; 8];
        let mut b4 = [0u8; 4];
        self.r.read_exact(&mut b8)?;
        let doc = u64::from_le_bytes(b8);
        self.r.read_exact(&mut b8)?;
        let tokens = u64::from_le_bytes(b8);
        self.r.read_exact(&mut b4)?;
        let n = u32::from_le_bytes(b4) as usize;
        // The terms in one read, then decoded.
        self.pairs.resize(n * 8, 0);
        self.r.read_exact(&mut self.pairs)?;
        let terms = self
            .pairs
            .chunks_exact(8)
            .map(|p| {
                let (t, c) = p.split_at(4);
                let word = |x: &[u8]| u32::from_le_bytes([x[0], x[1], x[2], x[3]]);
                (word(t), word(c))
            })
            .collect();
        Ok(DocTerms { doc, tokens, terms })
    }
}

impl Iterator for SpillReader {
    type Item = Result<DocTerms, FreqError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let d = self.read().map_err(FreqError::Spill);
        if d.is_err() {
            // A failed read leaves the file at an unknown place: stop.
            self.left = 0;
        }
        Some(d)
    }
}

/// The inverse document frequency of every term of a corpus, computed
/// once: ln(documents / documents containing the term), as tidytext's
/// `bind_tf_idf`; and each term's alphabetical rank, which breaks ties.
#[derive(Debug, Clone)]
pub struct Idf {
    /// Per term: its idf and its rank, side by side so that ranking a
    /// document's terms reads one cache line per term.
    terms: Vec<(f64, u32)>,
}

impl Idf {
    /// The idf and rank of each term of `counts`.
    pub fn new(counts: &Counts) -> Idf {
        let docs = counts.documents();
        Idf {
            terms: (0..counts.term_len() as u32)
                .zip(counts.term_ranks())
                .map(|(t, r)| {
                    (
                        tf_idf(0, 1, docs, u64::from(counts.term_cnt(t).docs)).idf,
                        r,
                    )
                })
                .collect(),
        }
    }

    /// The idf of a term.
    #[inline]
    pub fn get(&self, t: TermId) -> f64 {
        self.terms.get(t as usize).map_or(0.0, |e| e.0)
    }
}

/// Room for [`top_tf_idf`]'s ranking keys, kept from one document to the
/// next so that nothing is allocated for them.
#[derive(Debug, Default)]
pub struct TfIdfScratch {
    keyed: Vec<u128>,
}

/// How many of a document's terms ahead [`top_tf_idf`] asks for a term's
/// idf entry: the table is larger than a core's cache, and each term takes
/// only a few instructions.
const IDF_AHEAD: usize = 16;

/// The `top` terms of a document by tf-idf (ties: by term text), with tf
/// computed on all its tokens and idf on the whole corpus, as tidytext's
/// `bind_tf_idf` does.  Terms with a tf-idf of zero (in every document) are
/// left out.
pub fn top_tf_idf(
    idf: &Idf,
    doc: &DocTerms,
    top: usize,
    scratch: &mut TfIdfScratch,
) -> Vec<(TermId, u32, TfIdf)> {
    let tf = |n: u32| {
        if doc.tokens == 0 {
            0.0
        } else {
            n as f64 / doc.tokens as f64
        }
    };
    // Each term's place in the order as one 16-byte number: the tf-idf
    // (positive, so its bits order as the value does) inverted for
    // descending order, then the term's rank, then where the term is in
    // the document's list.  Ranks differ, so every key is distinct, no text
    // is compared, and the last part is never compared at all: it only
    // finds the term again.
    let keyed = &mut scratch.keyed;
    keyed.clear();
    keyed.reserve(doc.terms.len());
    for (i, &(t, n)) in doc.terms.iter().enumerate() {
        if let Some(&(ahead, _)) = doc.terms.get(i + IDF_AHEAD) {
            prefetch_index(&idf.terms, ahead as usize);
        }
        let (idf, rank) = idf
            .terms
            .get(t as usize)
            .copied()
            .unwrap_or((0.0, u32::MAX));
        let x = tf(n) * idf;
        if x > 0.0 {
            keyed.push((u128::from(!x.to_bits()) << 64) | (u128::from(rank) << 32) | i as u128);
        }
    }
    if keyed.len() > top && top > 0 {
        keyed.select_nth_unstable(top - 1);
    }
    keyed.truncate(top);
    keyed.sort_unstable();
    keyed
        .iter()
        .map(|&k| {
            let (t, n) = doc.terms[(k & 0xFFFF_FFFF) as usize];
            let (tf, idf) = (tf(n), idf.get(t));
            (
                t,
                n,
                TfIdf {
                    tf,
                    idf,
                    tf_idf: tf * idf,
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_terms_by_tf_idf_match_the_formula() {
        use crate::{CountOptions, Counts};
        let opts = std::sync::Arc::new(CountOptions {
            max_ngram: 1,
            doc_terms: true,
            ..CountOptions::default()
        });
        let mut batch = Counts::new(opts.clone());
        for (i, text) in [
            "apple apple banana cherry",
            "banana cherry cherry",
            "cherry date",
        ]
        .iter()
        .enumerate()
        {
            let mut dc = batch.doc(i as u64, None);
            for w in text.split(' ') {
                dc.token(w);
            }
            dc.finish();
        }
        let mut corpus = Counts::new(opts);
        let docs = corpus.merge(batch);
        let idf = Idf::new(&corpus);
        let top = top_tf_idf(&idf, &docs[0], 2, &mut TfIdfScratch::default());
        let names: Vec<&str> = top.iter().map(|r| corpus.term(r.0)).collect();
        // cherry is in every document (idf 0) and is left out.
        assert_eq!(names, ["apple", "banana"]);
        let want = tf_idf(2, 4, 3, 1);
        assert_eq!(top[0].2, want);
        assert_eq!(
            top_tf_idf(&idf, &docs[0], 1, &mut TfIdfScratch::default()).len(),
            1
        );
    }

    /// The definition, written plainly: every term's tf-idf, ordered by
    /// value (descending) then text.
    fn top_by_text(counts: &Counts, doc: &DocTerms, top: usize) -> Vec<(TermId, u32, TfIdf)> {
        let mut rows: Vec<(TermId, u32, TfIdf)> = doc
            .terms
            .iter()
            .map(|&(t, n)| {
                let x = tf_idf(
                    u64::from(n),
                    doc.tokens,
                    counts.documents(),
                    u64::from(counts.term_cnt(t).docs),
                );
                (t, n, x)
            })
            .filter(|r| r.2.tf_idf > 0.0)
            .collect();
        rows.sort_by(|a, b| {
            b.2.tf_idf
                .total_cmp(&a.2.tf_idf)
                .then_with(|| counts.term(a.0).cmp(counts.term(b.0)))
        });
        rows.truncate(top);
        rows
    }

    proptest::proptest! {
        #[test]
        fn top_terms_equal_the_plain_definition(
            docs in proptest::collection::vec(
                proptest::collection::vec(0usize..12, 0..30), 1..12),
            top in 0usize..8,
        ) {
            use crate::{CountOptions, Counts};
            // A small vocabulary, so that many terms tie on tf-idf and the
            // order falls to their texts.
            const WORDS: [&str; 12] = [
                "b", "a", "ab", "aa", "zeta", "z", "apple", "apples", "k9",
                "\u{e9}t\u{e9}", "ete", "\u{7d20}",
            ];
            let opts = std::sync::Arc::new(CountOptions {
                max_ngram: 1,
                doc_terms: true,
                stop_words: lexiscope_text::StopWords::load(
                    &lexiscope_text::StopWordSource::None,
                ).unwrap(),
                ..CountOptions::default()
            });
            let mut batch = Counts::new(opts.clone());
            for (i, words) in docs.iter().enumerate() {
                let mut dc = batch.doc(i as u64, None);
                for &w in words {
                    dc.token(WORDS[w]);
                }
                dc.finish();
            }
            let mut corpus = Counts::new(opts);
            let terms = corpus.merge(batch);
            let idf = Idf::new(&corpus);
            for d in &terms {
                let got = top_tf_idf(&idf, d, top, &mut TfIdfScratch::default());
                let want = top_by_text(&corpus, d, top);
                proptest::prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn round_trip() {
        let mut s = DocTermSpill::new().unwrap();
        let docs = vec![
            DocTerms {
                doc: 0,
                tokens: 5,
                terms: vec![(1, 2), (7, 3)],
            },
            DocTerms {
                doc: 1,
                tokens: 0,
                terms: vec![],
            },
            DocTerms {
                doc: 2,
                tokens: 9,
                terms: vec![(u32::MAX - 1, 9)],
            },
        ];
        for d in &docs {
            s.push(d).unwrap();
        }
        assert_eq!(s.len(), 3);
        let back: Vec<DocTerms> = s.into_reader().unwrap().map(Result::unwrap).collect();
        assert_eq!(back, docs);
    }

    #[test]
    fn a_reader_hands_out_each_document_once_in_order() {
        let mut s = DocTermSpill::new().unwrap();
        let docs: Vec<DocTerms> = (0..2500u64)
            .map(|i| DocTerms {
                doc: i,
                tokens: i * 3,
                terms: (0..(i % 7) as u32).map(|t| (t * 11, t + 1)).collect(),
            })
            .collect();
        for d in &docs {
            s.push(d).unwrap();
        }
        let mut r = s.into_reader().unwrap();
        // In chunks, as the report reads them.
        let first: Vec<DocTerms> = r.by_ref().take(1024).map(Result::unwrap).collect();
        let rest: Vec<DocTerms> = r.by_ref().map(Result::unwrap).collect();
        assert_eq!(first.len(), 1024);
        assert_eq!([first, rest].concat(), docs);
        assert!(r.next().is_none());
    }
}
