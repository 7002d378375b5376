//! Dates as news scrapes write them, and the periods of a timeline.

use std::fmt;

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u8,
    /// Day of month, 1-31.
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date if the day exists.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        Date {
            year: (y + i64::from(m <= 2)) as i32,
            month: m,
            day: d,
        }
    }

    /// Monday of the ISO week holding this date.
    pub fn week_start(self) -> Date {
        let d = self.to_days();
        // 1970-01-01 was a Thursday: (d + 3) mod 7 is 0 on Mondays.
        Date::from_days(d - (d + 3).rem_euclid(7))
    }

    /// First day of the month.
    pub fn month_start(self) -> Date {
        Date { day: 1, ..self }
    }

    /// Parses the date forms found in scraped news and spreadsheets; the
    /// time of day, if any, is ignored.  Accepted: `2017/2/7`, `2017-02-07`,
    /// `2017.02.07`, with any time after them (`2016/12/30 7:11`,
    /// `2017-02-07T10:00:00Z`); `20170207`; `7 February 2017`, `Feb 7, 2017`,
    /// `Tue, 07 Feb 2017 10:00:00 GMT`; and `7/2/2017` or `2/7/2017`, read as
    /// day/month when the first number is over 12 and month/day otherwise.
    /// Surrounding spaces are ignored; anything else gives None.
    ///
    /// ```
    /// use lexiscope_stats::Date;
    /// assert_eq!(Date::parse("  2016/12/30 7:11").unwrap().to_string(), "2016-12-30");
    /// assert_eq!(Date::parse("Feb 7, 2017").unwrap().to_string(), "2017-02-07");
    /// assert_eq!(Date::parse(""), None);
    /// ```
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        // Split into runs of digits and runs of letters; the forms below
        // read at most the first four, so the first eight are kept (on the
        // stack: a date is parsed for every document).
        fn keep<'a>(kept: &mut [&'a str; 8], n: &mut usize, part: &'a str) {
            if let Some(slot) = kept.get_mut(*n) {
                *slot = part;
                *n += 1;
            }
        }
        let mut kept = [""; 8];
        let mut n = 0;
        let mut start = None;
        let mut kind = 0u8; // 1 digit, 2 letter
        for (i, c) in s.char_indices() {
            let k = if c.is_ascii_digit() {
                1
            } else if c.is_alphabetic() {
                2
            } else {
                0
            };
            if k != kind {
                if let Some(st) = start.take() {
                    keep(&mut kept, &mut n, &s[st..i]);
                }
                if k != 0 {
                    start = Some(i);
                }
                kind = k;
            }
        }
        if let Some(st) = start {
            keep(&mut kept, &mut n, &s[st..]);
        }
        let parts = &kept[..n];
        let num = |p: &str| -> Option<i64> {
            (p.bytes().all(|b| b.is_ascii_digit()) && p.len() <= 8)
                .then(|| p.parse().ok())
                .flatten()
        };
        let month_name = |p: &str| -> Option<u8> {
            let head = p.as_bytes().get(..3)?;
            MONTHS
                .iter()
                .position(|m| head.eq_ignore_ascii_case(m.as_bytes()))
                .map(|i| i as u8 + 1)
        };
        let first = *parts.first()?;
        // Compact 20170207.
        if parts.len() == 1 && first.len() == 8 {
            let n = num(first)?;
            return Date::new((n / 10_000) as i32, (n / 100 % 100) as u8, (n % 100) as u8);
        }
        // Numeric forms.
        if let (Some(a), Some(b), Some(c)) = (
            parts.first().and_then(|p| num(p)),
            parts.get(1).and_then(|p| num(p)),
            parts.get(2).and_then(|p| num(p)),
        ) {
            if parts[0].len() == 4 {
                return Date::new(a as i32, b as u8, c as u8);
            }
            if parts[2].len() == 4 {
                let (d, m) = if a > 12 { (a, b) } else { (b, a) };
                return Date::new(c as i32, m as u8, d as u8);
            }
            return None;
        }
        // Forms with a month name, optionally after a weekday.
        let rest = match parts {
            [p, rest @ ..] if num(p).is_none() && month_name(p).is_none() => rest,
            _ => parts,
        };
        match rest {
            [d, m, y, ..] if num(d).is_some() && month_name(m).is_some() && num(y).is_some() => {
                Date::new(num(y)? as i32, month_name(m)?, num(d)? as u8)
            }
            [m, d, y, ..] if month_name(m).is_some() && num(d).is_some() && num(y).is_some() => {
                Date::new(num(y)? as i32, month_name(m)?, num(d)? as u8)
            }
            _ => None,
        }
    }
}

/// The width of a timeline's periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// One row per day.
    Day,
    /// One row per ISO week (labelled by its Monday).
    Week,
    /// One row per month (labelled by its first day).
    Month,
}

impl Period {
    /// Days for spans up to 62 days, weeks up to two years, months beyond:
    /// enough points to see a trend, few enough to read.
    pub fn for_span(first: Date, last: Date) -> Period {
        let days = last.to_days() - first.to_days();
        if days <= 62 {
            Period::Day
        } else if days <= 730 {
            Period::Week
        } else {
            Period::Month
        }
    }

    /// The first day of the period holding `d`.
    pub fn start(self, d: Date) -> Date {
        match self {
            Period::Day => d,
            Period::Week => d.week_start(),
            Period::Month => d.month_start(),
        }
    }

    /// "day", "week" or "month".
    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<String> {
        Date::parse(s).map(|d| d.to_string())
    }

    /// [`Date::parse`] as it was written before it kept its parts on the
    /// stack: every part in a vector, the month names lower-cased.
    fn parse_with_vectors(s: &str) -> Option<Date> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        let mut parts: Vec<&str> = Vec::new();
        let mut start = None;
        let mut kind = 0u8;
        for (i, c) in s.char_indices() {
            let k = if c.is_ascii_digit() {
                1
            } else if c.is_alphabetic() {
                2
            } else {
                0
            };
            if k != kind {
                if let Some(st) = start.take() {
                    parts.push(&s[st..i]);
                }
                if k != 0 {
                    start = Some(i);
                }
                kind = k;
            }
        }
        if let Some(st) = start {
            parts.push(&s[st..]);
        }
        let num = |p: &str| -> Option<i64> {
            (p.bytes().all(|b| b.is_ascii_digit()) && p.len() <= 8)
                .then(|| p.parse().ok())
                .flatten()
        };
        let month_name = |p: &str| -> Option<u8> {
            let l = p.to_ascii_lowercase();
            (l.len() >= 3)
                .then(|| MONTHS.iter().position(|m| l.starts_with(m)))
                .flatten()
                .map(|i| i as u8 + 1)
        };
        let first = *parts.first()?;
        if parts.len() == 1 && first.len() == 8 {
            let n = num(first)?;
            return Date::new((n / 10_000) as i32, (n / 100 % 100) as u8, (n % 100) as u8);
        }
        if let (Some(a), Some(b), Some(c)) = (
            parts.first().and_then(|p| num(p)),
            parts.get(1).and_then(|p| num(p)),
            parts.get(2).and_then(|p| num(p)),
        ) {
            if parts[0].len() == 4 {
                return Date::new(a as i32, b as u8, c as u8);
            }
            if parts[2].len() == 4 {
                let (d, m) = if a > 12 { (a, b) } else { (b, a) };
                return Date::new(c as i32, m as u8, d as u8);
            }
            return None;
        }
        let mut it = parts.iter().copied().peekable();
        if it
            .peek()
            .is_some_and(|p| num(p).is_none() && month_name(p).is_none())
        {
            it.next();
        }
        let rest: Vec<&str> = it.collect();
        match rest.as_slice() {
            [d, m, y, ..] if num(d).is_some() && month_name(m).is_some() && num(y).is_some() => {
                Date::new(num(y)? as i32, month_name(m)?, num(d)? as u8)
            }
            [m, d, y, ..] if month_name(m).is_some() && num(d).is_some() && num(y).is_some() => {
                Date::new(num(y)? as i32, month_name(m)?, num(d)? as u8)
            }
            _ => None,
        }
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        /// Dates read as they were read with every part in a vector, from
        /// strings of numbers, month and day names in any case, other
        /// words (some not ASCII) and separators, more parts than eight
        /// included.
        #[test]
        fn parts_on_the_stack_read_as_parts_in_a_vector(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    (0u32..40).prop_map(|n| n.to_string()),
                    (1990u32..2030).prop_map(|n| n.to_string()),
                    (0u32..100_000_000).prop_map(|n| n.to_string()),
                    proptest::sample::select(vec![
                        "Jan", "FEBRUARY", "mar", "Apr", "mAy", "June", "jul", "Aug.",
                        "Sept", "oct", "NOV", "Dec", "Mon", "Tuesday", "ju", "Mär",
                        "éte", "at", "T", "Z", "UTC",
                    ])
                    .prop_map(str::to_string),
                ],
                0..12,
            ),
            seps in proptest::collection::vec(
                proptest::sample::select(vec![" ", "-", "/", ", ", ".", ":", "T", "", "  "]),
                12,
            ),
        ) {
            let mut s = String::new();
            for (i, piece) in pieces.iter().enumerate() {
                s.push_str(piece);
                s.push_str(seps[i]);
            }
            proptest::prop_assert_eq!(Date::parse(&s), parse_with_vectors(&s), "{:?}", s);
        }
    }

    #[test]
    fn news_corpus_forms() {
        assert_eq!(p("2017/2/7").as_deref(), Some("2017-02-07"));
        assert_eq!(p("  2016/12/30 7:11").as_deref(), Some("2016-12-30"));
        assert_eq!(p("2017/12/03").as_deref(), Some("2017-12-03"));
        assert_eq!(p(""), None);
        assert_eq!(p("   "), None);
    }

    #[test]
    fn other_forms() {
        assert_eq!(p("2017-02-07T10:00:00Z").as_deref(), Some("2017-02-07"));
        assert_eq!(p("20170207").as_deref(), Some("2017-02-07"));
        assert_eq!(p("7 February 2017").as_deref(), Some("2017-02-07"));
        assert_eq!(p("Feb 7, 2017").as_deref(), Some("2017-02-07"));
        assert_eq!(
            p("Tue, 07 Feb 2017 10:00:00 GMT").as_deref(),
            Some("2017-02-07")
        );
        assert_eq!(p("25/12/2016").as_deref(), Some("2016-12-25"));
        assert_eq!(p("12/25/2016").as_deref(), Some("2016-12-25"));
        assert_eq!(p("2017/2/30"), None);
        assert_eq!(p("yesterday"), None);
        assert_eq!(p("12:30"), None);
        assert_eq!(p("2016-02-29").as_deref(), Some("2016-02-29"));
        assert_eq!(p("2017-02-29"), None);
    }

    #[test]
    fn day_arithmetic_round_trips() {
        for days in (-800_000..800_000).step_by(997) {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().to_days(), 0);
        assert_eq!(
            Date::new(2017, 2, 7).unwrap().week_start().to_string(),
            "2017-02-06"
        );
        assert_eq!(
            Date::new(2017, 1, 1).unwrap().week_start().to_string(),
            "2016-12-26"
        );
        assert_eq!(
            Date::new(2017, 2, 6).unwrap().week_start().to_string(),
            "2017-02-06"
        );
    }

    #[test]
    fn period_choice() {
        let a = Date::new(2016, 12, 1).unwrap();
        assert_eq!(
            Period::for_span(a, Date::new(2016, 12, 31).unwrap()),
            Period::Day
        );
        assert_eq!(
            Period::for_span(a, Date::new(2017, 3, 15).unwrap()),
            Period::Week
        );
        assert_eq!(
            Period::for_span(a, Date::new(2020, 1, 1).unwrap()),
            Period::Month
        );
        assert_eq!(
            Period::Month
                .start(Date::new(2017, 3, 15).unwrap())
                .to_string(),
            "2017-03-01"
        );
    }
}
