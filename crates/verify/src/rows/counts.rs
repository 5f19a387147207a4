//! Counts per check id, for the row verifier's ranges and join. A handful of ids, kept
//! sorted: lookups are a few comparisons, summaries are listed in id order, and a range's
//! byte form is the same on every run (a hash map's order is not).

/// How many of each check id, in id order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts(Vec<(&'static str, u64)>);

impl Counts {
    /// Add `n` to `id`'s count; returns the new count.
    pub fn add(&mut self, id: &'static str, n: u64) -> u64 {
        match self.0.binary_search_by(|(k, _)| (*k).cmp(id)) {
            Ok(at) => match self.0.get_mut(at) {
                Some((_, count)) => {
                    *count = count.saturating_add(n);
                    *count
                }
                None => 0,
            },
            Err(at) => {
                self.0.insert(at, (id, n));
                n
            }
        }
    }

    /// `id`'s count (0 if never added).
    pub fn get(&self, id: &str) -> u64 {
        self.0.binary_search_by(|(k, _)| (*k).cmp(id)).ok().and_then(|at| self.0.get(at)).map_or(0, |(_, n)| *n)
    }

    /// Every id with its count, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        self.0.iter().copied()
    }

    /// How many ids are counted.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Forget every count.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::Counts;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn counts_add_up_per_id_and_list_in_id_order() {
        let mut c = Counts::default();
        assert_eq!((c.add("rows.seq", 2), c.add("rows.hash", 1), c.add("rows.seq", 3)), (2, 1, 5));
        assert_eq!(c.add("rows.link", u64::MAX), u64::MAX);
        assert_eq!(c.add("rows.link", 1), u64::MAX, "saturates instead of wrapping");
        assert_eq!((c.get("rows.seq"), c.get("rows.hash"), c.get("rows.customer")), (5, 1, 0));
        let listed: Vec<&str> = c.iter().map(|(id, _)| id).collect();
        assert_eq!(listed, ["rows.hash", "rows.link", "rows.seq"]);
        assert_eq!(c.len(), 3);
        c.clear();
        assert_eq!((c.len(), c.get("rows.seq")), (0, 0));
    }
}
