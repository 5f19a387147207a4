//! The receipts' sealed heads, held compactly until a row export is read: per receipt
//! with a `batchHead`, its hash, an interned customer id and its place as numbers, 56
//! bytes; each distinct customer id is held once. The row join reads them in place
//! ([`HeadBook`]): a head's subject is rebuilt only when a finding names it.

use std::collections::HashMap;

use crate::hash::Hash;
use crate::input::Layout;
use crate::report::Subject;
use crate::rows::HeadBook;

/// One receipt's head: 56 bytes.
struct Head {
    hash: Hash,
    /// 1-based line (0: none).
    line: u64,
    /// Index into `customers` (0: no customer id).
    customer: u32,
    /// Index of the receipt file and of the receipt within it.
    file: u32,
    index: u32,
}

/// Heads per block of [`HeadList`].
const BLOCK: usize = 1 << 14;

/// Heads in blocks of [`BLOCK`] (917 KB): growing never copies what is held nor doubles it.
/// WebAssembly memory never shrinks, so a `Vec` that doubled left every old buffer behind:
/// a year of receipts (525,600 heads, 29 MB) took 117 MB of heads in the page (v1.1).
#[derive(Default)]
struct HeadList {
    blocks: Vec<Vec<Head>>,
    len: usize,
}

impl HeadList {
    fn push(&mut self, head: Head) {
        match self.blocks.last_mut() {
            Some(block) if block.len() < BLOCK => block.push(head),
            _ => self.blocks.push(vec![head]),
        }
        self.len += 1;
    }

    fn get(&self, k: usize) -> Option<&Head> {
        self.blocks.get(k / BLOCK)?.get(k % BLOCK)
    }

    fn len(&self) -> usize {
        self.len
    }
}

/// The heads of every receipt so far, in chain order.
#[derive(Default)]
pub(super) struct Heads {
    list: HeadList,
    /// Customer ids, interned; entry 0 stands for none.
    customers: Vec<Option<String>>,
    by_customer: HashMap<String, u32>,
    /// Receipt files: name and layout.
    files: Vec<(String, Layout)>,
}

/// Bytes held per head (the docs and SPEC state it).
pub(super) const HEAD_BYTES: usize = std::mem::size_of::<Head>();

impl Heads {
    /// Heads that follow are in a file called `name`.
    pub(super) fn file(&mut self, name: &str) {
        self.files.push((name.to_string(), Layout::Lines));
    }

    /// A receipt's head, at `subject` (the receipt's place) in the last file given, whose
    /// items are laid out as `layout`.
    pub(super) fn add(&mut self, hash: Hash, customer_id: Option<&str>, subject: &Subject, layout: Layout) {
        if let Some((_, l)) = self.files.last_mut() {
            *l = layout;
        }
        if self.customers.is_empty() {
            self.customers.push(None);
        }
        let customer = match customer_id {
            None => 0,
            Some(c) => match self.by_customer.get(c) {
                Some(i) => *i,
                None => {
                    let i = u32::try_from(self.customers.len()).unwrap_or(u32::MAX);
                    self.customers.push(Some(c.to_string()));
                    self.by_customer.insert(c.to_string(), i);
                    i
                }
            },
        };
        let narrow = |n: Option<usize>| u32::try_from(n.unwrap_or(0)).unwrap_or(u32::MAX);
        self.list.push(Head {
            hash,
            line: subject.line.map_or(0, |l| u64::try_from(l).unwrap_or(u64::MAX)),
            customer,
            file: narrow(self.files.len().checked_sub(1)),
            index: narrow(subject.index),
        });
    }
}

/// The row join reads the heads here, with each place rebuilt only for a finding.
impl HeadBook for Heads {
    fn len(&self) -> usize {
        self.list.len()
    }

    fn hash(&self, k: usize) -> Option<Hash> {
        self.list.get(k).map(|h| h.hash)
    }

    fn customer(&self, k: usize) -> Option<&str> {
        let h = self.list.get(k)?;
        self.customers.get(h.customer as usize)?.as_deref()
    }

    fn subject(&self, k: usize) -> Subject {
        let Some(h) = self.list.get(k) else { return Subject::default() };
        let (file, layout) = self.files.get(h.file as usize).cloned().unwrap_or((String::new(), Layout::Lines));
        let index = h.index as usize;
        let receipt = Subject {
            file: Some(file),
            index: Some(index),
            line: (h.line > 0).then(|| usize::try_from(h.line).unwrap_or(usize::MAX)),
            pointer: (layout == Layout::Array).then(|| format!("/{index}")),
        };
        receipt.at("batchHead")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn places_and_customers_come_back_as_they_were() {
        let mut heads = Heads::default();
        let base = |file: &str| Subject { file: Some(file.to_string()), ..Subject::default() };
        let lines = Subject { index: Some(3), line: Some(9), ..base("a.jsonl") };
        let array = Subject { index: Some(1), pointer: Some("/1".into()), ..base("b.json") };
        let single = Subject { index: Some(0), ..base("c.json") };
        let h = Hash::sha256(b"x");
        heads.file("a.jsonl");
        heads.add(h, Some("cust"), &lines, Layout::Lines);
        heads.file("b.json");
        heads.add(h, None, &array, Layout::Array);
        heads.file("c.json");
        heads.add(h, Some("cust"), &single, Layout::Single);
        let got: Vec<(Option<String>, Subject)> =
            (0..heads.len()).map(|k| (heads.customer(k).map(str::to_string), heads.subject(k))).collect();
        let want = vec![
            (Some("cust".to_string()), lines.at("batchHead")),
            (None, array.at("batchHead")),
            (Some("cust".to_string()), single.at("batchHead")),
        ];
        assert_eq!(got, want);
        assert_eq!(heads.customers.len(), 2, "one customer id held once");
        assert_eq!(HEAD_BYTES, 56);
    }

    #[test]
    fn heads_past_a_block_keep_their_order() {
        let mut heads = Heads::default();
        heads.file("a.jsonl");
        let n = 2 * BLOCK + 3;
        for i in 0..n {
            let at = Subject { file: Some("a.jsonl".into()), index: Some(i), line: Some(i + 1), ..Subject::default() };
            heads.add(Hash::sha256(&i.to_le_bytes()), None, &at, Layout::Lines);
        }
        assert_eq!(heads.len(), n);
        assert_eq!(heads.list.blocks.len(), 3);
        for k in [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, n - 1] {
            assert_eq!(heads.hash(k), Some(Hash::sha256(&k.to_le_bytes())), "head {k}");
            assert_eq!(heads.subject(k).index, Some(k), "head {k}");
        }
        assert_eq!(heads.hash(n), None);
        assert!(heads.list.blocks.iter().all(|b| b.capacity() <= BLOCK), "a block never outgrows BLOCK");
    }
}
