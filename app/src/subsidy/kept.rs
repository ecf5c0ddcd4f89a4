//! The facts a claim keeps (its rule verdicts and its breakdown) say which groups the amount
//! rests on (free training, the living allowance): sensitive personal information, sealed at
//! rest like the groups themselves. Stored as text: `sealed:` and the base64 of the sealed
//! JSON; claims kept in clear before this read as they are until sealed at start
//! (`store::seal_kept_facts`).

use super::{rules, verdicts, Breakdown};
use crate::accounts::vault::Vault;
use crate::error::RuleVerdict;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

const SEALED: &str = "sealed:";

/// JSON sealed for a claim's row.
pub fn seal(vault: &Vault, json: &str) -> String {
    format!("{SEALED}{}", STANDARD.encode(vault.seal(json.as_bytes())))
}

pub fn is_sealed(text: &str) -> bool {
    text.starts_with(SEALED)
}

/// A kept value as JSON: opened when sealed, as it is when kept in clear before.
fn open(vault: &Vault, text: &str) -> Option<String> {
    match text.strip_prefix(SEALED) {
        Some(b64) => STANDARD
            .decode(b64)
            .ok()
            .and_then(|bytes| vault.open_text(&bytes)),
        None => Some(text.to_string()),
    }
}

/// The verdicts kept with a claim, in words.
pub fn kept_verdicts(vault: &Vault, text: &str) -> Vec<RuleVerdict> {
    let list: Vec<rules::Verdict> = open(vault, text)
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    verdicts(&list)
}

/// The breakdown kept with a claim (none for claims made before it was kept).
pub fn kept_breakdown(vault: &Vault, text: Option<&str>) -> Option<Breakdown> {
    text.and_then(|t| open(vault, t))
        .and_then(|json| serde_json::from_str(&json).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Group;

    #[test]
    fn kept_facts_are_sealed_and_read_back() {
        let vault = Vault::from_key(&[7u8; 64]).unwrap();
        let breakdown = Breakdown {
            groups: vec![Group::PovertyMonitored],
            attended_days: 3,
            ..Default::default()
        };
        let json = serde_json::to_string(&breakdown).unwrap();
        let sealed = seal(&vault, &json);
        assert!(is_sealed(&sealed) && !sealed.contains("poverty"));
        assert_eq!(
            kept_breakdown(&vault, Some(&sealed)),
            Some(breakdown.clone())
        );
        assert_eq!(
            kept_breakdown(&vault, Some(&json)),
            Some(breakdown),
            "kept in clear before"
        );
        let other = Vault::from_key(&[8u8; 64]).unwrap();
        assert_eq!(kept_breakdown(&other, Some(&sealed)), None);
        assert!(kept_verdicts(&vault, &seal(&vault, "[]")).is_empty());
    }
}
