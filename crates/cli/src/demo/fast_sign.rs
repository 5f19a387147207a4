//! RS256 signing for the big demo sets, on every core, with the system OpenSSL (about
//! twice the speed of the `rsa` crate per core). PKCS#1 v1.5 signatures are deterministic,
//! so the sets stay byte-identical across runs, machines and signers (a test compares
//! this signer's output with the `rsa` crate's).

use anyhow::{anyhow, Result};
use base64ct::{Base64, Encoding};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::sign::Signer;
use rayon::prelude::*;

/// The demo audit key, loaded once into OpenSSL.
pub struct FastSigner {
    key: PKey<Private>,
}

impl FastSigner {
    /// Load a PKCS#8 PEM RSA private key.
    pub fn from_pem(pem: &str) -> Result<Self> {
        let key = PKey::private_key_from_pem(pem.as_bytes()).map_err(|e| anyhow!("demo key for OpenSSL: {e}"))?;
        Ok(FastSigner { key })
    }

    /// RS256 over one message, as standard base64 (the receipts' `signature`).
    pub fn sign(&self, message: &[u8]) -> Result<String> {
        let mut signer = Signer::new(MessageDigest::sha256(), &self.key).map_err(|e| anyhow!("openssl: {e}"))?;
        signer.update(message).map_err(|e| anyhow!("openssl: {e}"))?;
        let sig = signer.sign_to_vec().map_err(|e| anyhow!("openssl: {e}"))?;
        Ok(Base64::encode_string(&sig))
    }

    /// RS256 over every message, in order, spread over all cores.
    pub fn sign_all(&self, messages: &[Vec<u8>]) -> Result<Vec<String>> {
        messages.par_iter().map(|m| self.sign(m)).collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{SignatureEncoding, Signer as _};
    use sha2::Sha256;

    /// The fast signer is RS256 with the demo key, bit for bit: the same bytes as the
    /// `rsa` crate's deterministic PKCS#1 v1.5 signer, for several messages.
    #[test]
    fn openssl_signatures_equal_the_rsa_crates() {
        let fast = FastSigner::from_pem(super::super::AUDIT_KEY_PEM).unwrap();
        let private = rsa::RsaPrivateKey::from_pkcs8_pem(super::super::AUDIT_KEY_PEM).unwrap();
        let slow = rsa::pkcs1v15::SigningKey::<Sha256>::new(private);
        let messages: Vec<Vec<u8>> = vec![b"".to_vec(), b"receipt".to_vec(), vec![0xa5; 1000]];
        let all = fast.sign_all(&messages).unwrap();
        assert_eq!(all.len(), messages.len());
        for (m, got) in messages.iter().zip(&all) {
            let want = Base64::encode_string(&slow.sign(m).to_bytes());
            assert_eq!(got, &want);
        }
        // Different messages give different signatures (the signer is not constant).
        assert_ne!(all.first(), all.get(1));
    }
}
