//! Writes `$OUT_DIR/bad_inputs.rs` from `tests/bad-inputs/cases.json`, so the corpus runner
//! in `tests/web/corpus.rs` holds every case's files (`include_bytes!`) and never drifts
//! from the manifest. Only that test includes the file; the page and the embed do not.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/bad-inputs");
    println!("cargo:rerun-if-changed={}", root.display());
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("bad_inputs.rs");
    let code = generate(&root).unwrap_or_else(|why| format!("compile_error!({why:?});\n"));
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}

/// `const CASES: &[Case]` and `const PENDING: &str`, as Rust source.
fn generate(root: &Path) -> Result<String, String> {
    let read = |name: &str| std::fs::read_to_string(root.join(name)).map_err(|e| format!("{name}: {e}"));
    let manifest: serde_json::Value = serde_json::from_str(&read("cases.json")?).map_err(|e| e.to_string())?;
    let cases = manifest.get("cases").and_then(|c| c.as_array()).ok_or("cases.json has no \"cases\" array")?;
    let mut code = String::from("/// Every case of cases.json, in its order.\nconst CASES: &[Case] = &[\n");
    for case in cases {
        let field = |key: &str| case.get(key).unwrap_or(&serde_json::Value::Null);
        let name = field("name").as_str().ok_or("a case without a name")?;
        let expect = field("expect");
        let expected = |key: &str| expect.get(key).unwrap_or(&serde_json::Value::Null);
        let exit = expected("exit").as_u64().ok_or_else(|| format!("{name}: no exit"))?;
        let verdict = match expected("verdict").as_str() {
            Some(v) => format!("Some({v:?})"),
            None => "None".into(),
        };
        let failed: Vec<String> = expected("failed")
            .as_array()
            .ok_or_else(|| format!("{name}: no failed ids"))?
            .iter()
            .map(|id| format!("{:?}", id.as_str().unwrap_or_default()))
            .collect();
        let _ = write!(
            code,
            "    Case {{ name: {name:?}, exit: {exit}, verdict: {verdict}, failed: &[{}], files: &[",
            failed.join(", ")
        );
        for file in field("files").as_array().ok_or_else(|| format!("{name}: no files"))? {
            let path =
                file.get("path").and_then(|p| p.as_str()).ok_or_else(|| format!("{name}: a file without a path"))?;
            let role =
                file.get("role").and_then(|r| r.as_str()).ok_or_else(|| format!("{name}: a file without a role"))?;
            let full = root.join(path);
            if !full.is_file() {
                return Err(format!("{name}: {path} does not exist"));
            }
            let _ = write!(code, "({path:?}, {role:?}, include_bytes!({:?})), ", full.display().to_string());
        }
        code.push_str("] },\n");
    }
    code.push_str("];\n");
    let _ = writeln!(
        code,
        "/// tests/bad-inputs/pending.txt.\nconst PENDING: &str = include_str!({:?});",
        root.join("pending.txt").display().to_string()
    );
    Ok(code)
}
