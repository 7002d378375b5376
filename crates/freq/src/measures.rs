//! Corpus-linguistics measures over counts: tf-idf, keyness, collocations,
//! Zipf's and Heaps' laws, lexical diversity.

/// Moving-average type/token ratio (Covington & McFall): the mean TTR of
/// every window of `window` consecutive tokens.  Texts shorter than the
/// window get their plain TTR; an empty text gets NaN.  `scratch` is reused
/// between calls (indexed by token id).
pub fn mattr(ids: &[u32], window: usize, scratch: &mut Vec<u32>) -> f64 {
    let n = ids.len();
    if n == 0 {
        return f64::NAN;
    }
    let max = ids.iter().copied().max().unwrap_or(0) as usize;
    if scratch.len() <= max {
        scratch.resize(max + 1, 0);
    }
    let w = window.max(1).min(n);
    // Whether a token enters or leaves the window as the only one of its
    // type is as good as random, so the count of types moves by the
    // comparisons' values rather than by branches on them.
    let mut types = 0u64;
    for &id in &ids[..w] {
        let c = &mut scratch[id as usize];
        types += u64::from(*c == 0);
        *c += 1;
    }
    let mut sum = types;
    for i in w..n {
        let out = &mut scratch[ids[i - w] as usize];
        *out -= 1;
        types -= u64::from(*out == 0);
        let inn = &mut scratch[ids[i] as usize];
        types += u64::from(*inn == 0);
        *inn += 1;
        sum += types;
    }
    for &id in &ids[n - w..] {
        scratch[id as usize] = 0;
    }
    let windows = (n - w + 1) as f64;
    sum as f64 / windows / w as f64
}

/// tf-idf as tidytext's `bind_tf_idf` computes it: tf = n / total tokens of
/// the document, idf = ln(documents / documents containing the term).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TfIdf {
    /// Term frequency within the document.
    pub tf: f64,
    /// Inverse document frequency.
    pub idf: f64,
    /// Their product.
    pub tf_idf: f64,
}

/// tf-idf of a term seen `n` times in a document of `total` tokens, in a
/// corpus of `docs` documents of which `docs_with_term` contain it.
pub fn tf_idf(n: u64, total: u64, docs: u64, docs_with_term: u64) -> TfIdf {
    let tf = if total == 0 {
        0.0
    } else {
        n as f64 / total as f64
    };
    let idf = if docs_with_term == 0 {
        0.0
    } else {
        (docs as f64 / docs_with_term as f64).ln()
    };
    TfIdf {
        tf,
        idf,
        tf_idf: tf * idf,
    }
}

/// Keyness of a term in a target corpus against a reference corpus.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Keyness {
    /// Log-likelihood G2 (Dunning; as AntConc and quanteda's `measure = "lr"`
    /// report it), signed: negative when the term is rarer in the target.
    pub g2: f64,
    /// p-value of G2 under a chi-squared distribution with 1 degree of freedom.
    pub p: f64,
    /// Effect size: Hardie's Log Ratio, log2 of the ratio of relative
    /// frequencies, with 0.5 added to a zero count.
    pub log_ratio: f64,
}

/// Keyness of a term seen `a` times in a target of `c` tokens and `b` times
/// in a reference of `d` tokens.
pub fn keyness(a: u64, b: u64, c: u64, d: u64) -> Keyness {
    let (a, b, c, d) = (a as f64, b as f64, c as f64, d as f64);
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let term = |o: f64, e: f64| {
        if o > 0.0 && e > 0.0 {
            o * (o / e).ln()
        } else {
            0.0
        }
    };
    let mut g2 = 2.0 * (term(a, e1) + term(b, e2));
    if a < e1 {
        g2 = -g2;
    }
    let p = erfc((g2.abs() / 2.0).sqrt());
    let ra = if a == 0.0 { 0.5 } else { a } / c.max(1.0);
    let rb = if b == 0.0 { 0.5 } else { b } / d.max(1.0);
    Keyness {
        g2,
        p,
        log_ratio: (ra / rb).log2(),
    }
}

/// Complementary error function (Numerical Recipes' erfcc, relative error
/// under 1.2e-7), enough for p-values.
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// Association of a bigram's two words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Collocation {
    /// Pointwise mutual information, log2(O / E).
    pub pmi: f64,
    /// t-score, (O - E) / sqrt(O).
    pub t_score: f64,
}

/// Collocation measures of a bigram seen `o` times whose words are seen `f1`
/// and `f2` times among `n` tokens.
pub fn collocation(o: u64, f1: u64, f2: u64, n: u64) -> Collocation {
    let e = f1 as f64 * f2 as f64 / n.max(1) as f64;
    let o = o as f64;
    Collocation {
        pmi: if o > 0.0 && e > 0.0 {
            (o / e).log2()
        } else {
            f64::NAN
        },
        t_score: if o > 0.0 {
            (o - e) / o.sqrt()
        } else {
            f64::NAN
        },
    }
}

/// A straight line fitted by least squares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineFit {
    /// Slope.
    pub slope: f64,
    /// Intercept.
    pub intercept: f64,
    /// Coefficient of determination.
    pub r2: f64,
    /// Points used.
    pub n: usize,
}

/// Ordinary least squares of y on x; None with fewer than two distinct x.
pub fn fit_line(points: impl IntoIterator<Item = (f64, f64)>) -> Option<LineFit> {
    let pts: Vec<(f64, f64)> = points
        .into_iter()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    let n = pts.len();
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / nf;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / nf;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let syy: f64 = pts.iter().map(|p| (p.1 - my).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let r2 = if syy == 0.0 {
        1.0
    } else {
        sxy * sxy / (sxx * syy)
    };
    Some(LineFit {
        slope,
        intercept,
        r2,
        n,
    })
}

/// Zipf's law as Text Mining with R (chapter 3) fits it: log10(term
/// frequency) against log10(rank) over ranks strictly between `lo` and `hi`
/// (the book uses 10 and 500).  `counts` must be sorted in descending order.
pub fn zipf_fit(counts: &[u64], lo: usize, hi: usize) -> Option<LineFit> {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return None;
    }
    fit_line(
        counts
            .iter()
            .enumerate()
            .map(|(i, &c)| (i + 1, c))
            .filter(|&(r, _)| r > lo && r < hi)
            .map(|(r, c)| ((r as f64).log10(), (c as f64 / total as f64).log10())),
    )
}

/// Heaps' law, V = K * N^beta, fitted on log10 V against log10 N.  Returns
/// (K, beta, fit).
pub fn heaps_fit(points: &[(u64, u64)]) -> Option<(f64, f64, LineFit)> {
    let fit = fit_line(
        points
            .iter()
            .filter(|p| p.0 > 0 && p.1 > 0)
            .map(|&(n, v)| ((n as f64).log10(), (v as f64).log10())),
    )?;
    Some((10f64.powf(fit.intercept), fit.slope, fit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mattr_matches_hand_computation() {
        let mut s = Vec::new();
        // a b a c, window 2: {a,b}=2, {b,a}=2, {a,c}=2 -> TTR 1.0
        assert_eq!(mattr(&[0, 1, 0, 2], 2, &mut s), 1.0);
        // a a a b, window 2: 1,1,2 -> (0.5+0.5+1)/3
        assert!((mattr(&[0, 0, 0, 1], 2, &mut s) - 2.0 / 3.0).abs() < 1e-12);
        // shorter than window: plain TTR
        assert_eq!(mattr(&[0, 0, 1], 10, &mut s), 2.0 / 3.0);
        assert!(mattr(&[], 10, &mut s).is_nan());
        assert!(s.iter().all(|&c| c == 0), "scratch left clean");
    }

    #[test]
    fn tf_idf_like_tidytext() {
        // Austen, "elinor" in Sense & Sensibility: 623 of 119,957 tokens, in 1 of 6 books.
        let t = tf_idf(623, 119_957, 6, 1);
        assert!((t.tf - 0.00519352768075227).abs() < 1e-15);
        assert!((t.idf - 1.79175946922805).abs() < 1e-13);
        assert!((t.tf_idf - 0.0093055524006859).abs() < 1e-15);
        assert_eq!(tf_idf(5, 10, 6, 6).tf_idf, 0.0);
    }

    #[test]
    fn keyness_known_values() {
        // Equal relative frequency: no keyness.
        let k = keyness(10, 100, 1000, 10_000);
        assert!(k.g2.abs() < 1e-9 && (k.p - 1.0).abs() < 1e-6 && k.log_ratio.abs() < 1e-12);
        // Computed by hand: a=50,b=50,c=1000,d=10000.
        let k = keyness(50, 50, 1000, 10_000);
        let e1 = 1000.0 * 100.0 / 11000.0;
        let e2 = 10000.0 * 100.0 / 11000.0;
        let g2 = 2.0 * (50.0 * (50.0f64 / e1).ln() + 50.0 * (50.0f64 / e2).ln());
        assert!((k.g2 - g2).abs() < 1e-9);
        assert!((k.log_ratio - (0.05f64 / 0.005).log2()).abs() < 1e-12);
        assert!(k.p < 1e-10);
        assert!(keyness(1, 500, 1000, 10_000).g2 < 0.0);
    }

    #[test]
    fn erfc_values() {
        assert!((erfc(0.0) - 1.0).abs() < 1e-7);
        assert!((erfc(1.0) - 0.157_299_207).abs() < 1e-7);
        assert!((erfc(-1.0) - 1.842_700_793).abs() < 1e-7);
    }

    #[test]
    fn collocation_values() {
        let c = collocation(10, 20, 30, 10_000);
        let e = 20.0 * 30.0 / 10_000.0;
        assert!((c.pmi - (10.0f64 / e).log2()).abs() < 1e-12);
        assert!((c.t_score - (10.0 - e) / 10f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn fits() {
        let f = fit_line([(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]).unwrap();
        assert!((f.slope - 2.0).abs() < 1e-12 && (f.intercept - 1.0).abs() < 1e-12);
        assert!((f.r2 - 1.0).abs() < 1e-12);
        assert!(fit_line([(1.0, 1.0)]).is_none());
        // A perfect Zipf distribution has slope -1.
        let counts: Vec<u64> = (1..=1000).map(|r| 1_000_000 / r).collect();
        let z = zipf_fit(&counts, 10, 500).unwrap();
        assert!((z.slope + 1.0).abs() < 0.01, "{z:?}");
        let (k, beta, _) = heaps_fit(&[(100, 50), (10_000, 500), (1_000_000, 5000)]).unwrap();
        assert!((beta - 0.5).abs() < 1e-9 && (k - 5.0).abs() < 1e-6);
    }
}
