//! "Check it yourself": the shell commands (SPEC.md, hand-verification recipe) that
//! re-do the hash and signature checks for the receipt shown, with off-the-shelf tools.

/// How the receipts sit in the file (SPEC.md, "Input files").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One JSON object.
    Single,
    /// JSON Lines: one receipt per line.
    Lines,
    /// A JSON array of receipts.
    Array,
}

impl Layout {
    /// Tell from the bytes: `[` starts an array; several non-empty lines are JSON Lines.
    pub fn of(bytes: &[u8]) -> Layout {
        let text = String::from_utf8_lossy(bytes);
        let body = text.trim_start_matches('\u{feff}').trim_start();
        if body.starts_with('[') {
            Layout::Array
        } else if body.lines().filter(|l| !l.trim().is_empty()).count() > 1
            && body.lines().next().is_some_and(|l| l.trim_end().ends_with('}'))
        {
            Layout::Lines
        } else {
            Layout::Single
        }
    }
}

/// The commands for the first receipt of `file`. `fingerprint` is the SPKI SHA-256 of the
/// key the page used, to compare at the end.
pub fn commands(file: &str, layout: Layout, alg: &str, fingerprint: Option<&str>) -> String {
    // Quoted for sh: a ' in a file name becomes '\''.
    let file = file.replace('\'', "'\\''");
    let take = match layout {
        Layout::Single => format!("cp '{file}' receipt.json"),
        // The first line that is not blank: blank lines are skipped (SPEC.md §3), and
        // `head -n 1` took a leading one (red team 14).
        Layout::Lines => format!("grep -m 1 '[^[:space:]]' '{file}' > receipt.json"),
        Layout::Array => format!(
            "python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1]))[0], open(\"receipt.json\",\"w\"))' '{file}'"
        ),
    };
    let verify = match alg {
        "PS256" => "openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \\\n  -verify key.pem -signature signature.bin manifest.bin",
        "ES256" => concat!(
            "# ES256 may be the 64-byte r||s (RFC 7518); openssl wants DER, so convert it first.\n",
            r#"python3 -c 'import sys; s=open("signature.bin","rb").read(); n=lambda x: (b"\0"+x.lstrip(b"\0")) if x.lstrip(b"\0")[:1] >= b"\x80" else (x.lstrip(b"\0") or b"\0"); f=lambda x: b"\x02"+bytes([len(n(x))])+n(x); b=f(s[:32])+f(s[32:]) if len(s)==64 else None; open("signature.der","wb").write(b"\x30"+bytes([len(b)])+b if b else s)'"#,
            "\nopenssl dgst -sha256 -verify key.pem -signature signature.der manifest.bin"
        ),
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
        let c = commands("chain.jsonl", Layout::Lines, "RS256", Some("ab12"));
        assert!(c.contains("grep -m 1 '[^[:space:]]' 'chain.jsonl' > receipt.json"), "{c}");
        assert!(c.contains("openssl dgst -sha256 -verify key.pem -signature signature.bin manifest.bin"), "{c}");
        assert!(c.contains("must print ab12"), "{c}");
        assert!(commands("r.json", Layout::Single, "PS256", None).contains("rsa_padding_mode:pss"));
        assert!(commands("it's.json", Layout::Single, "RS256", None).contains("cp 'it'\\''s.json' receipt.json"));
        assert!(commands("a.json", Layout::Array, "RS256", None).contains("[0]"));
    }

    #[test]
    fn tells_the_layout() {
        assert_eq!(Layout::of(b"{\"a\":1}\n{\"a\":2}\n"), Layout::Lines);
        assert_eq!(Layout::of(b"  [{\"a\":1}]"), Layout::Array);
        assert_eq!(Layout::of(b"{\n  \"a\": 1\n}\n"), Layout::Single);
    }
}
