//! Free text that people type (a reason, a note, an employer's name): trimmed, empty meaning
//! none, and kept within a length.

use crate::error::{AppError, AppResult, FieldProblem};

/// The longest reason or employer name kept.
pub const MAX_TEXT_CHARS: usize = 200;
/// The longest dispute note or resolution kept.
pub const MAX_NOTE_CHARS: usize = 500;

/// `text` trimmed, `None` when empty; refused when `required` and empty (400 `required`) or
/// longer than `max` characters (400 `too_long`), naming `field`.
pub fn checked(
    field: &str,
    text: Option<&str>,
    required: bool,
    max: usize,
) -> AppResult<Option<String>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None if required => Err(AppError::field(field, FieldProblem::Required)),
        Some(t) if t.chars().count() > max => {
            Err(AppError::field(field, FieldProblem::TooLong { max }))
        }
        other => Ok(other.map(str::to_string)),
    }
}

/// `text` trimmed, `None` when empty, cut to its first `max` characters.
pub fn clipped(text: Option<&str>, max: usize) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().take(max).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_kept_within_its_length() {
        assert_eq!(
            checked("reason", Some("  太远  "), true, 5),
            Ok(Some("太远".into()))
        );
        assert_eq!(checked("reason", Some("   "), false, 5), Ok(None));
        assert_eq!(checked("reason", None, false, 5), Ok(None));
        let required = checked("reason", Some(" "), true, 5).unwrap_err();
        assert_eq!(
            required.fields().unwrap().0["reason"],
            FieldProblem::Required
        );
        let long = checked("reason", Some("一二三四五六"), false, 5).unwrap_err();
        assert_eq!(
            long.fields().unwrap().0["reason"],
            FieldProblem::TooLong { max: 5 }
        );
        assert_eq!(
            clipped(Some(" 一二三四五六 "), 5),
            Some("一二三四五".into())
        );
        assert_eq!(clipped(Some("  "), 5), None);
    }
}
