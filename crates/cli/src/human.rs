//! The readable summary: the verdict, the keys, then every failure with its place and
//! expected/actual values, then warnings and notes.

use std::io::{self, Write};

use receipt_verify::{Check, Report, Status, Verdict};

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
            let kid = k.kid.as_deref().map_or("(no kid)".to_string(), |k| format!("kid {k:?}"));
            writeln!(out, "  {kid} {} from {}", k.key_type, k.source)?;
            writeln!(out, "      SPKI SHA-256 {}  verified {} signature(s)", k.fingerprint, k.verified_signatures)?;
            if let Some(c) = &k.certificate {
                writeln!(out, "      certificate subject {:?}, issuer {:?}", c.subject, c.issuer)?;
            }
            if k.valid_from.is_some() || k.valid_until.is_some() {
                let show = |t: Option<receipt_verify::Timestamp>| t.map_or("(open)".to_string(), |t| t.to_string());
                writeln!(out, "      valid {} .. {}", show(k.valid_from), show(k.valid_until))?;
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
        writeln!(out, "  {mark} {}  {}", c.id, c.subject)?;
        writeln!(out, "      {}", c.message)?;
        if let Some(e) = &c.expected {
            writeln!(out, "      expected: {e}")?;
        }
        if let Some(a) = &c.actual {
            writeln!(out, "      actual:   {a}")?;
        }
    }
    for (id, n) in shown.into_iter().filter(|(_, n)| *n > per_id) {
        writeln!(out, "  … and {} more {id} (--verbose lists them all)", n - per_id)?;
    }
    Ok(())
}
