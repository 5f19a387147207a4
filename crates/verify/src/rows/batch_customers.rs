//! The customers of the rows in the batch being read (SPEC.md §8.3, v1.1): every row a
//! receipt seals must carry that receipt's `customerId`, not only its head row. Rows are
//! read before the head that seals them, so the join keeps, per batch, the first two
//! distinct customers it met and where: enough to find a mismatch when the head arrives,
//! whatever the batch's length, in constant memory.

/// A row's `customerId` and its line.
pub(super) type CustomerAt = (String, usize);

#[derive(Debug, Default)]
pub(super) struct BatchCustomers {
    /// The customer of the rows since the last change ([`super::scan::Event::Customer`]).
    run: Option<String>,
    /// The batch's first customer, and another one met after it, if any.
    first: Option<CustomerAt>,
    other: Option<CustomerAt>,
}

impl BatchCustomers {
    /// A row on `line` whose customer is not the previous row's (as the range saw it).
    pub(super) fn row(&mut self, line: usize, customer: String) {
        if self.run.as_deref() == Some(customer.as_str()) {
            return;
        }
        match &self.first {
            None => self.first = Some((customer.clone(), line)),
            Some((first, _)) if *first != customer && self.other.is_none() => {
                self.other = Some((customer.clone(), line));
            }
            Some(_) => {}
        }
        self.run = Some(customer);
    }

    /// The batch is sealed by a receipt of `expected`: the first row in it of another
    /// customer, if any, and a fresh batch begins after the head.
    pub(super) fn seal(&mut self, expected: Option<&str>) -> Option<CustomerAt> {
        let (first, other) = (self.first.take(), self.other.take());
        // The scanner reports the customer of the row after a head again: forget the run.
        self.run = None;
        let expected = expected?;
        [first, other].into_iter().flatten().find(|(c, _)| c != expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_of_another_customer_anywhere_in_a_batch_is_found_once_sealed() {
        let mut b = BatchCustomers::default();
        b.row(1, "a".into());
        b.row(3, "b".into());
        b.row(4, "a".into());
        b.row(5, "c".into());
        assert_eq!(b.seal(Some("a")), Some(("b".into(), 3)));
        // The next batch starts clean.
        b.row(7, "a".into());
        assert_eq!(b.seal(Some("a")), None);
        b.row(8, "z".into());
        assert_eq!(b.seal(Some("a")), Some(("z".into(), 8)));
        // A batch of one other customer throughout names its first row.
        b.row(9, "b".into());
        b.row(10, "b".into());
        assert_eq!(b.seal(Some("a")), Some(("b".into(), 9)));
        // A receipt without a customer (already failed) compares nothing.
        b.row(11, "b".into());
        assert_eq!(b.seal(None), None);
    }
}
