//! Writes the bad-input corpus tests/bad-inputs/ (issue 9 §5) and its table in README.md.
//! Deterministic: the same bytes on every run (tests/bad_inputs.rs checks the committed copy).
//!
//! `cargo run -p receipt-cli --example bad_inputs`

#[path = "../../../tests/bad_inputs_gen/mod.rs"]
mod bad_inputs_gen;

use std::path::Path;

use anyhow::{Context, Result};

fn main() -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("tests/bad-inputs");
    let count = bad_inputs_gen::write(&dir)?;
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).context("cannot read README.md")?;
    let corpus = bad_inputs_gen::build()?;
    let updated = bad_inputs_gen::readme_with_table(&readme, &bad_inputs_gen::table(&corpus.cases))
        .context("README.md lacks the bad-inputs markers")?;
    std::fs::write(&readme_path, updated).context("cannot write README.md")?;
    println!("wrote {count} cases to {}", dir.display());
    Ok(())
}
