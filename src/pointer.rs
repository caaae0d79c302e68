//! JSON pointers (RFC 6901), as every error and every grader's answer names a place in a
//! request or a trace: one reference token escaped, and a pointer one key deeper.

/// A key as a reference token: `~` becomes `~0` and `/` becomes `~1`, in that order, so that
/// `~1` in a key comes out `~01`, not `/`.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The pointer of `key` under `parent` (`""` for the document itself).
pub fn child(parent: &str, key: &str) -> String {
    format!("{parent}/{}", escape(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_escaped_tilde_first() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert_eq!(escape("~1"), "~01");
        assert_eq!(child("", "x"), "/x");
        assert_eq!(child("/samples/0", "a/b"), "/samples/0/a~1b");
    }
}
