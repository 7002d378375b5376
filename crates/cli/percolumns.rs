//! A value worked out from a document's list of column names, kept while
//! the next documents share the list.

use std::sync::Arc;

/// A list of column names, as documents share it (see
/// `lexiscope_ingest::Meta::columns_arc`).
pub type Columns = Arc<[Arc<str>]>;

/// A value computed from one list of column names and kept for the
/// documents that come with the same list (the documents of one file share
/// theirs), so that the work is done once per file, not once per document.
/// The list is recognised by identity, not by its names: a list equal but
/// not the same is simply worked out again.  The kept list holds its `Arc`,
/// so its address cannot be reused while it is cached.
pub struct PerColumns<T>(Option<(Columns, T)>);

impl<T> Default for PerColumns<T> {
    fn default() -> Self {
        PerColumns(None)
    }
}

impl<T> PerColumns<T> {
    /// The value for `names`: the kept one if `names` is the list it was
    /// made from, else `make(names)`, kept in its place.
    pub fn get(&mut self, names: &Columns, make: impl FnOnce(&[Arc<str>]) -> T) -> &T {
        if !matches!(&self.0, Some((list, _)) if Arc::ptr_eq(list, names)) {
            self.0 = None;
        }
        &self.0.get_or_insert_with(|| (names.clone(), make(names))).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str]) -> Columns {
        names.iter().map(|&n| Arc::from(n)).collect()
    }

    #[test]
    fn made_once_per_list_and_again_for_another_list() {
        let mut cache = PerColumns::default();
        let mut made = 0;
        let a = list(&["title", "url"]);
        let equal = list(&["title", "url"]);
        let b = list(&["date"]);
        for (names, want) in [(&a, 2), (&a, 2), (&equal, 2), (&b, 1), (&a, 2)] {
            let got = *cache.get(names, |n| {
                made += 1;
                n.len()
            });
            assert_eq!(got, want);
        }
        // a; a again (kept); an equal list that is not the same one; b; a.
        assert_eq!(made, 4);
    }
}
