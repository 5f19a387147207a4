//! The progress line of a running verification (v1.1): bytes, rows, throughput and an
//! estimate of the time left, summed over the workers, and the WebAssembly memory of each.
//! It is shown next to the bar, outside the live region, which announces only the start
//! and the verdict (a line that changes ten times a second must not be read out).
//! Everything here is a number the worker counted: nothing from a file is shown.

/// One progress message of the workers, summed (`web/worker.js`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowProgress {
    /// Bytes of the row export read.
    pub done: u64,
    /// Bytes in all.
    pub total: u64,
    /// Rows read.
    pub rows: u64,
    /// Items of the receipt files read (their items pass), v1.1.
    pub receipts: u64,
    /// Milliseconds since the verification started in the worker.
    pub elapsed_ms: u64,
    /// Each worker's WebAssembly memory in bytes, the coordinator first.
    pub memory: Vec<u64>,
}

impl RowProgress {
    /// Bytes per second so far; `None` before there is anything to go on. Whole numbers
    /// only: formatting floats would add about 10 KB to the page's wasm.
    pub fn throughput(&self) -> Option<u64> {
        if self.elapsed_ms < 50 || self.done == 0 {
            return None;
        }
        // Byte counts of a File are below 2^53, so `* 1000` stays far below u64::MAX.
        Some(self.done.saturating_mul(1000) / self.elapsed_ms)
    }

    /// Seconds left at the rate so far.
    pub fn eta_seconds(&self) -> Option<u64> {
        let rate = self.throughput().filter(|r| *r > 0)?;
        Some(self.total.saturating_sub(self.done).div_ceil(rate))
    }

    /// The line shown: "48.0 MB of 120.0 MB · 196,608 rows · 95.2 MB/s · about 1 s left ·
    /// 2 workers, WebAssembly memory up to 21.0 MB each".
    pub fn line(&self) -> String {
        let mut parts = vec![format!("{} of {}", mb(self.done), mb(self.total))];
        // Receipts while their files are read, then rows (a verify of receipts alone never
        // says "0 rows").
        if self.receipts > 0 {
            parts.push(format!("{} receipts", thousands(self.receipts)));
        }
        if self.rows > 0 || self.receipts == 0 {
            parts.push(format!("{} rows", thousands(self.rows)));
        }
        if let (Some(rate), Some(eta)) = (self.throughput(), self.eta_seconds()) {
            parts.push(format!("{}/s", mb(rate)));
            parts.push(if self.done >= self.total {
                "joining the ranges".to_string()
            } else {
                format!("about {} left", duration(eta))
            });
        }
        if let Some(peak) = self.memory.iter().max() {
            let n = self.memory.len();
            let workers = if n == 1 { "1 worker".to_string() } else { format!("{n} workers") };
            parts.push(format!("{workers}, WebAssembly memory up to {} each", mb(*peak)));
        }
        parts.join(" · ")
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes as MB (10^6), rounded to one decimal.
fn mb(bytes: u64) -> String {
    let tenths = bytes.saturating_add(50_000) / 100_000;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

fn duration(seconds: u64) -> String {
    match seconds {
        0..=59 => format!("{seconds} s"),
        60..=3599 => format!("{} min {} s", seconds / 60, seconds % 60),
        _ => format!("{} h {} min", seconds / 3600, (seconds % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_bytes_rows_rate_time_left_and_memory() {
        let p = RowProgress {
            done: 50_000_000,
            total: 150_000_000,
            rows: 200_000,
            receipts: 0,
            elapsed_ms: 1000,
            memory: vec![21 << 20, 18 << 20],
        };
        assert_eq!(p.throughput(), Some(50_000_000));
        assert_eq!(p.eta_seconds(), Some(2));
        assert_eq!(
            p.line(),
            "50.0 MB of 150.0 MB · 200,000 rows · 50.0 MB/s · about 2 s left · 2 workers, WebAssembly memory up to 22.0 MB each"
        );
    }

    #[test]
    fn no_rate_before_there_is_one_and_long_times_read_as_minutes() {
        let early = RowProgress { done: 0, total: 10, elapsed_ms: 0, ..RowProgress::default() };
        assert_eq!(early.throughput(), None);
        assert_eq!(early.line(), "0.0 MB of 0.0 MB · 0 rows");
        let slow = RowProgress {
            done: 1_000_000,
            total: 1_000_000_000,
            rows: 1,
            elapsed_ms: 1000,
            memory: vec![1 << 20],
            ..RowProgress::default()
        };
        assert_eq!(slow.eta_seconds(), Some(999));
        assert!(slow.line().contains("about 16 min 39 s left"), "{}", slow.line());
        assert!(slow.line().contains("1 worker, "), "{}", slow.line());
        let joined = RowProgress { done: 10, total: 10, rows: 1, elapsed_ms: 100, ..RowProgress::default() };
        assert!(joined.line().ends_with("joining the ranges"), "{}", joined.line());
    }

    #[test]
    fn receipts_are_counted_while_their_files_are_read_and_rows_once_there_are_any() {
        let receipts = RowProgress { done: 2_000_000, total: 9_000_000, receipts: 12_345, ..RowProgress::default() };
        assert_eq!(receipts.line(), "2.0 MB of 9.0 MB · 12,345 receipts");
        let both = RowProgress { rows: 7, ..receipts };
        assert_eq!(both.line(), "2.0 MB of 9.0 MB · 12,345 receipts · 7 rows");
    }
}
