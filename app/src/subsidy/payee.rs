//! Who a claim is paid to (收款人): the trainee's social-security card (社保卡, its financial
//! account) or a bank account of theirs, or the institution that ran the class ("paid to the
//! institution"). The account number is sealed at rest and shown masked; only the payment
//! batch's download for finance carries it in full.

use crate::error::{AppError, FieldErrors, FieldProblem};
use crate::i18n::Locale;
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};

/// An account number's digits (Chinese bank cards have 16 to 19; company accounts more).
pub const ACCOUNT_DIGITS: (usize, usize) = (12, 30);
/// The longest bank name kept (开户银行, down to the branch).
pub const MAX_BANK_CHARS: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayeeKind {
    SocialSecurityCard,
    BankAccount,
    Institution,
}

impl PayeeKind {
    pub const ALL: [PayeeKind; 3] = [
        PayeeKind::SocialSecurityCard,
        PayeeKind::BankAccount,
        PayeeKind::Institution,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PayeeKind::SocialSecurityCard => "social_security_card",
            PayeeKind::BankAccount => "bank_account",
            PayeeKind::Institution => "institution",
        }
    }

    pub fn from_code(code: &str) -> Option<PayeeKind> {
        PayeeKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            PayeeKind::SocialSecurityCard => td_string!(locale, payee.kind_social_security_card),
            PayeeKind::BankAccount => td_string!(locale, payee.kind_bank_account),
            PayeeKind::Institution => td_string!(locale, payee.kind_institution),
        }
    }
}

/// A payee as the trainee gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PayeeInput {
    /// `social_security_card`, `bank_account` or `institution` (the class's institution).
    pub kind: String,
    /// 开户银行: required for a bank account.
    #[serde(default)]
    pub bank: Option<String>,
    /// The account's digits (spaces and dashes are dropped); not for `institution`.
    #[serde(default)]
    pub account: Option<String>,
}

/// A payee the rules accept: for a card or account, its bank (if given) and digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payee {
    pub kind: PayeeKind,
    pub bank: Option<String>,
    pub account: Option<String>,
}

/// A payee as shown: the account masked (in full only in the batch's download for finance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PayeeView {
    pub kind: String,
    pub bank: Option<String>,
    /// `****` and the last four digits.
    pub account: Option<String>,
    /// The institution's name, when paid to the institution.
    pub name: Option<String>,
}

/// Checks a payee (fields `payee.kind`, `payee.bank`, `payee.account`).
pub fn check(input: &PayeeInput) -> Result<Payee, AppError> {
    let mut errors = FieldErrors::default();
    let Some(kind) = PayeeKind::from_code(input.kind.trim()) else {
        errors.add("payee.kind", FieldProblem::UnknownCode);
        return Err(AppError::Invalid(errors));
    };
    if kind == PayeeKind::Institution {
        return Ok(Payee {
            kind,
            bank: None,
            account: None,
        });
    }
    let bank = input
        .bank
        .as_deref()
        .map(crate::text::plain_line)
        .filter(|b| !b.is_empty());
    match &bank {
        None if kind == PayeeKind::BankAccount => errors.add("payee.bank", FieldProblem::Required),
        Some(b) if b.chars().count() > MAX_BANK_CHARS => errors.add(
            "payee.bank",
            FieldProblem::TooLong {
                max: MAX_BANK_CHARS,
            },
        ),
        _ => {}
    }
    let account = account_digits(input.account.as_deref().unwrap_or(""));
    if account.is_none() {
        let (min, max) = ACCOUNT_DIGITS;
        errors.add("payee.account", FieldProblem::AccountNumber { min, max });
    }
    errors.into_result(Payee {
        kind,
        bank,
        account,
    })
}

/// The digits of an account number as typed (spaces and dashes between groups dropped), when
/// it is one.
pub fn account_digits(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let (min, max) = ACCOUNT_DIGITS;
    (digits.chars().all(|c| c.is_ascii_digit()) && (min..=max).contains(&digits.len()))
        .then_some(digits)
}

/// `****` and the last four digits.
pub fn mask_account(digits: &str) -> String {
    let tail: String = digits
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("****{tail}")
}

/// A payee in one line ("社保卡 ****5678", "中国农业银行 ****0123", "付给培训机构：…").
pub fn describe(p: &PayeeView, locale: Locale) -> String {
    let kind = PayeeKind::from_code(&p.kind).map_or(p.kind.as_str(), |k| k.label(locale));
    let parts: Vec<&str> = [
        Some(kind),
        p.bank.as_deref(),
        p.account.as_deref(),
        p.name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    parts.join(" ")
}

/// A payee as it is kept: the account number sealed with the portal's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub kind: PayeeKind,
    pub bank: Option<String>,
    pub account: Option<Vec<u8>>,
}

#[cfg(feature = "ssr")]
impl Payee {
    pub fn seal(&self, vault: &crate::accounts::vault::Vault) -> Sealed {
        Sealed {
            kind: self.kind,
            bank: self.bank.clone(),
            account: self.account.as_deref().map(|a| vault.seal(a.as_bytes())),
        }
    }
}

/// A kept payee as shown (`reveal`: the account in full, for finance's download), from its
/// columns; `institution` names the class's institution. `None` when no payee was named.
#[cfg(feature = "ssr")]
pub fn view(
    vault: &crate::accounts::vault::Vault,
    kind: Option<&str>,
    bank: Option<&str>,
    account: Option<&[u8]>,
    institution: &str,
    reveal: bool,
) -> crate::error::AppResult<Option<PayeeView>> {
    let Some(kind) = kind.and_then(PayeeKind::from_code) else {
        return Ok(None);
    };
    let account = match account {
        Some(sealed) => {
            let digits = vault.reveal(sealed)?;
            Some(if reveal {
                digits
            } else {
                mask_account(&digits)
            })
        }
        None => None,
    };
    Ok(Some(PayeeView {
        kind: kind.code().to_string(),
        bank: bank.map(str::to_string),
        account,
        name: (kind == PayeeKind::Institution).then(|| institution.to_string()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str, bank: Option<&str>, account: Option<&str>) -> PayeeInput {
        PayeeInput {
            kind: kind.into(),
            bank: bank.map(str::to_string),
            account: account.map(str::to_string),
        }
    }

    fn fields(err: AppError) -> Vec<String> {
        match err {
            AppError::Invalid(f) => f.0.keys().cloned().collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_bank_account_needs_its_bank_and_digits() {
        let ok = check(&input(
            "bank_account",
            Some(" 中国农业银行 成都分行 "),
            Some("6228 4804-0256 4890 018"),
        ))
        .unwrap();
        assert_eq!(ok.kind, PayeeKind::BankAccount);
        assert_eq!(ok.bank.as_deref(), Some("中国农业银行 成都分行"));
        assert_eq!(ok.account.as_deref(), Some("6228480402564890018"));
        let none = check(&input("bank_account", None, Some("12ab"))).unwrap_err();
        assert_eq!(fields(none), ["payee.account", "payee.bank"]);
        let long = "银".repeat(MAX_BANK_CHARS + 1);
        let err = check(&input("bank_account", Some(&long), Some("622848040256489"))).unwrap_err();
        assert_eq!(fields(err), ["payee.bank"]);
    }

    #[test]
    fn a_social_security_card_needs_only_its_digits() {
        let ok = check(&input(
            "social_security_card",
            None,
            Some("6217003810012345678"),
        ))
        .unwrap();
        assert_eq!(
            (ok.bank, ok.account.as_deref()),
            (None, Some("6217003810012345678"))
        );
        for bad in [
            "",
            "123",
            "1234567890123456789012345678901",
            "６２１７００３８１００１２",
        ] {
            let err = check(&input("social_security_card", None, Some(bad))).unwrap_err();
            assert_eq!(fields(err), ["payee.account"], "{bad}");
        }
    }

    #[test]
    fn the_institution_needs_nothing_and_keeps_nothing() {
        let ok = check(&input("institution", Some("x"), Some("1"))).unwrap();
        assert_eq!((ok.bank, ok.account), (None, None));
        assert_eq!(
            fields(check(&input("cash", None, None)).unwrap_err()),
            ["payee.kind"]
        );
    }

    #[test]
    fn an_account_is_shown_by_its_last_four_digits() {
        assert_eq!(mask_account("6222021234567890123"), "****0123");
        assert_eq!(mask_account("12"), "****12");
        for kind in PayeeKind::ALL {
            assert_eq!(PayeeKind::from_code(kind.code()), Some(kind));
        }
    }
}
