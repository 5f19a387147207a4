//! `receipt`: verify receipts, print signed manifests and key fingerprints, and write
//! the demo set. Thin: every check lives in `receipt-verify`.

mod demo;
mod human;
mod io;
mod receipts;
mod rows;
mod safe_json;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit codes:
  0  verified (every check passed; warnings and notes allowed)
  1  not verified (a check failed, including malformed or unreadable receipt content)
  2  usage error, an unreadable file, or an unusable key file";

/// Verify audit receipts, receipt chains, audit-row exports and wave approvals
/// (receipt format v1) on your own machine.
#[derive(Parser)]
#[command(name = "receipt", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The signature backends `receipt verify` offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    /// The system OpenSSL (libcrypto), on every core.
    Native,
    /// Pure-Rust RustCrypto (`rsa`, `p256`), on one core.
    Rustcrypto,
}

#[derive(Subcommand)]
enum Command {
    /// Verify receipts (one receipt, a JSON array, or JSON Lines per FILE; approvals may be mixed in).
    #[command(after_help = EXIT_CODES)]
    Verify {
        /// A public key file: PEM (PUBLIC KEY, RSA PUBLIC KEY, CERTIFICATE), DER, JWK or JWKS. Repeatable.
        #[arg(long = "key", short = 'k', value_name = "FILE")]
        keys: Vec<PathBuf>,
        /// An audit-row export (JSON Lines) to check against the receipts' sealed heads.
        #[arg(long, value_name = "FILE")]
        rows: Option<PathBuf>,
        /// Print the full report as JSON (top-level "verdict": "verified" | "failed").
        #[arg(long)]
        json: bool,
        /// Also list every passed check.
        #[arg(long, short = 'v')]
        verbose: bool,
        /// Threads that read the row export (default: every core). The report is the same
        /// for any number.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        threads: Option<u16>,
        /// Who checks the signatures: the system OpenSSL on every core, or pure-Rust RustCrypto
        /// on one (the library and page's backend). Both give the same report but its `backend`.
        #[arg(long, value_enum, default_value_t = Backend::Native)]
        backend: Backend,
        /// Receipt files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print the exact signed bytes M of a receipt (no trailing newline), for `openssl dgst -verify`.
    Manifest {
        /// Which receipt, when FILE holds several (0-based).
        #[arg(long)]
        index: Option<usize>,
        /// For a wave approval: print what approval K signs instead.
        #[arg(long, value_name = "K")]
        approval: Option<usize>,
        /// The receipt file.
        file: PathBuf,
    },
    /// Print the SHA-256 of each key's SubjectPublicKeyInfo DER, in hex (as `openssl pkey -pubin -outform DER | sha256sum`).
    Fingerprint {
        /// A key file (PEM, DER, JWK or JWKS).
        keyfile: PathBuf,
    },
    /// Say what each file is (receipt, chain, approvals, row export, keys) or why it is none of those.
    Inspect {
        /// Print a JSON array, one object per file.
        #[arg(long)]
        json: bool,
        /// Files to look at.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Write the deterministic demo set: key pair, JWKS, rows, receipts, approvals and tampered copies.
    /// With --rows or --receipts, write a big set for benchmarks instead: jwks.json, rows.jsonl
    /// sealed every 1,000 rows by rows-receipts.jsonl, and a receipts.jsonl chain, one a minute.
    Demo {
        /// Output directory (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Big set: a row export of N rows (rows.jsonl) and the receipts sealing it (rows-receipts.jsonl).
        #[arg(long, value_name = "N")]
        rows: Option<u64>,
        /// Big set: a chain of M batch receipts, one a minute from 2026-01-01 (receipts.jsonl; 525600 is a year).
        #[arg(long, value_name = "M")]
        receipts: Option<u64>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Verify { keys, rows, json, verbose, threads, backend, files } => {
            let threads =
                threads.map_or_else(|| std::thread::available_parallelism().map_or(1, usize::from), usize::from);
            io::verify(&keys, rows.as_deref(), &files, io::Output { json, verbose }, backend, threads)
        }
        Command::Manifest { index, approval, file } => io::manifest(&file, index, approval),
        Command::Fingerprint { keyfile } => io::fingerprint(&keyfile),
        Command::Inspect { json, files } => io::inspect(&files, json),
        Command::Demo { out, rows: None, receipts: None } => demo::write(&out).map(|()| ExitCode::SUCCESS),
        Command::Demo { out, rows, receipts } => {
            demo::write_big(&out, demo::BigSet { rows, receipts }).map(|()| ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // File names and key texts in the message are input too.
            eprintln!("receipt: error: {}", receipt_verify::visible(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}
