//! The readable summary: the verdict, the keys, then every failure with its place and
//! expected/actual values, then warnings and notes; with --verbose, one line per check id
//! for its passes (report v2: their count and first and last places).
//!
//! Every value taken from an input (file names, kids, places, messages, expected and
//! actual values) goes through [`visible`] or [`quoted`]: a control, bidi, zero-width or
//! blank character prints as `\u{hex}`, so no value can move the cursor, clear the
//! screen, reverse the text or print a line of its own that looks like a verdict.

use std::io::{self, Write};

use receipt_verify::{quoted, visible, Check, Report, Status, Verdict};

pub fn print(out: &mut impl Write, report: &Report, verbose: bool) -> io::Result<()> {
    let s = report.summary();
    let verdict = match report.verdict() {
        Verdict::Verified => "VERIFIED",
        Verdict::Failed => "NOT VERIFIED",
    };
    writeln!(out, "{verdict}: {} passed, {} failed, {} warnings, {} notes", s.pass, s.fail, s.warn, s.note)?;
    if !report.keys.is_empty() {
        writeln!(out, "\nKeys:")?;
        for k in &report.keys {
            let kid = k.kid.as_deref().map_or("(no kid)".to_string(), |k| format!("kid {}", quoted(k)));
            writeln!(out, "  {kid} {} from {}", visible(&k.key_type), visible(&k.source))?;
            writeln!(out, "      SPKI SHA-256 {}  verified {} signature(s)", k.fingerprint, k.verified_signatures)?;
            if let Some(c) = &k.certificate {
                writeln!(out, "      certificate subject {}, issuer {}", quoted(&c.subject), quoted(&c.issuer))?;
            }
            if k.valid_from.is_some() || k.valid_until.is_some() {
                let show = |t: Option<receipt_verify::Timestamp>| t.map_or("(open)".to_string(), |t| t.to_string());
                // An inverted window is said to be empty here too, as key.validity says it.
                let empty = matches!((k.valid_from, k.valid_until), (Some(f), Some(u)) if f > u);
                let empty = if empty { "  (empty: the key can have signed nothing)" } else { "" };
                writeln!(out, "      valid {} .. {}{empty}", show(k.valid_from), show(k.valid_until))?;
            }
        }
    }
    // Every failure is listed; warnings and notes are capped per check id unless --verbose,
    // so a day of 1,440 receipts does not bury the failures under retention notes.
    let cap = if verbose { usize::MAX } else { NOTES_PER_ID };
    section(out, report, Status::Fail, "Failures", "FAIL", usize::MAX)?;
    section(out, report, Status::Warn, "Warnings", "WARN", cap)?;
    section(out, report, Status::Note, "Notes", "NOTE", cap)?;
    if verbose {
        section(out, report, Status::Pass, "Passed", "ok", usize::MAX)?;
    }
    Ok(())
}

/// Warnings and notes shown per check id without --verbose.
const NOTES_PER_ID: usize = 3;

fn section(
    out: &mut impl Write,
    report: &Report,
    status: Status,
    title: &str,
    mark: &str,
    per_id: usize,
) -> io::Result<()> {
    let checks: Vec<&Check> = report.checks.iter().filter(|c| c.status == status).collect();
    if checks.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{title}:")?;
    let mut shown: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for c in &checks {
        let n = shown.entry(c.id).or_default();
        *n += 1;
        if *n > per_id {
            continue;
        }
        if c.status == Status::Pass {
            // Report v2: one entry for every pass of an id, with the count and the first
            // and last places.
            let n = c.weight();
            let places = match &c.last {
                Some(last) => format!("first {}, last {}", visible(&c.subject.to_string()), visible(&last.to_string())),
                None => format!("at {}", visible(&c.subject.to_string())),
            };
            writeln!(out, "  {mark} {}  {} passed ({places})", visible(c.id), receipt_verify::thousands(n))?;
        } else {
            writeln!(out, "  {mark} {}  {}", visible(c.id), visible(&c.subject.to_string()))?;
        }
        writeln!(out, "      {}", visible(&c.message))?;
        if let Some(e) = &c.expected {
            writeln!(out, "      expected: {}", visible(e))?;
        }
        if let Some(a) = &c.actual {
            writeln!(out, "      actual:   {}", visible(a))?;
        }
    }
    for (id, n) in shown.into_iter().filter(|(_, n)| *n > per_id) {
        writeln!(out, "  … and {} more {} in the report (--verbose shows them)", n - per_id, visible(id))?;
        // The report's own summary of findings it did not list (SPEC.md §12, §15), the
        // entry with a count: say it here too, or the count above would read as the whole.
        if let Some(c) = checks.iter().find(|c| c.id == id && c.count.is_some()) {
            writeln!(out, "    ({})", visible(&c.message))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use receipt_verify::thousands;

    #[test]
    fn counts_are_grouped_by_thousands() {
        let shown: Vec<String> = [0, 7, 999, 1000, 525_600, 1_000_000].into_iter().map(thousands).collect();
        assert_eq!(shown, ["0", "7", "999", "1,000", "525,600", "1,000,000"]);
    }
}
