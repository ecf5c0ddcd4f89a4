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
            .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '.'))
            .collect()
    };
    let typed = clean(typed);
    !typed.is_empty() && typed == clean(holder)
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
}
