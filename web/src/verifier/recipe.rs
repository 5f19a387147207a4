//! "Check it yourself": the shell commands (SPEC.md, hand-verification recipe) that
//! re-do the hash and signature checks for the receipt shown, with off-the-shelf tools.

/// The commands for the first receipt of `file` (a chain is cut to its first line).
/// `fingerprint` is the SPKI SHA-256 of the key the page used, to compare at the end.
pub fn commands(file: &str, is_chain: bool, alg: &str, fingerprint: Option<&str>) -> String {
    let take =
        if is_chain { format!("head -n 1 '{file}' > receipt.json") } else { format!("cp '{file}' receipt.json") };
    let verify = match alg {
        "PS256" => "openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \\\n  -verify key.pem -signature signature.bin manifest.bin",
        "ES256" => "# ES256 signatures are raw r||s; convert to DER first (SPEC.md, \"Signatures\"), then:\nopenssl dgst -sha256 -verify key.pem -signature signature.der manifest.bin",
        _ => "openssl dgst -sha256 -verify key.pem -signature signature.bin manifest.bin",
    };
    let expect = fingerprint.map(|f| format!("   # must print {f}")).unwrap_or_default();
    format!(
        "# 1. The receipt (save the vendor's public key next to it as key.pem).\n{take}\n\n\
         # 2. M = JCS(receipt without thisHash and signature).\n\
         python3 -c 'import json,sys; r=json.load(open(\"receipt.json\")); [r.pop(k) for k in (\"thisHash\",\"signature\")]; sys.stdout.write(json.dumps(r, sort_keys=True, separators=(\",\",\":\"), ensure_ascii=False))' > manifest.bin\n\n\
         # 3. thisHash must be 0x + SHA-256(M): these two lines must be equal.\n\
         echo \"0x$(sha256sum manifest.bin | cut -d' ' -f1)\"\n\
         python3 -c 'import json; print(json.load(open(\"receipt.json\"))[\"thisHash\"])'\n\n\
         # 4. Decode the signature (base64 or base64url).\n\
         python3 -c 'import json,base64; s=json.load(open(\"receipt.json\"))[\"signature\"]; open(\"signature.bin\",\"wb\").write(base64.urlsafe_b64decode(s.replace(\"+\",\"-\").replace(\"/\",\"_\") + \"=\" * (-len(s) % 4)))'\n\n\
         # 5. Verify the signature over M: prints \"Verified OK\".\n{verify}\n\n\
         # 6. The key's fingerprint (SPKI SHA-256).\n\
         openssl pkey -pubin -in key.pem -outform DER | sha256sum{expect}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_file_and_the_fingerprint() {
        let c = commands("chain.jsonl", true, "RS256", Some("ab12"));
        assert!(c.contains("head -n 1 'chain.jsonl' > receipt.json"), "{c}");
        assert!(c.contains("openssl dgst -sha256 -verify key.pem -signature signature.bin manifest.bin"), "{c}");
        assert!(c.contains("must print ab12"), "{c}");
        assert!(commands("r.json", false, "PS256", None).contains("rsa_padding_mode:pss"));
    }
}
