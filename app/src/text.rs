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

/// One line of text as it may be shown in a table or a spreadsheet: trimmed, without control
/// characters or the direction and format marks (U+200B–U+200F, U+202A–U+202E,
/// U+2066–U+2069, U+FEFF) that can make a row read as something else.
pub fn plain_line(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(*c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
                    | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_loses_control_and_direction_marks() {
        assert_eq!(plain_line(" 中国\u{202E}银行\t\n "), "中国银行");
        assert_eq!(plain_line("\u{200F}Bank\u{FEFF}"), "Bank");
    }

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
