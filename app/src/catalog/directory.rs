//! The public directories of the plan's items 十八 and 二十一: the training institutions
//! (承训机构目录) and the evaluation organisations (评价机构目录) with courses in the catalogue,
//! by city and industry, each with its occupations and published outcomes.

use serde::{Deserialize, Serialize};

/// One entry of the evaluation organisations' directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EvaluationOrgSummary {
    /// The catalogue file's `evaluation_org_code`, else one derived from the name.
    pub code: String,
    pub name: String,
    /// The cities (codes) of its courses (of the cities and industries asked for, if any).
    pub cities: Vec<String>,
    /// The occupations of those courses.
    pub occupations: Vec<String>,
    /// How many of those courses it assesses.
    pub courses: i64,
    /// What became of the people of those courses (the same privacy rule as an institution's).
    pub outcomes: crate::outcomes::Outcomes,
}

/// The identifier of an evaluation organisation: the one the catalogue gives, else one derived
/// from its name — the same name always gives the same identifier (`EO` and ten hexadecimal
/// digits of its SHA-256). An evaluator's scope stays by name, as the catalogue names it.
#[cfg(feature = "ssr")]
pub fn evaluation_org_code(given: Option<String>, name: Option<&str>) -> Option<String> {
    use sha2::{Digest, Sha256};
    given.or_else(|| {
        let name = name?.trim();
        let digest = Sha256::digest(name.as_bytes());
        let hex: String = digest.iter().take(5).map(|b| format!("{b:02X}")).collect();
        Some(format!("EO{hex}"))
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::evaluation_org_code;

    #[test]
    fn an_organisation_keeps_its_own_code_or_gets_one_from_its_name() {
        let given = evaluation_org_code(Some("EVAL-01".into()), Some("成都测试评价中心"));
        assert_eq!(given.as_deref(), Some("EVAL-01"));
        let derived = evaluation_org_code(None, Some("成都测试评价中心")).unwrap();
        assert!(
            derived.starts_with("EO") && derived.len() == 12,
            "{derived}"
        );
        assert_eq!(
            evaluation_org_code(None, Some(" 成都测试评价中心 ")).as_deref(),
            Some(derived.as_str()),
            "the same name, the same code"
        );
        assert_ne!(
            evaluation_org_code(None, Some("绵阳测试评价中心")).as_deref(),
            Some(derived.as_str())
        );
        assert_eq!(evaluation_org_code(None, None), None, "no organisation");
    }
}
