//! Property: counts do not depend on how the corpus is split into batches
//! (the unit of parallel work) nor on the order of its documents, and
//! token counts add up.

use std::sync::Arc;

use lexiscope_freq::{CountOptions, Counts};
use lexiscope_text::{sentences, StopWordSource, StopWords, Tokenizer};
use proptest::prelude::*;

fn count(docs: &[String], first: usize, o: &Arc<CountOptions>) -> Counts {
    let mut c = Counts::new(o.clone());
    let mut tok = Tokenizer::new();
    for (i, d) in docs.iter().enumerate() {
        let group = if d.len() % 2 == 0 { "even" } else { "odd" };
        let mut dc = c.doc((first + i) as u64, Some(group));
        for s in sentences(d) {
            dc.sentence();
            tok.for_each(&d[s], |w| {
                dc.token(w);
            });
        }
        dc.finish();
    }
    c
}

/// A document's terms, resolved to text: (position, tokens, [(term, count)]).
type ResolvedDoc = (u64, u64, Vec<(String, u32)>);

fn doc_strategy() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "the", "cat", "Sat", "on", "a", "mat", "dog", "and", "ran", "it's", "fast", "3.5", "Mr.",
        "x",
    ]);
    let sep = prop::sample::select(vec![" ", " ", " ", ". ", "! ", ", ", "\n\n"]);
    prop::collection::vec((word, sep), 0..30)
        .prop_map(|v| v.into_iter().map(|(w, s)| format!("{w}{s}")).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn split_does_not_matter(docs in prop::collection::vec(doc_strategy(), 0..12), cuts in prop::collection::vec(0usize..12, 0..4), stem in any::<bool>()) {
        let o = Arc::new(CountOptions {
            max_ngram: 3,
            stop_words: StopWords::load(&StopWordSource::Snowball).unwrap(),
            doc_terms: true,
            stem,
            ..CountOptions::default()
        });
        let mut whole = Counts::new(o.clone());
        let whole_docs = whole.merge(count(&docs, 0, &o));

        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(docs.len())).collect();
        cuts.push(0);
        cuts.push(docs.len());
        cuts.sort_unstable();
        cuts.dedup();
        let mut parts = Counts::new(o.clone());
        let mut part_docs = Vec::new();
        for w in cuts.windows(2) {
            part_docs.extend(parts.merge(count(&docs[w[0]..w[1]], w[0], &o)));
        }

        prop_assert_eq!(whole.terms_sorted(), parts.terms_sorted());
        prop_assert_eq!(whole.surfaces_sorted(), parts.surfaces_sorted());
        prop_assert_eq!(whole.ngrams_sorted(2), parts.ngrams_sorted(2));
        prop_assert_eq!(whole.ngrams_sorted(3), parts.ngrams_sorted(3));
        prop_assert_eq!(whole.heaps_points(), parts.heaps_points());
        prop_assert_eq!(whole.documents(), docs.len() as u64);
        let groups = |c: &Counts| -> Vec<(String, u64, u64)> {
            let mut g: Vec<_> = c.groups().map(|(n, g)| (n.to_string(), g.documents, g.tokens)).collect();
            g.sort();
            g
        };
        prop_assert_eq!(groups(&whole), groups(&parts));
        let resolve = |c: &Counts, d: &[lexiscope_freq::DocTerms]| -> Vec<ResolvedDoc> {
            d.iter().map(|d| (d.doc, d.tokens, d.terms.iter().map(|&(t, n)| (c.term(t).to_string(), n)).collect())).collect()
        };
        prop_assert_eq!(resolve(&whole, &whole_docs), resolve(&parts, &part_docs));

        // Document order does not change the tables either (only the order
        // of first appearance, which no table shows).
        let mut reversed: Vec<String> = docs.clone();
        reversed.reverse();
        let mut rev = Counts::new(o.clone());
        rev.merge(count(&reversed, 0, &o));
        prop_assert_eq!(whole.terms_sorted(), rev.terms_sorted());
        prop_assert_eq!(whole.surfaces_sorted(), rev.surfaces_sorted());
        prop_assert_eq!(whole.ngrams_sorted(2), rev.ngrams_sorted(2));
        prop_assert_eq!(whole.ngrams_sorted(3), rev.ngrams_sorted(3));

        // Counts add up: every token is counted once.
        let surface_total: u64 = whole.surfaces_sorted().iter().map(|r| r.1.count).sum();
        prop_assert_eq!(surface_total, whole.tokens());
        let term_total: u64 = whole.terms_sorted().iter().map(|r| r.1.count).sum();
        prop_assert_eq!(term_total, whole.term_tokens());
        let mut tok = Tokenizer::new();
        let direct: usize = docs.iter().map(|d| tok.tokens(d).len()).sum();
        prop_assert_eq!(direct as u64, whole.tokens());
    }
}
