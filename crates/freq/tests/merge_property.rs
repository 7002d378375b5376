//! Property: counts do not depend on how the corpus is split into batches
//! (the unit of parallel work) nor on the order of its documents, and
//! token counts add up; and counts equal a plain recount of the same tokens
//! whatever the number of threads.

use std::collections::{HashMap, HashSet};
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

/// A group's term table, resolved to text and sorted: (group, [(term,
/// count, documents)]).
type GroupTerms = (String, Vec<(String, u64, u32)>);

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

        // Group term tables filled when merging (the report's way) equal
        // those filled as documents are counted, whatever the cut.
        let late_o = Arc::new(CountOptions { group_terms_at_merge: true, ..(*o).clone() });
        let mut late = Counts::new(late_o.clone());
        for w in cuts.windows(2) {
            late.merge(count(&docs[w[0]..w[1]], w[0], &late_o));
        }
        let group_terms = |c: &Counts| -> Vec<GroupTerms> {
            let mut g: Vec<_> = c
                .groups()
                .map(|(n, g)| {
                    let mut t: Vec<_> = g.terms.iter().map(|(t, k)| (c.term(t).to_string(), k.count, k.docs)).collect();
                    t.sort();
                    (n.to_string(), t)
                })
                .collect();
            g.sort();
            g
        };
        prop_assert_eq!(group_terms(&whole), group_terms(&late));
        prop_assert_eq!(groups(&whole), groups(&late));
        if !docs.is_empty() {
            prop_assert!(group_terms(&whole).iter().any(|(_, t)| !t.is_empty()) || whole.term_tokens() == 0);
        }
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

/// Counts of `docs` by the obvious method, to compare the interning,
/// batching counter with: (surface -> (count, docs)), (term -> (count,
/// docs)), (bigram -> (count, docs)), group -> (documents, tokens, terms).
type Model = (
    HashMap<String, (u64, u64)>,
    HashMap<String, (u64, u64)>,
    HashMap<String, (u64, u64)>,
    HashMap<String, (u64, u64, u64)>,
);

fn model(docs: &[String], stop: &StopWords) -> Model {
    let mut surfaces: HashMap<String, (u64, u64)> = HashMap::new();
    let mut terms: HashMap<String, (u64, u64)> = HashMap::new();
    let mut bigrams: HashMap<String, (u64, u64)> = HashMap::new();
    let mut groups: HashMap<String, (u64, u64, u64)> = HashMap::new();
    let mut tok = Tokenizer::new();
    let bump = |map: &mut HashMap<String, (u64, u64)>, seen: &mut HashSet<String>, key: String| {
        let e = map.entry(key.clone()).or_default();
        e.0 += 1;
        if seen.insert(key) {
            e.1 += 1;
        }
    };
    for d in docs {
        let (mut seen_s, mut seen_t, mut seen_b) = (HashSet::new(), HashSet::new(), HashSet::new());
        let group = groups
            .entry(if d.len() % 2 == 0 { "even" } else { "odd" }.to_owned())
            .or_default();
        group.0 += 1;
        for s in sentences(d) {
            let words = tok.tokens(&d[s]);
            for w in &words {
                group.1 += 1;
                bump(&mut surfaces, &mut seen_s, w.clone());
                if !stop.contains(w) {
                    group.2 += 1;
                    bump(&mut terms, &mut seen_t, w.clone());
                }
            }
            for pair in words.windows(2) {
                if !stop.contains(&pair[0]) && !stop.contains(&pair[1]) {
                    bump(
                        &mut bigrams,
                        &mut seen_b,
                        format!("{} {}", pair[0], pair[1]),
                    );
                }
            }
        }
    }
    (surfaces, terms, bigrams, groups)
}

fn table(rows: Vec<(&str, lexiscope_freq::Cnt)>) -> HashMap<String, (u64, u64)> {
    rows.into_iter()
        .map(|(t, c)| (t.to_owned(), (c.count, u64::from(c.docs))))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Every count equals the obvious count; per-term counts add up to the
    /// token totals (overall, per group and per document); a document
    /// frequency never exceeds its count or the number of documents; and
    /// counting batches on 1 to 4 threads and merging them in order gives
    /// the same tables as one thread.
    #[test]
    fn counts_equal_the_obvious_counts_on_any_number_of_threads(
        docs in prop::collection::vec(doc_strategy(), 0..16),
        threads in 1usize..=4,
    ) {
        let stop = StopWords::load(&StopWordSource::Snowball).unwrap();
        let o = Arc::new(CountOptions {
            max_ngram: 2,
            stop_words: stop.clone(),
            doc_terms: true,
            ..CountOptions::default()
        });
        let mut whole = Counts::new(o.clone());
        let doc_terms = whole.merge(count(&docs, 0, &o));

        let (surfaces, terms, bigrams, groups) = model(&docs, &stop);
        prop_assert_eq!(table(whole.surfaces_sorted()), surfaces);
        prop_assert_eq!(table(whole.terms_sorted()), terms);
        let grams: HashMap<String, (u64, u64)> = whole
            .ngrams_sorted(2)
            .into_iter()
            .map(|(t, c)| (t, (c.count, u64::from(c.docs))))
            .collect();
        prop_assert_eq!(grams, bigrams);
        let got_groups: HashMap<String, (u64, u64, u64)> = whole
            .groups()
            .map(|(n, g)| (n.to_owned(), (g.documents, g.tokens, g.term_tokens)))
            .collect();
        prop_assert_eq!(got_groups, groups);

        // Sums.
        let n = whole.documents();
        for (_, c) in whole.surfaces_sorted().into_iter().chain(whole.terms_sorted()) {
            prop_assert!(c.docs >= 1 && u64::from(c.docs) <= c.count && u64::from(c.docs) <= n);
        }
        let group_tokens: u64 = whole.groups().map(|(_, g)| g.tokens).sum();
        prop_assert_eq!(group_tokens, whole.tokens());
        let group_terms: u64 = whole.groups().map(|(_, g)| g.term_tokens).sum();
        prop_assert_eq!(group_terms, whole.term_tokens());
        for (_, g) in whole.groups() {
            let per_term: u64 = g.terms.values().map(|c| c.count).sum();
            prop_assert_eq!(per_term, g.term_tokens);
        }
        prop_assert_eq!(doc_terms.len() as u64, n);
        let doc_tokens: u64 = doc_terms.iter().map(|d| d.tokens).sum();
        prop_assert_eq!(doc_tokens, whole.tokens());
        let doc_term_sum: u64 = doc_terms.iter().flat_map(|d| &d.terms).map(|&(_, k)| u64::from(k)).sum();
        prop_assert_eq!(doc_term_sum, whole.term_tokens());

        // Threads: contiguous batches counted in parallel, merged in order.
        let size = docs.len().div_ceil(threads).max(1);
        let batches: Vec<Counts> = std::thread::scope(|s| {
            let handles: Vec<_> = docs
                .chunks(size)
                .enumerate()
                .map(|(i, chunk)| {
                    let o = o.clone();
                    s.spawn(move || count(chunk, i * size, &o))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut parallel = Counts::new(o.clone());
        for b in batches {
            parallel.merge(b);
        }
        prop_assert_eq!(whole.terms_sorted(), parallel.terms_sorted());
        prop_assert_eq!(whole.surfaces_sorted(), parallel.surfaces_sorted());
        prop_assert_eq!(whole.ngrams_sorted(2), parallel.ngrams_sorted(2));
        prop_assert_eq!(whole.heaps_points(), parallel.heaps_points());
        prop_assert_eq!(whole.tokens(), parallel.tokens());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    /// Bigrams sorted by their words' ranks (packed into one key) come in
    /// the order of their texts sorted as text, and their texts are the
    /// words joined by a space; words holding a space or a control byte
    /// take the path that compares texts.
    #[test]
    fn bigrams_sort_as_their_texts(
        docs in prop::collection::vec(
            prop::collection::vec(
                prop::sample::select(vec!["a", "ab", "b", "a b", "b\u{1}", "ba", "é", "zz", "abc"]),
                0..20,
            ),
            1..6,
        ),
        plain in any::<bool>(),
    ) {
        let o = Arc::new(CountOptions {
            max_ngram: 2,
            stop_words: StopWords::load(&StopWordSource::None).unwrap(),
            ..CountOptions::default()
        });
        let mut c = Counts::new(o.clone());
        for (i, words) in docs.iter().enumerate() {
            let mut dc = c.doc(i as u64, None);
            dc.sentence();
            for w in words {
                if plain && (w.contains(' ') || w.contains('\u{1}')) {
                    continue;
                }
                dc.token(w);
            }
            dc.finish();
        }
        c.seal();
        let mut whole = Counts::new(o);
        whole.merge(c);
        let mut expected: Vec<(String, u64)> = whole
            .bigrams()
            .map(|(a, b, n)| (format!("{} {}", whole.term(a), whole.term(b)), n.count))
            .collect();
        expected.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        let mut text = String::new();
        let ours: Vec<(String, u64)> = whole
            .bigrams_sorted()
            .into_iter()
            .map(|(a, b, n)| {
                text.clear();
                whole.push_bigram(a, b, &mut text);
                (text.clone(), n.count)
            })
            .collect();
        prop_assert_eq!(&ours, &expected);
        let joined: Vec<(String, u64)> =
            whole.ngrams_sorted(2).into_iter().map(|(t, n)| (t, n.count)).collect();
        prop_assert_eq!(joined, expected);
    }
}
