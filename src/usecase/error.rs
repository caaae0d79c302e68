//! What a use case can refuse or fail at, with no HTTP in it: the HTTP edge answers with the
//! problem document and its status (`api::error`), the CLI prints the same document and exits 1.

use serde::Serialize;

use crate::wire::fields::FieldError;
use crate::wire::problem::ProblemDetails;

/// Why a use case gave no result.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The JSON is well formed but breaks the contract; every violation is listed.
    Validation(Vec<FieldError>),
    /// The input is not JSON.
    MalformedJson {
        message: String,
        line: usize,
        column: usize,
    },
    /// A bug; never caused by input.
    Internal(String),
}

impl Error {
    /// The error for a JSON syntax error, with its position.
    pub fn malformed_json(error: &serde_json::Error) -> Self {
        // serde_json's Display already ends with "at line L column C"; keep only the cause so
        // the position is written once, in our words.
        let text = error.to_string();
        let message = match text.rfind(" at line ") {
            Some(at) => text[..at].to_string(),
            None => text,
        };
        Error::MalformedJson {
            message,
            line: error.line(),
            column: error.column(),
        }
    }

    /// The `status` member of the problem document (the HTTP edge answers with the same code).
    pub fn status(&self) -> u16 {
        match self {
            Error::Validation(_) => 422,
            Error::MalformedJson { .. } => 400,
            Error::Internal(_) => 500,
        }
    }

    /// The problem document of this error.
    pub fn problem(&self) -> ProblemDetails {
        let status = self.status();
        match self {
            Error::Validation(errors) => {
                let detail = match errors.len() {
                    1 => "1 error; see `errors`.".to_string(),
                    n => format!("{n} errors; see `errors`."),
                };
                ProblemDetails {
                    errors: Some(errors.clone()),
                    ..ProblemDetails::new(
                        "validation",
                        "The request is not a valid problem",
                        status,
                        detail,
                    )
                }
            }
            Error::MalformedJson {
                message,
                line,
                column,
            } => ProblemDetails {
                line: Some(*line),
                column: Some(*column),
                ..ProblemDetails::new(
                    "malformed-json",
                    "The body is not valid JSON",
                    status,
                    format!("{message} at line {line}, column {column}."),
                )
            },
            Error::Internal(detail) => {
                ProblemDetails::new("internal", "Internal error", status, detail.clone())
            }
        }
    }
}

impl From<Vec<FieldError>> for Error {
    fn from(errors: Vec<FieldError>) -> Self {
        Error::Validation(errors)
    }
}

/// Parse a body as JSON; a syntax error (or a number too large for a double, like `1e400`) is
/// [`Error::MalformedJson`] with its position.
pub fn parse(bytes: &[u8]) -> Result<serde_json::Value, Error> {
    serde_json::from_slice(bytes).map_err(|error| Error::malformed_json(&error))
}

/// The JSON text of a response; the core never writes a non-finite number, so this only fails
/// on a broken invariant.
pub fn encode(value: &impl Serialize) -> Result<Vec<u8>, Error> {
    crate::wire::json::to_vec(value)
        .map_err(|error| Error::Internal(format!("cannot serialize: {error}")))
}

/// The pointers of a validation error, none for a result (a test's view of a use case).
#[cfg(test)]
pub fn pointers_of<T>(result: Result<T, Error>) -> Vec<String> {
    match result {
        Ok(_) => Vec::new(),
        Err(Error::Validation(errors)) => errors.into_iter().map(|e| e.pointer).collect(),
        Err(other) => panic!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_keeps_its_position_once() {
        let Err(error) = parse(b"{\n  \"a\": ,\n}") else {
            panic!("that is not JSON");
        };
        let problem = error.problem();
        assert_eq!(problem.status, 400);
        assert_eq!(problem.line, Some(2));
        assert_eq!(problem.detail, "expected value at line 2, column 8.");
    }

    #[test]
    fn a_number_too_large_for_a_double_is_a_syntax_error() {
        assert!(matches!(
            parse(b"{\"x\": 1e400}"),
            Err(Error::MalformedJson { line: 1, .. })
        ));
    }

    #[test]
    fn validation_problems_list_their_errors() {
        let problem = Error::Validation(vec![FieldError::new("/weights", "is required")]).problem();
        assert_eq!(problem.kind, "https://gradtrace.dev/problems/validation");
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors.map(|e| e.len()), Some(1));
    }
}
