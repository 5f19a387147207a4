//! The double nearest to a decimal value, rounding half to even (IEEE 754), as RFC 8785
//! and ECMAScript read a number.
//!
//! Hand-written for size: the correctly rounding readers at hand, serde_json's
//! `float_roundtrip` and std's `f64::from_str`, cost 9.2 KB and 14.7 KB gzipped in the
//! WASM build; this one about 3.6 KB, and replacing `float_roundtrip` with it took 6,931
//! bytes off the gzipped bindings (179,962 → 173,031; measured 2026-12-02). Small values take Clinger's fast path (one exact
//! IEEE operation); the rest the exact decimal-shift algorithm of Go's `strconv`
//! (`decimal.go`, `atof.go`): the digits are shifted by powers of two until the value is
//! in [1/2, 1), then the 53-bit significand is rounded from the digits, a truncated tail
//! counting as a sticky bit. Tested differentially against std's parser
//! (`numbers/tests.rs`) and by the `number_rule` fuzz target.

/// Digits kept while shifting; any further nonzero digit only breaks ties (`truncated`).
const MAX_DIGITS: usize = 800;
/// The largest shift one pass takes: 9 · 2^60 plus a carry stays within a u64.
const MAX_SHIFT: u32 = 60;
/// Shifts that move the decimal point by 0, 1, 2, … digits at least (Go's `powtab`).
const POWTAB: [u32; 9] = [1, 3, 6, 9, 13, 16, 19, 23, 26];
const MANT_BITS: u32 = 52;
const BIAS: i64 = -1023;

/// A decimal `0.d1 d2 … dn × 10^point`, digits as values 0–9, no trailing zero.
struct Shifter {
    digits: Vec<u8>,
    point: i64,
    truncated: bool,
    /// Digits produced by all shifts so far: the cost of the reading.
    work: u64,
}

/// The slow path would take more digit operations than the document's budget left
/// (`limits::NUMBER_WORK_PER_BYTE`): about 30,000 for `1e308`, a few hundred for a
/// 17-digit decimal, none for the fast path.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct OutOfWork;

/// The double nearest to `digits × 10^exponent` (digits as ASCII), negated when
/// `negative`; `None` beyond the largest double. The slow path spends digit operations
/// from `work_left`.
pub(crate) fn nearest(
    negative: bool,
    digits: &[u8],
    exponent: i64,
    work_left: &mut u64,
) -> Result<Option<f64>, OutOfWork> {
    let magnitude = match fast_path(digits, exponent) {
        Some(m) => Some(m),
        None => slow_path(digits, exponent, work_left)?,
    };
    Ok(magnitude.map(|m| if negative { -m } else { m }))
}

/// Clinger: at most 15 digits are exact as a double, and so are 10^0 … 10^22, so one
/// multiplication or division rounds once, correctly.
fn fast_path(digits: &[u8], exponent: i64) -> Option<f64> {
    if digits.len() > 15 || !(-22..=22).contains(&exponent) {
        return None;
    }
    let mut w: u64 = 0;
    for d in digits {
        w = w * 10 + u64::from(d - b'0');
    }
    let mut scale = 1.0f64;
    for _ in 0..exponent.unsigned_abs() {
        scale *= 10.0;
    }
    // `w` < 10^15 < 2^53: exact.
    #[allow(clippy::cast_precision_loss)]
    let w = w as f64;
    Some(if exponent >= 0 { w * scale } else { w / scale })
}

fn slow_path(digits: &[u8], exponent: i64, work_left: &mut u64) -> Result<Option<f64>, OutOfWork> {
    let mut d = Shifter::new(digits, exponent);
    let bits = d.shifted_to_double();
    *work_left = work_left.checked_sub(d.work).ok_or(OutOfWork)?;
    Ok(bits)
}

impl Shifter {
    /// Go's `floatBits`: shift into [1/2, 1), then round 53 bits from the digits.
    fn shifted_to_double(&mut self) -> Option<f64> {
        let d = self;
        if d.digits.is_empty() {
            return Some(0.0);
        }
        if d.point > 310 {
            return None;
        }
        if d.point < -330 {
            return Some(0.0);
        }
        let mut exp: i64 = 0;
        while d.point > 0 {
            let n = step(d.point);
            d.shift_right(n);
            exp += i64::from(n);
        }
        while d.point < 0 || (d.point == 0 && d.digits.first().is_some_and(|&x| x < 5)) {
            let n = step(-d.point);
            d.shift_left(n);
            exp -= i64::from(n);
        }
        // Now 1/2 <= d < 1; as 1 <= d < 2, the exponent is one less.
        exp -= 1;
        if exp < BIAS + 1 {
            // Subnormal: shift so the exponent is the smallest.
            let n = BIAS + 1 - exp;
            d.shift_by(n, false);
            exp += n;
        }
        if exp - BIAS >= 0x7FF {
            return None;
        }
        d.shift_by(i64::from(1 + MANT_BITS), true);
        let mut mant = d.rounded_integer();
        if mant == 2 << MANT_BITS {
            mant >>= 1;
            exp += 1;
            if exp - BIAS >= 0x7FF {
                return None;
            }
        }
        if mant & (1 << MANT_BITS) == 0 {
            exp = BIAS;
        }
        let biased = u64::try_from(exp - BIAS).ok()? & 0x7FF;
        Some(f64::from_bits((mant & ((1 << MANT_BITS) - 1)) | (biased << MANT_BITS)))
    }
}

/// How far to shift to move the decimal point by `places` digits (at most 27 bits).
fn step(places: i64) -> u32 {
    usize::try_from(places).ok().and_then(|p| POWTAB.get(p)).copied().unwrap_or(27)
}

impl Shifter {
    fn new(ascii: &[u8], exponent: i64) -> Shifter {
        let lead = ascii.iter().take_while(|&&c| c == b'0').count();
        let ascii = ascii.get(lead..).unwrap_or_default();
        let kept = ascii.len().min(MAX_DIGITS);
        let digits: Vec<u8> = ascii.iter().take(kept).map(|c| c - b'0').collect();
        let truncated = ascii.iter().skip(kept).any(|&c| c != b'0');
        let len = i64::try_from(ascii.len()).unwrap_or(i64::MAX);
        let mut s = Shifter { digits, point: len.saturating_add(exponent), truncated, work: 0 };
        s.trim();
        s
    }

    fn trim(&mut self) {
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
        if self.digits.is_empty() {
            self.point = 0;
        }
    }

    /// Multiply by 2^k (`left`) or divide by it, in passes of at most MAX_SHIFT bits.
    fn shift_by(&mut self, mut k: i64, left: bool) {
        while k > 0 {
            let n = u32::try_from(k.min(i64::from(MAX_SHIFT))).unwrap_or(MAX_SHIFT);
            if left {
                self.shift_left(n);
            } else {
                self.shift_right(n);
            }
            k -= i64::from(n);
        }
    }

    /// Multiply by 2^k (k <= MAX_SHIFT), from the last digit to the first.
    fn shift_left(&mut self, k: u32) {
        self.work += self.digits.len() as u64 + 20;
        let mut reversed = Vec::with_capacity(self.digits.len() + 20);
        let mut carry: u64 = 0;
        for &digit in self.digits.iter().rev() {
            let v = (u64::from(digit) << k) + carry;
            reversed.push((v % 10) as u8);
            carry = v / 10;
        }
        while carry > 0 {
            reversed.push((carry % 10) as u8);
            carry /= 10;
        }
        let grown = reversed.len().saturating_sub(self.digits.len());
        self.point += i64::try_from(grown).unwrap_or(0);
        reversed.reverse();
        if reversed.len() > MAX_DIGITS {
            self.truncated |= reversed.iter().skip(MAX_DIGITS).any(|&d| d != 0);
            reversed.truncate(MAX_DIGITS);
        }
        self.digits = reversed;
        self.trim();
    }

    /// Divide by 2^k (k <= MAX_SHIFT), from the first digit to the last.
    fn shift_right(&mut self, k: u32) {
        self.work += self.digits.len() as u64 + 20;
        let mut read = 0usize;
        let mut n: u64 = 0;
        // Read digits until the running value reaches 2^k.
        while n >> k == 0 {
            match self.digits.get(read) {
                Some(&digit) => n = n * 10 + u64::from(digit),
                None if n == 0 => {
                    self.digits.clear();
                    self.point = 0;
                    return;
                }
                None => n *= 10,
            }
            read += 1;
        }
        self.point -= i64::try_from(read).unwrap_or(0) - 1;
        let mask = (1u64 << k) - 1;
        let mut out = Vec::with_capacity(self.digits.len() + 20);
        for &digit in self.digits.iter().skip(read) {
            out.push((n >> k) as u8);
            n = (n & mask) * 10 + u64::from(digit);
        }
        while n > 0 {
            let digit = (n >> k) as u8;
            if out.len() < MAX_DIGITS {
                out.push(digit);
            } else if digit > 0 {
                self.truncated = true;
            }
            n = (n & mask) * 10;
        }
        self.digits = out;
        self.trim();
    }

    /// The integer part, rounded half to even; a truncated tail breaks a tie upwards.
    fn rounded_integer(&self) -> u64 {
        let Ok(point) = usize::try_from(self.point) else { return 0 };
        if point > 20 {
            return u64::MAX;
        }
        let mut n: u64 = 0;
        for i in 0..point {
            n = n.wrapping_mul(10).wrapping_add(u64::from(self.digits.get(i).copied().unwrap_or(0)));
        }
        n.wrapping_add(u64::from(self.rounds_up(point)))
    }

    fn rounds_up(&self, at: usize) -> bool {
        match self.digits.get(at) {
            Some(5) if at + 1 == self.digits.len() => {
                // Exactly half (unless digits were dropped): round to even.
                self.truncated || at.checked_sub(1).and_then(|i| self.digits.get(i)).is_some_and(|d| d % 2 == 1)
            }
            Some(&d) => d >= 5,
            None => false,
        }
    }
}
