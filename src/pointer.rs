//! JSON pointers (RFC 6901), as every error and every grader's answer names a place in a
//! request or a trace: one reference token escaped, a pointer one key deeper, and how a message
//! names the type of the value found there.

use serde_json::Value;

/// A key as a reference token: `~` becomes `~0` and `/` becomes `~1`, in that order, so that
/// `~1` in a key comes out `~01`, not `/`.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The pointer of `key` under `parent` (`""` for the document itself).
pub fn child(parent: &str, key: &str) -> String {
    format!("{parent}/{}", escape(key))
}

/// The JSON type of a value, for "must be a number, not a string".
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
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
