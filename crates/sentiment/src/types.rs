//! Small value types shared by every scorer.

/// VADER's four scores for one text unit, rounded as vaderSentiment rounds
/// them (`neg`, `neu`, `pos` to 3 decimals, `compound` to 4).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct VaderScores {
    /// Proportion of the unit's weight that is negative.
    pub neg: f64,
    /// Proportion that is neutral.
    pub neu: f64,
    /// Proportion that is positive.
    pub pos: f64,
    /// Normalised sum of valences, in -1..=1.
    pub compound: f64,
}

/// One lexicon entry that matched while scoring a unit.
///
/// Scorers report a hit only when it changed the unit's score (`applied`
/// is not zero): a VADER word neutralised by a rule ("no" before another
/// lexicon word) or an AFINN entry worth 0 ("some kind") is not reported.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordHit<'a> {
    /// The lexicon entry that matched, as the lexicon spells it (lower case).
    pub word: &'a str,
    /// `"positive"` or `"negative"` (sign of the lexicon value) for valence
    /// lexicons; the category or emotion name for categorical ones.
    pub category: &'a str,
    /// The entry's lexicon value (1.0 for categorical lexicons).
    pub score: f64,
    /// What the match actually added to the unit's score: for VADER the
    /// valence after boosters, capitals, negation, "but" weighting and the
    /// other rules; for AFINN the value; for categorical lexicons 1.0 to its
    /// category's count.
    pub applied: f64,
    /// The entry's number in its lexicon, one per word and category, when
    /// the scorer numbers its entries (VADER, AFINN and the token lexicons
    /// do): lets a caller tally hits in an array rather than a map keyed by
    /// the word.
    pub entry: Option<u32>,
}

/// `"positive"`, `"negative"` or `"neutral"` by the sign of `value`.
pub(crate) fn polarity_name(value: f64) -> &'static str {
    if value > 0.0 {
        "positive"
    } else if value < 0.0 {
        "negative"
    } else {
        "neutral"
    }
}
