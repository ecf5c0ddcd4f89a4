//! Real-name identity: what the province's unified identity service asserts of a person, and
//! what a sign-in with it does to the accounts here. Pure rules; the protocol is the server's
//! (`server/src/oidc.rs`), the writes `real_name_service`.

use crate::identity::ResidentId;
use crate::reference::{City, Enumeration};
use serde::{Deserialize, Serialize};

/// Whether an account's name and identity number were vouched for by the unified identity
/// service (`/api/v1/me`'s `real_name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RealName {
    Verified,
    #[default]
    Unverified,
}

/// What the service asserted of the person signing in (ID token and user-info claims).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asserted {
    /// Who the service says it is: its issuer and subject.
    pub subject: String,
    pub name: String,
    /// The identity number, as given (checked with `ResidentId::parse` when used).
    pub id_number: String,
    /// The mobile number, when the service gives one.
    pub phone: Option<String>,
}

/// An account holding the asserted identity number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub id: i64,
    pub verified: bool,
    pub name: String,
    /// The account's phone, when it was proved (a texted code, or the service).
    pub verified_phone: Option<String>,
}

/// What a sign-in with the service does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// No account has the number: one is made, verified.
    Create,
    /// The account is the person's already (their subject, or a verified account of theirs).
    SignIn(i64),
    /// An unverified account whose name and proved phone are the person's: it becomes theirs,
    /// verified.
    Link(i64),
    /// An unverified account that may not be theirs: they prove it with its password (linked),
    /// or reclaim the number from it.
    Choose(i64),
}

/// What the choice page says of the account holding the person's number (masked); the
/// request's extensions hold it while the browser carries the choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceView {
    pub id_number: String,
    pub account_name: String,
}

/// Decides what a sign-in asserting `asserted` does, given the account its subject already
/// signs in to (`by_subject`) and the account holding its identity number (`holder`).
pub fn decide(asserted: &Asserted, by_subject: Option<i64>, holder: Option<&Holder>) -> Decision {
    if let Some(id) = by_subject {
        return Decision::SignIn(id);
    }
    let Some(h) = holder else {
        return Decision::Create;
    };
    if h.verified {
        return Decision::SignIn(h.id);
    }
    let same_name = crate::identity::same_name(&asserted.name, &h.name);
    let same_phone = asserted.phone.is_some() && h.verified_phone == asserted.phone;
    match same_name && same_phone {
        true => Decision::Link(h.id),
        false => Decision::Choose(h.id),
    }
}

/// The city whose HR officer handles a 冒用身份 case: the one the account said it lives in,
/// else the one its identity number was issued in (a city of the province), else 成都 (the
/// provincial capital's bureau takes what belongs to no city of ours).
pub fn case_city(residence: Option<&str>, id: Option<&ResidentId>) -> String {
    if let Some(city) = residence.and_then(City::parse_lenient) {
        return city.code().to_string();
    }
    let issued = id.and_then(|id| {
        let prefix = id.as_str().get(..4)?;
        City::parse_lenient(&format!("{prefix}00"))
    });
    issued.map_or_else(|| "510100".to_string(), |c| c.code().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asserted(name: &str, phone: Option<&str>) -> Asserted {
        Asserted {
            subject: "https://id.sc.gov.cn#alice".into(),
            name: name.into(),
            id_number: "11010519491231002X".into(),
            phone: phone.map(str::to_string),
        }
    }

    fn holder(verified: bool, name: &str, phone: Option<&str>) -> Holder {
        Holder {
            id: 7,
            verified,
            name: name.into(),
            verified_phone: phone.map(str::to_string),
        }
    }

    #[test]
    fn a_sign_in_makes_finds_links_or_asks() {
        let a = asserted("王小明", Some("13800000901"));
        assert_eq!(decide(&a, None, None), Decision::Create);
        assert_eq!(
            decide(&a, Some(3), Some(&holder(false, "x", None))),
            Decision::SignIn(3)
        );
        assert_eq!(
            decide(&a, None, Some(&holder(true, "别人", None))),
            Decision::SignIn(7)
        );
        let same = holder(false, "王小明", Some("13800000901"));
        assert_eq!(decide(&a, None, Some(&same)), Decision::Link(7));
        for other in [
            holder(false, "王晓明", Some("13800000901")),
            holder(false, "王小明", Some("13800000999")),
            holder(false, "王小明", None),
        ] {
            assert_eq!(
                decide(&a, None, Some(&other)),
                Decision::Choose(7),
                "{other:?}"
            );
        }
        // No phone asserted: never linked without the person's word.
        let no_phone = asserted("王小明", None);
        assert_eq!(
            decide(&no_phone, None, Some(&holder(false, "王小明", None))),
            Decision::Choose(7)
        );
    }

    #[test]
    fn a_case_goes_to_the_city_the_person_lives_in_else_where_the_number_was_issued() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let digits: Vec<u8> = "51070319881120004".bytes().map(|b| b - b'0').collect();
        let check = crate::identity::check_character(&digits.try_into().unwrap());
        let mianyang = ResidentId::parse(&format!("51070319881120004{check}"), today).ok();
        let beijing = ResidentId::parse("11010519491231002X", today).ok();
        assert_eq!(case_city(Some("510100"), mianyang.as_ref()), "510100");
        assert_eq!(case_city(None, mianyang.as_ref()), "510700");
        assert_eq!(case_city(None, beijing.as_ref()), "510100");
        assert_eq!(case_city(None, None), "510100");
    }
}
