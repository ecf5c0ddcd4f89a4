//! A person's name as others may see it, and as they may type it.

/// A name as the public may see it: the family name, the rest hidden (`张*`, `欧阳**`).
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        n => {
            // Two-character family names (复姓) keep both characters when the name is long.
            let keep = if n >= 4 { 2 } else { 1 };
            chars[..keep].iter().collect::<String>() + &"*".repeat(n - keep)
        }
    }
}

/// Whether the name someone typed is the holder's (spaces and the middle dot ignored).
pub fn same_name(typed: &str, holder: &str) -> bool {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| {
                !c.is_whitespace() && !matches!(c, '·' | '•' | '.' | '・' | '．' | '‧' | '･' | '﹒')
            })
            .collect()
    };
    let typed = clean(typed);
    !typed.is_empty() && typed == clean(holder)
}

/// The longest name kept (characters).
pub const MAX_NAME_CHARS: usize = 50;

/// Why a typed name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    TooLong,
    /// A character no name has: a digit, punctuation, a symbol, a control character, or a
    /// direction or format mark (which can make a row in a staff console read as something
    /// else).
    Characters,
}

/// The middle dot of names like 阿依·木呷, and what input methods type for it.
const MIDDLE_DOT: char = '·';
const DOT_LOOK_ALIKES: [char; 6] = ['・', '•', '．', '‧', '･', '﹒'];
/// Tibetan's syllable marks (tsheg), written between the syllables of a name.
const TSHEG: [char; 2] = ['\u{0F0B}', '\u{0F0C}'];

/// A person's name as it is kept: trimmed, runs of spaces as one, the middle dot's look-alikes
/// as `·`. Letters of every script (Han, Yi, Tibetan, Uyghur, Mongolian, Latin …) with their
/// marks, spaces, the middle dot and Tibetan's syllable mark pass; nothing else does.
pub fn check_name(typed: &str) -> Result<String, NameProblem> {
    use unicode_properties::{GeneralCategoryGroup as G, UnicodeGeneralCategory};
    let mut name = String::new();
    for c in typed.trim().chars() {
        let c = if DOT_LOOK_ALIKES.contains(&c) {
            MIDDLE_DOT
        } else {
            c
        };
        let allowed = c == MIDDLE_DOT
            || c == ' '
            || TSHEG.contains(&c)
            || matches!(c.general_category_group(), G::Letter | G::Mark);
        if !allowed {
            return Err(NameProblem::Characters);
        }
        if !(c == ' ' && name.ends_with(' ')) {
            name.push(c);
        }
    }
    match name.chars().count() {
        0 => Err(NameProblem::Empty),
        n if n > MAX_NAME_CHARS => Err(NameProblem::TooLong),
        _ => Ok(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_for_the_public() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("张小培"), "张**");
        assert_eq!(mask_name("欧阳小明"), "欧阳**");
        assert_eq!(mask_name("王"), "*");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn a_name_matches_without_spaces_or_dots() {
        assert!(same_name(" 张 小培 ", "张小培"));
        assert!(same_name("阿依·木呷", "阿依木呷"));
        assert!(!same_name("张小", "张小培"));
        assert!(!same_name("", ""));
    }

    #[test]
    fn names_of_every_script_pass() {
        for name in [
            "张三",
            "欧阳小明",
            "ꀉꂿꃅꉢ",
            "བཀྲ་ཤིས་",
            "ئەخمەت",
            "巴特尔·额尔敦",
            "Anna Müller",
            "Nguyễn Văn",
        ] {
            assert_eq!(check_name(name).as_deref(), Ok(name), "{name}");
        }
    }

    #[test]
    fn the_middle_dots_look_alikes_become_the_middle_dot_and_spaces_are_tidied() {
        for typed in [
            "阿依・木呷",
            "阿依•木呷",
            "阿依．木呷",
            "阿依‧木呷",
            "阿依･木呷",
        ] {
            assert_eq!(check_name(typed).as_deref(), Ok("阿依·木呷"), "{typed}");
        }
        assert_eq!(check_name("  Anna   Müller ").as_deref(), Ok("Anna Müller"));
    }

    #[test]
    fn direction_and_format_marks_digits_and_punctuation_are_refused() {
        for bad in [
            "张三\u{202E}",
            "张\u{200B}三",
            "张\u{2066}三",
            "张三1",
            "<张三>",
            "张\n三",
            "张三😀",
            "张,三",
        ] {
            assert_eq!(check_name(bad), Err(NameProblem::Characters), "{bad:?}");
        }
        assert_eq!(check_name("   "), Err(NameProblem::Empty));
        assert_eq!(check_name(&"张".repeat(51)), Err(NameProblem::TooLong));
        assert!(check_name(&"张".repeat(50)).is_ok());
    }
}
