//! JSON request bodies. A body that is not JSON, or JSON of the wrong shape, is refused with
//! 400 and the field at fault named in `fields` (422 is kept for what a rule refuses); a body
//! not sent as `application/json` is 415.

use super::ApiError;
use app::error::{AppError, FieldProblem};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::error::Category;

/// A JSON body of type `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| {
            v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
        })
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            // Shaped as the API's error by `json_rejections`.
            return Err(StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response());
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        parse(&bytes)
            .map(ApiJson)
            .map_err(|e| ApiError(e).into_response())
    }
}

/// Reads `bytes` as a `T`, naming the field at fault when it cannot.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let path = e.path().to_string();
        refusal(&path, e.into_inner())
    })?;
    reader
        .end()
        .map_err(|_| AppError::field("body", FieldProblem::NotJson))?;
    Ok(value)
}

/// The field and problem of a body `serde_json` could not read at `path` (`.` for the body).
fn refusal(path: &str, err: serde_json::Error) -> AppError {
    // The body itself, or an element of a top-level array (a struct read from `[1, 2]`).
    let whole = path.is_empty() || path == "." || path.starts_with('[');
    if matches!(
        err.classify(),
        Category::Syntax | Category::Eof | Category::Io
    ) {
        return AppError::field("body", FieldProblem::NotJson);
    }
    let text = err.to_string();
    if let Some(name) = text
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        let field = if whole {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        return AppError::field(&field, FieldProblem::Required);
    }
    let problem = if text.starts_with("unknown variant") {
        FieldProblem::UnknownCode
    } else if text.starts_with("unknown field") {
        FieldProblem::UnknownParameter
    } else if whole {
        // The body is JSON, but not an object of the expected fields (`[1, 2]`, say).
        FieldProblem::NotJson
    } else {
        FieldProblem::WrongType
    };
    AppError::field(if whole { "body" } else { path }, problem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Held {
        occupation: String,
        level: String,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        id: i64,
        #[serde(default)]
        held: Vec<Held>,
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        One,
    }

    fn field_of(body: &str) -> (String, FieldProblem) {
        let err = parse::<Body>(body.as_bytes()).unwrap_err();
        let fields = err.fields().expect("a field error").0.clone();
        assert_eq!(fields.len(), 1, "{fields:?}");
        fields.into_iter().next().unwrap()
    }

    #[test]
    fn each_malformed_body_names_its_field() {
        assert!(parse::<Body>(br#"{"id": 1}"#).is_ok());
        let cases = [
            (r#"{"id": "one"}"#, "id", FieldProblem::WrongType),
            (r#"{"id": 1.5}"#, "id", FieldProblem::WrongType),
            (r#"{}"#, "id", FieldProblem::Required),
            (
                r#"{"id": 1, "held": [{"occupation": "电工"}]}"#,
                "held[0].level",
                FieldProblem::Required,
            ),
            (
                r#"{"id": 1, "held": [{"occupation": "电工", "level": 5}]}"#,
                "held[0].level",
                FieldProblem::WrongType,
            ),
            (
                r#"{"id": 1, "kind": "two"}"#,
                "kind",
                FieldProblem::UnknownCode,
            ),
            (r#"{"id": "#, "body", FieldProblem::NotJson),
            (r#"[1, 2]"#, "body", FieldProblem::NotJson),
            (r#"{"id": 1} {"id": 2}"#, "body", FieldProblem::NotJson),
            ("", "body", FieldProblem::NotJson),
        ];
        for (body, field, problem) in cases {
            assert_eq!(field_of(body), (field.to_string(), problem), "{body}");
        }
    }

    #[test]
    fn json_is_known_by_its_content_type() {
        let with = |value: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, value.parse().unwrap());
            is_json(&h)
        };
        assert!(with("application/json"));
        assert!(with("application/json; charset=utf-8"));
        assert!(with("Application/JSON"));
        assert!(with("application/merge-patch+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!is_json(&HeaderMap::new()));
    }
}
