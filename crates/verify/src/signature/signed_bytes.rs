//! The exact bytes a signature covers, held as shared pieces.
//!
//! Every entry of a wave approval signs `JCS({"approver", "kid", "signedAt", "wave"})`:
//! a few bytes of its own, then the whole canonical wave, then `}`. Holding the wave once
//! and sharing it between the entries keeps memory linear in the input: a 1 MB wave with
//! 1,000 entries would otherwise cost 1 GB of messages. Signature backends hash the
//! pieces in order ([`SignedBytes::parts`]), or concatenate one message at a time
//! ([`SignedBytes::to_vec`]) when their API needs contiguous bytes.

use std::fmt;
use std::sync::Arc;

#[cfg(feature = "rustcrypto")]
use sha2::{Digest, Sha256};

/// The signed bytes: the concatenation of [`Self::parts`]. Cloning shares them.
#[derive(Clone)]
pub struct SignedBytes {
    parts: Arc<[Arc<[u8]>]>,
    len: usize,
}

impl SignedBytes {
    /// The concatenation of `parts`; each part may be shared with other messages.
    pub fn from_parts(parts: impl IntoIterator<Item = Arc<[u8]>>) -> Self {
        let parts: Arc<[Arc<[u8]>]> = parts.into_iter().collect();
        let len = parts.iter().map(|p| p.len()).sum();
        SignedBytes { parts, len }
    }

    /// The pieces, in order.
    pub fn parts(&self) -> impl Iterator<Item = &[u8]> {
        self.parts.iter().map(|p| &p[..])
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes in one allocation (a copy).
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len);
        self.parts().for_each(|p| out.extend_from_slice(p));
        out
    }

    /// Where the list of pieces lives: equal for clones, so a test can count how many
    /// distinct messages a batch of jobs refers to.
    pub fn as_ptr(&self) -> *const () {
        Arc::as_ptr(&self.parts).cast()
    }

    /// SHA-256 fed with the pieces in order, not yet finalised.
    #[cfg(feature = "rustcrypto")]
    pub(crate) fn sha256(&self) -> Sha256 {
        let mut h = Sha256::new();
        self.parts().for_each(|p| h.update(p));
        h
    }
}

impl PartialEq for SignedBytes {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.parts().flatten().eq(other.parts().flatten())
    }
}

impl Eq for SignedBytes {}

impl fmt::Debug for SignedBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SignedBytes({} bytes in {} parts)", self.len, self.parts.len())
    }
}

impl From<Vec<u8>> for SignedBytes {
    fn from(bytes: Vec<u8>) -> Self {
        SignedBytes::from_parts([Arc::from(bytes)])
    }
}

impl From<&[u8]> for SignedBytes {
    fn from(bytes: &[u8]) -> Self {
        SignedBytes::from_parts([Arc::from(bytes)])
    }
}

impl From<Arc<[u8]>> for SignedBytes {
    fn from(bytes: Arc<[u8]>) -> Self {
        SignedBytes::from_parts([bytes])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn pieces_read_as_their_concatenation() {
        let shared: Arc<[u8]> = Arc::from(&b"shared"[..]);
        let a = SignedBytes::from_parts([Arc::from(&b"<"[..]), Arc::clone(&shared), Arc::from(&b">"[..])]);
        assert_eq!(a.to_vec(), b"<shared>");
        assert_eq!(a.len(), 8);
        assert_eq!(a, SignedBytes::from(b"<shared>".to_vec()));
        assert_ne!(a, SignedBytes::from(b"<shared!".to_vec()));
        #[cfg(feature = "rustcrypto")]
        assert_eq!(a.sha256().finalize(), Sha256::digest(b"<shared>"));
        assert_eq!(a.clone().as_ptr(), a.as_ptr());
        assert!(SignedBytes::from(Vec::new()).is_empty());
    }
}
