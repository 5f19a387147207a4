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
    for (status, title, mark) in
        [(Status::Fail, "Failures", "FAIL"), (Status::Warn, "Warnings", "WARN"), (Status::Note, "Notes", "NOTE")]
    {
        section(out, report, status, title, mark)?;
    }
    if verbose {
        section(out, report, Status::Pass, "Passed", "ok")?;
    }
    Ok(())
}

fn section(out: &mut impl Write, report: &Report, status: Status, title: &str, mark: &str) -> io::Result<()> {
    let checks: Vec<&Check> = report.checks.iter().filter(|c| c.status == status).collect();
    if checks.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{title}:")?;
    for c in checks {
        writeln!(out, "  {mark} {}  {}", c.id, c.subject)?;
        writeln!(out, "      {}", c.message)?;
        if let Some(e) = &c.expected {
            writeln!(out, "      expected: {e}")?;
        }
        if let Some(a) = &c.actual {
            writeln!(out, "      actual:   {a}")?;
        }
    }
    Ok(())
}
