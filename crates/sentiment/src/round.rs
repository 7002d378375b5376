//! Python's `round(x, ndigits)` for floats.
//!
//! CPython rounds the exact binary value of `x` to `ndigits` decimals (ties to
//! even) and converts the decimal back to the nearest double. Scaling by a
//! power of ten and rounding gives the same answer except when the scaled
//! value lies within rounding error of a half; those cases take the exact
//! (slow) path through the formatter, which rounds the same way.

/// Rounds like Python's `round(x, digits)` for `digits` in 0..=6.
pub(crate) fn py_round(x: f64, digits: u32) -> f64 {
    let scale = match digits {
        0 => 1.0,
        1 => 10.0,
        2 => 100.0,
        3 => 1_000.0,
        4 => 10_000.0,
        5 => 100_000.0,
        _ => 1_000_000.0,
    };
    let scaled = x * scale;
    if !scaled.is_finite() || scaled.abs() >= 1e15 {
        return x;
    }
    // floor without a libm call (|scaled| < 1e15 fits an i64 exactly).
    let truncated = scaled as i64 as f64;
    let floor = if truncated > scaled {
        truncated - 1.0
    } else {
        truncated
    };
    let frac = scaled - floor;
    if (frac - 0.5).abs() > 1e-6 {
        // `k / scale` with an exact integer `k` is correctly rounded, as
        // parsing the decimal string would be.
        let k = if frac > 0.5 { floor + 1.0 } else { floor };
        // Python keeps the sign of a value that rounds to zero (-0.0).
        return (k / scale).copysign(x);
    }
    let text = format!("{:.*}", digits.min(6) as usize, x);
    text.parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::py_round;

    #[test]
    fn matches_python_round() {
        // Values checked against CPython 3.11.
        assert_eq!(py_round(0.0625, 3), 0.062);
        assert_eq!(py_round(0.1875, 3), 0.188);
        assert_eq!(py_round(0.3125, 3), 0.312);
        assert_eq!(py_round(0.03125, 4), 0.0312);
        assert_eq!(py_round(-0.0625, 3), -0.062);
        assert_eq!(py_round(0.0005, 3), 0.001);
        assert_eq!(py_round(0.0015, 3), 0.002);
        assert_eq!(py_round(2.675, 2), 2.67);
        assert_eq!(py_round(0.84389, 4), 0.8439);
        assert_eq!(py_round(-0.57415, 4), -0.5742);
        assert_eq!(py_round(1.0, 4), 1.0);
        assert!(py_round(-0.00001, 4).is_sign_negative());
        assert!(py_round(0.00001, 4).is_sign_positive());
    }
}
