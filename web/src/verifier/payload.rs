//! A file's contents as the widget holds them: the bytes of a small file (or pasted text,
//! the demo, a share link), or the browser's handle on a large one. A large file is never
//! read on the page's main thread: the worker reads its head to label it and streams it
//! in slices to verify it (worker.js), so a 1 GB export costs the page nothing.

use std::sync::Arc;

/// Files above this many bytes stay handles; smaller ones are read at once.
pub const READ_AT_ONCE_MAX: f64 = (1u32 << 20) as f64;

/// A file's contents, or the browser's handle on them.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// The bytes, read.
    Bytes(Arc<Vec<u8>>),
    /// The browser's `File`, not read here.
    Blob(web_sys::File),
}

impl Payload {
    /// The bytes, when they were read (empty for a handle).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Payload::Bytes(b) => b.as_slice(),
            Payload::Blob(_) => &[],
        }
    }

    /// The size in bytes.
    pub fn len(&self) -> u64 {
        match self {
            Payload::Bytes(b) => b.len() as u64,
            Payload::Blob(f) => f.size() as u64,
        }
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the worker gets: the bytes (copied once, then transferred) or the handle
    /// (structured-cloned: the browser shares the file, nothing is copied).
    pub fn to_js(&self) -> wasm_bindgen::JsValue {
        match self {
            Payload::Bytes(b) => js_sys::Uint8Array::from(b.as_slice()).into(),
            Payload::Blob(f) => f.clone().into(),
        }
    }
}

impl From<Vec<u8>> for Payload {
    fn from(bytes: Vec<u8>) -> Self {
        Payload::Bytes(Arc::new(bytes))
    }
}

impl Default for Payload {
    fn default() -> Self {
        Payload::Bytes(Arc::new(Vec::new()))
    }
}
