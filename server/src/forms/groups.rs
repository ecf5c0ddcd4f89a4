//! The profile's groups form and the HR officer's verification console.

use super::{locale_of, refused, refused_on, render_again};
use crate::session::{see_other, SignedForm};
use crate::state::AppState;
use app::access::CurrentUser;
use app::groups::{evidence_for, service, Decision, Declaration, EvidenceGiven};
use app::reference::{Enumeration, Group};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Form;
use std::collections::BTreeMap;

/// The form as a declaration: the groups ticked, the number typed for each of them that needs
/// a document (`evidence.veteran`), the city, the consent box. Also the values to show again
/// when refused (`group.veteran` for a ticked box).
fn declaration(body: &str) -> (Declaration, BTreeMap<String, String>) {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
    };
    let groups: Vec<Group> = pairs
        .iter()
        .filter(|(k, _)| k == "groups")
        .filter_map(|(_, v)| Group::from_code(v))
        .collect();
    let mut values = BTreeMap::new();
    let mut evidence = BTreeMap::new();
    for g in &groups {
        values.insert(format!("group.{}", g.code()), "on".to_string());
        let key = format!("evidence.{}", g.code());
        if let Some(number) = value(&key).filter(|n| !n.is_empty() && evidence_for(*g).is_some()) {
            values.insert(key, number.clone());
            evidence.insert(g.code().to_string(), EvidenceGiven { kind: None, number });
        }
    }
    let city = value("city").filter(|c| !c.is_empty());
    values.insert("city".into(), city.clone().unwrap_or_default());
    let d = Declaration {
        groups,
        evidence,
        city,
        consent: value("consent").is_some_and(|v| v == "true"),
    };
    (d, values)
}

pub async fn declare_groups(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    body: String,
) -> Response {
    let (d, values) = declaration(&body);
    let locale = locale_of(&headers);
    match service::declare(&app.portal, &me.actor, &d).await {
        // Post/redirect/get: a reload does not post again.
        Ok(_) => see_other("/me?saved=groups#me-groups"),
        Err(err) => {
            render_again(
                &app,
                "/me",
                headers,
                CurrentUser(Some(me)),
                refused(&err, locale, values),
            )
            .await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct GroupDecisionForm {
    #[serde(default)]
    decision: String,
    reason: Option<String>,
}

/// The HR officer's console: verify or reject one group claim.
pub async fn decide_group(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Path(id): Path<i64>,
    Form(form): Form<GroupDecisionForm>,
) -> Response {
    let result = match Decision::parse(&form.decision) {
        Ok(d) => service::decide(&app.portal, &me.actor, id, d, form.reason.as_deref()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other("/staff/groups?saved=1"),
        Err(err) => refused_on(&app, "/staff/groups", headers, CurrentUser(Some(me)), err).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_as_a_declaration() {
        let (d, values) = declaration(
            "groups=veteran&evidence.veteran=+TY-1+&groups=youth&evidence.youth=x\
             &evidence.disabled=CJ-1&city=510100&consent=true",
        );
        assert_eq!(d.groups, [Group::Veteran, Group::Youth]);
        assert_eq!(
            d.evidence.len(),
            1,
            "only ticked groups that need a document"
        );
        assert_eq!(d.evidence["veteran"].number, "TY-1");
        assert_eq!(d.city.as_deref(), Some("510100"));
        assert!(d.consent);
        assert_eq!(values["group.veteran"], "on");
        let (d, _) = declaration("groups=pirate");
        assert!(d.groups.is_empty() && !d.consent && d.city.is_none());
    }
}
