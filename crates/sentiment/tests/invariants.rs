//! Invariants on arbitrary input: no panic, proportions that sum to one,
//! compound within -1..=1, and scores that do not depend on what was scored
//! before (scratch buffers are reused between calls).

use lexiscope_sentiment::{Afinn, Lexicon, LexiconSpec, Vader};

/// A small deterministic generator (xorshift64*), enough for test input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "good",
    "BAD",
    "not",
    "no",
    "but",
    "BUT",
    "kind",
    "of",
    "least",
    "at",
    "very",
    "so",
    "this",
    "never",
    "without",
    "doubt",
    "the",
    "shit",
    "bomb",
    "can't",
    "isn’t",
    "“great”",
    ":)",
    ":-(",
    "<3",
    "😀",
    "❤️",
    "👍🏽",
    "!",
    "??",
    "...",
    "—",
    "–",
    "-",
    ",",
    "'",
    "\"",
    "\u{a0}",
    "\u{3000}",
    "\u{1c}",
    "\t",
    "\u{200b}",
    "\u{301}",
    "İ",
    "\u{212a}",
    "ǅ",
    "Σ",
    "中文",
    "ा",
    "\u{fffd}",
    "\u{0}",
    "x",
    "qq",
    "well-being",
    "some kind",
    "a",
    "  ",
];

fn random_text(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(40) {
        if rng.below(5) == 0 {
            // Any code point at all.
            let c = char::from_u32((rng.next() % 0x11_0000) as u32).unwrap_or('\u{fffd}');
            s.push(c);
        } else {
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
        if rng.below(3) > 0 {
            s.push(' ');
        }
    }
    s
}

#[test]
fn arbitrary_text_gives_well_formed_scores() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let standard = Vader::standard();
    let news = Vader::news();
    let afinn = Afinn::new();
    let bing = Lexicon::load(&LexiconSpec::Bing).expect("bing");
    let mut out = [0.0; 2];
    for _ in 0..5_000 {
        let text = random_text(&mut rng);
        for vader in [standard, news] {
            let s = vader.polarity_scores(&text);
            assert!((-1.0..=1.0).contains(&s.compound), "{text:?}: {s:?}");
            let total = s.neg + s.neu + s.pos;
            assert!(
                total == 0.0 || (total - 1.0).abs() <= 0.0015,
                "{text:?}: {s:?}"
            );
            assert!(
                s.neg >= 0.0 && s.neu >= 0.0 && s.pos >= 0.0,
                "{text:?}: {s:?}"
            );
            let mut applied = 0.0;
            let again = vader.polarity_scores_with(&text, &mut |h| applied += h.applied);
            assert_eq!(s, again, "{text:?}");
            if s.compound == 0.0 && s.neg == 0.0 && s.pos == 0.0 {
                assert_eq!(applied, 0.0, "{text:?}");
            }
        }
        let a = afinn.score(&text);
        assert_eq!(a, a.trunc(), "{text:?}");
        let tokens: Vec<&str> = text.split_whitespace().collect();
        bing.score(&text, &tokens, &mut out, &mut |_| {});
        assert!(out
            .iter()
            .all(|&c| c >= 0.0 && c <= tokens.len() as f64 * 2.0));
    }
}

#[test]
fn scores_do_not_depend_on_earlier_calls() {
    let vader = Vader::standard();
    let long = "good ".repeat(500) + "but terrible 😀 ...";
    let short = "not bad";
    let fresh = vader.polarity_scores(short);
    let _ = vader.polarity_scores(&long);
    assert_eq!(vader.polarity_scores(short), fresh);
    let from_thread = std::thread::spawn(move || Vader::standard().polarity_scores(short))
        .join()
        .expect("thread");
    assert_eq!(from_thread, fresh);
}
