//! Number and label formatting shared by the CSV writer, the charts and the dashboard.

use std::fmt::Write as _;

/// Formats a count with a comma every three digits: `1234567` gives `"1,234,567"`.
pub fn thousands(n: u64) -> String {
    group_digits(&n.to_string())
}

/// Like [`thousands`] for signed numbers: `-1234` gives `"-1,234"`.
pub fn thousands_signed(n: i64) -> String {
    let grouped = group_digits(&n.unsigned_abs().to_string());
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// Formats `v` with exactly `decimals` digits after the point and thousands
/// separators in the integer part: `format_fixed(12345.678, 1)` gives `"12,345.7"`.
/// A result that rounds to zero never carries a minus sign. Non-finite values
/// give `"NaN"`, `"inf"` or `"-inf"`.
pub fn format_fixed(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return non_finite(v);
    }
    let text = format!("{:.*}", decimals, v.abs());
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let is_zero = text.bytes().all(|b| b == b'0' || b == b'.');
    let mut out = String::with_capacity(text.len() + text.len() / 3 + 1);
    if v < 0.0 && !is_zero {
        out.push('-');
    }
    out.push_str(&group_digits(int_part));
    if let Some(frac) = frac_part {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Formats a value for a chart label or a headline card: whole numbers with
/// thousands separators (`12,345`), other numbers with a precision that
/// suits their size (`1,234.6`, `12.35`, `0.123`, `0.00123`), trailing zeros
/// removed. Non-finite values give `"NaN"`, `"inf"` or `"-inf"`.
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return non_finite(v);
    }
    let a = v.abs();
    if v.fract() == 0.0 && a < 1e15 {
        return format_fixed(v, 0);
    }
    let decimals = if a >= 1000.0 {
        1
    } else if a >= 10.0 {
        2
    } else if a >= 1.0 || a == 0.0 {
        3
    } else {
        // Three significant digits for small magnitudes, at most 8 decimals.
        let lead = (-a.log10()).floor() as i64; // 0.0123 -> 1
        (lead + 3).clamp(3, 8) as usize
    };
    trim_zeros(format_fixed(v, decimals))
}

/// Shortens `label` to at most `max_chars` characters, ending it with `…`
/// when something was cut. Line breaks, tabs and other control characters
/// become spaces and runs of spaces collapse, so a label is always one line.
pub fn truncate_label(label: &str, max_chars: usize) -> String {
    let clean = one_line(label);
    if clean.chars().count() <= max_chars {
        return clean;
    }
    if max_chars == 0 {
        return String::new();
    }
    let mut out: String = clean.chars().take(max_chars - 1).collect();
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('…');
    out
}

/// Collapses control characters and whitespace runs into single spaces and trims the ends.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// The text a [`Cell::Float`](crate::Cell::Float) holding `v` is written
/// as (empty for NaN and infinities), for [`Cell::Number`](crate::Cell::Number):
/// a value written many times is formatted once.
pub fn float_text(v: f64) -> String {
    let mut s = String::new();
    write_float(v, &mut s);
    s
}

/// Appends [`float_text`]`(v)` to `out`.
pub fn push_float_text(out: &mut String, v: f64) {
    write_float(v, out);
}

/// Shortest text that reads back as the same `f64` (Rust's `Display`), with
/// `-0` written as `0`; `None` for NaN and infinities.
#[cfg(test)]
pub(crate) fn float_cell(v: f64) -> Option<String> {
    let mut s = String::new();
    write_float(v, &mut s).then_some(s)
}

/// Appends the shortest text that reads back as the same `f64` (Rust's
/// `Display`, with `-0` written as `0`) to `out`; false (nothing written)
/// for NaN and infinities.  Plain decimals where spreadsheets and people read
/// them easily; scientific notation (`1.5e-9`, which every CSV reader
/// parses) for the very small and very large, instead of hundreds of zeros.
pub(crate) fn write_float(v: f64, out: &mut String) -> bool {
    if !v.is_finite() {
        return false;
    }
    if v == 0.0 {
        out.push('0');
        return true;
    }
    if (1e-5..1e16).contains(&v.abs()) {
        if write_millionths(v, out) {
            return true;
        }
        if no_decimal_tie(v) {
            // zmij gives the same shortest digits as `Display` here, in
            // plain decimal notation too (it writes whole numbers as `2.0`
            // where `Display` writes `2`, but those take the other branch),
            // in half the time ryu took (12 against 24 ns a value here; the
            // same text for 5 million values, random bits and tf-idf-like
            // ratios).
            let mut buf = zmij::Buffer::new();
            out.push_str(buf.format_finite(v));
        } else {
            let _ = write!(out, "{v}");
        }
    } else {
        // Writing into a String cannot fail.
        let _ = write!(out, "{v:e}");
    }
    true
}

/// Writes `v` as a whole number of millionths when it is the double
/// nearest to one (as the tables' figures rounded to 6 or 4 decimals are)
/// and below 1e9; false (nothing written) otherwise.  The text is then the
/// one [`write_float`] writes the long way: the decimal `k / 10^6` lies
/// within half an ulp of `v`, and below 1e9 an ulp (at most 2^-23) is
/// smaller than a millionth, so no other decimal as short reads back as
/// `v`, and a shorter one would differ from it by a millionth or more.
/// Integer arithmetic instead of a shortest-digits search: about a tenth
/// of ryu's instructions.
fn write_millionths(v: f64, out: &mut String) -> bool {
    let a = v.abs();
    if !(1e-5..1e9).contains(&a) {
        return false;
    }
    let k = (a * 1e6).round();
    if k / 1e6 != a {
        return false;
    }
    let k = k as u64;
    if v < 0.0 {
        out.push('-');
    }
    let mut digits = itoa::Buffer::new();
    out.push_str(digits.format(k / 1_000_000));
    let mut frac = k % 1_000_000;
    if frac != 0 {
        let mut places = 6;
        while frac.is_multiple_of(10) {
            frac /= 10;
            places -= 1;
        }
        out.push('.');
        let frac = digits.format(frac);
        for _ in frac.len()..places {
            out.push('0');
        }
        out.push_str(frac);
    }
    true
}

/// True when the shortest digits of `v` cannot be a tie between two
/// candidates, the one case where zmij (like ryu: round half to even) and
/// `Display` (round half up) differ: `94949473390670.125` is `...670.12` to one and
/// `...670.13` to the other.  A tie needs the exact value to have at most 18
/// significant digits (17 shortest ones and a final 5).  `v` is an odd
/// integer times `2^e`; for `e <= -27` its exact decimal expansion is that
/// odd integer times `5^-e` over a power of ten, at least 19 digits long.
fn no_decimal_tie(v: f64) -> bool {
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    };
    m != 0 && e + (m.trailing_zeros() as i32) <= -27
}

/// Number of decimals that tick labels need when ticks are `step` apart.
pub(crate) fn decimals_for_step(step: f64) -> usize {
    if !step.is_finite() || step <= 0.0 || step >= 1.0 {
        return 0;
    }
    let d = (-step.log10()).ceil();
    // A step of 0.25 needs two decimals, not one.
    let mut decimals = d.max(0.0) as usize;
    let scaled = step * 10f64.powi(decimals as i32);
    if (scaled - scaled.round()).abs() > 1e-6 {
        decimals += 1;
    }
    decimals.min(8)
}

fn trim_zeros(mut s: String) -> String {
    if s.contains('.') {
        let keep = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(keep);
    }
    if s == "-0" {
        s = "0".to_string();
    }
    s
}

fn non_finite(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v > 0.0 {
        "inf".to_string()
    } else {
        "-inf".to_string()
    }
}

/// Inserts a comma every three digits of an ASCII digit string.
fn group_digits(digits: &str) -> String {
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_every_three_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(725_055), "725,055");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
        assert_eq!(thousands_signed(-1234), "-1,234");
        assert_eq!(thousands_signed(i64::MIN), "-9,223,372,036,854,775,808");
        assert_eq!(thousands_signed(12), "12");
    }

    #[test]
    fn fixed_and_compact_numbers() {
        assert_eq!(format_fixed(12345.678, 1), "12,345.7");
        assert_eq!(format_fixed(-0.0001, 2), "0.00");
        assert_eq!(format_fixed(-1234.5, 0), "-1,234");
        assert_eq!(format_number(1_234_567.0), "1,234,567");
        assert_eq!(format_number(1234.56), "1,234.6");
        assert_eq!(format_number(12.3456), "12.35");
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(-0.12345), "-0.123");
        assert_eq!(format_number(0.0012345), "0.00123");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(f64::NAN), "NaN");
    }

    #[test]
    fn tick_decimals_follow_the_step() {
        assert_eq!(decimals_for_step(10.0), 0);
        assert_eq!(decimals_for_step(1.0), 0);
        assert_eq!(decimals_for_step(0.5), 1);
        assert_eq!(decimals_for_step(0.2), 1);
        assert_eq!(decimals_for_step(0.25), 2);
        assert_eq!(decimals_for_step(0.05), 2);
        assert_eq!(decimals_for_step(0.001), 3);
    }

    #[test]
    fn labels_are_cut_with_an_ellipsis() {
        assert_eq!(truncate_label("short", 10), "short");
        assert_eq!(truncate_label("exactly10!", 10), "exactly10!");
        assert_eq!(truncate_label("a much longer label", 8), "a much…");
        assert_eq!(truncate_label("naïveté über alles", 8), "naïveté…");
        assert_eq!(
            truncate_label("line\nbreak\t and  tab", 40),
            "line break and tab"
        );
        assert_eq!(truncate_label("x", 0), "");
    }

    /// The cell text by `Display` alone (in the plain range).
    fn display_cell(v: f64) -> Option<String> {
        if !v.is_finite() {
            None
        } else if v == 0.0 {
            Some("0".into())
        } else if (1e-5..1e16).contains(&v.abs()) {
            Some(v.to_string())
        } else {
            Some(format!("{v:e}"))
        }
    }

    #[test]
    fn float_cells_equal_display_on_chosen_values() {
        let mut values = vec![
            1e-5,
            9.999_999_999_999_999e-6,
            1e16,
            9_999_999_999_999_998.0,
            0.1,
            0.2,
            0.3,
            2.0,
            -2.0,
            1.0 / 3.0,
            123_456_789.0,
            5e-324,
            1e300,
            0.000_123,
            100.0,
            1e15,
            4_503_599_627_370_497.0,
            // Ties: zmij or ryu alone would write ...670.12 and ...713.2.
            94_949_473_390_670.0 + 0.125,
            -(1_284_685_467_644_713.0 + 0.25),
            0.5,
            0.125,
            1.5e-5,
        ];
        // Ratios like the tables' tf, per-million and rounded figures.
        for n in 1..300u32 {
            for d in [3u32, 7, 10, 97, 1_000, 123_457, 1_000_000] {
                let x = f64::from(n) / f64::from(d);
                values.extend([x, -x, x * 1e6, (x * 1e6).round() / 1e6, x.ln()]);
            }
        }
        for v in values {
            assert_eq!(float_cell(v), display_cell(v), "{v:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        #[test]
        fn float_cells_equal_display_on_any_bits(bits in proptest::prelude::any::<u64>()) {
            let v = f64::from_bits(bits);
            proptest::prop_assert_eq!(float_cell(v), display_cell(v));
        }

        #[test]
        fn float_cells_equal_display_in_the_plain_range(m in 1.0f64..10.0, e in -5i32..16) {
            let v = m * 10f64.powi(e);
            proptest::prop_assert_eq!(float_cell(v), display_cell(v));
            proptest::prop_assert_eq!(float_cell(-v), display_cell(-v));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// The figures the tables round (to 0-6 decimals), from the tiny to
        /// past the millionths' limit of 1e9.
        #[test]
        fn rounded_figures_equal_display(x in -1e10f64..1e10, scale in -12i32..4, dp in 0i32..7) {
            let f = 10f64.powi(dp);
            let v = (x * 10f64.powi(scale) * f).round() / f;
            proptest::prop_assert_eq!(float_cell(v), display_cell(v));
        }

        #[test]
        fn whole_millionths_equal_display(k in 0u64..2_000_000_000_000_000) {
            let v = k as f64 / 1e6;
            proptest::prop_assert_eq!(float_cell(v), display_cell(v));
            proptest::prop_assert_eq!(float_cell(-v), display_cell(-v));
        }
    }

    #[test]
    fn millionths_are_written_with_their_zeros() {
        for (v, text) in [
            (0.000_01, "0.00001"),
            (0.000_123, "0.000123"),
            (0.5, "0.5"),
            (-2.0, "-2"),
            (2_240.483_8, "2240.4838"),
            (999_999_999.999_999, "999999999.999999"),
            (100.000_001, "100.000001"),
        ] {
            assert_eq!(float_cell(v).as_deref(), Some(text));
            let mut s = String::new();
            assert!(write_millionths(v, &mut s), "{v} takes the short path");
            assert_eq!(s, text);
        }
        // Not a whole number of millionths, or too large: the long way.
        for v in [1.0 / 3.0, 0.022_222_222_222_222_223, 1e9, 0.000_001_5] {
            assert!(!write_millionths(v, &mut String::new()), "{v}");
        }
    }

    #[test]
    fn float_cells_round_trip() {
        for v in [
            0.1,
            1.0 / 3.0,
            -2.5e-9,
            123456789.125,
            f64::MAX,
            f64::MIN_POSITIVE,
        ] {
            let s = float_cell(v).unwrap_or_default();
            assert_eq!(s.parse::<f64>().ok(), Some(v), "{s}");
        }
        assert_eq!(float_cell(-0.0).as_deref(), Some("0"));
        assert_eq!(float_cell(f64::NAN), None);
        assert_eq!(float_cell(f64::NEG_INFINITY), None);
    }
}
