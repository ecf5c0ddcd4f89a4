//! The rules of group claims, as pure functions a policy officer can read:
//!
//! - A group that needs a document counts only once verified; one that needs none counts as
//!   declared (`counts`).
//! - Declaring a group that needs a document takes the document (the group's own kind, a
//!   plausible number), the city where the person lives, and their separate consent; a
//!   document rejected for that group is not taken again (`plan`).
//! - Giving another document for an open claim declares it again (back to "awaiting").
//! - Moving to another city sends every verified claim back to "awaiting", for the new city's
//!   officer to verify.
//! - A group left off the list ends: what it gave stops from then on.

use super::{evidence_for, Declaration, Evidence, GroupStatus, HeldGroups};
use crate::error::{FieldErrors, FieldProblem};
use crate::reference::{City, Enumeration, Group};
use std::collections::BTreeMap;

/// Whether a group in this status counts for enrolment and subsidy rules.
pub fn counts(group: Group, status: GroupStatus) -> bool {
    match evidence_for(group) {
        Some(_) => status == GroupStatus::Verified,
        None => status != GroupStatus::Rejected,
    }
}

/// The groups that count and those that wait for verification, from a person's open claims.
pub fn held(claims: &[(Group, GroupStatus)]) -> HeldGroups {
    let mut out = HeldGroups::default();
    for &(group, status) in claims {
        let list = if counts(group, status) {
            &mut out.counting
        } else if status == GroupStatus::Declared {
            &mut out.pending
        } else {
            continue;
        };
        if !list.contains(&group) {
            list.push(group);
        }
    }
    out
}

/// A document as compared: its kind, and its number without spaces, Latin letters in upper
/// case (`ty-2019 000033` is `TY-2019000033`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: Evidence,
    pub number: String,
}

pub const MIN_NUMBER_CHARS: usize = 4;
pub const MAX_NUMBER_CHARS: usize = 40;

/// A document number as typed, checked and normalised: 4 to 40 letters (Chinese included),
/// digits, hyphens, slashes and brackets.
pub fn document_number(text: &str) -> Result<String, FieldProblem> {
    let number: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let n = number.chars().count();
    if n == 0 {
        return Err(FieldProblem::Required);
    }
    let allowed = |c: char| c.is_alphanumeric() || "-/()（）".contains(c);
    if !number.chars().all(allowed) {
        return Err(FieldProblem::WrongType);
    }
    if !(MIN_NUMBER_CHARS..=MAX_NUMBER_CHARS).contains(&n) {
        return Err(FieldProblem::DocumentNumberLength {
            min: MIN_NUMBER_CHARS,
            max: MAX_NUMBER_CHARS,
        });
    }
    Ok(number)
}

/// A declaration read: the groups (each once), their documents, the city, the consent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wanted {
    pub groups: Vec<Group>,
    pub documents: BTreeMap<Group, Document>,
    pub city: Option<City>,
    pub consent: bool,
}

/// Reads a declaration; each bad field is named (`evidence.veteran.number`, `city`). Documents
/// of groups not on the list are not read.
pub fn read(d: &Declaration) -> Result<Wanted, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut groups = Vec::new();
    for g in &d.groups {
        if !groups.contains(g) {
            groups.push(*g);
        }
    }
    let mut documents = BTreeMap::new();
    for (code, given) in &d.evidence {
        let Some(group) = Group::from_code(code.trim()) else {
            errors.add(format!("evidence.{code}"), FieldProblem::UnknownCode);
            continue;
        };
        let Some(own) = evidence_for(group).filter(|_| groups.contains(&group)) else {
            continue;
        };
        let field = |part: &str| format!("evidence.{}.{part}", group.code());
        let kind = match given
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            None => Some(own),
            Some(k) if Evidence::from_code(k) == Some(own) => Some(own),
            Some(_) => {
                errors.add(field("type"), FieldProblem::WrongEvidence);
                None
            }
        };
        let number = match given.number.trim() {
            "" => None,
            text => document_number(text)
                .map_err(|p| errors.add(field("number"), p))
                .ok(),
        };
        if let (Some(kind), Some(number)) = (kind, number) {
            documents.insert(group, Document { kind, number });
        }
    }
    let city = match d.city.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(text) => {
            let city = City::parse_lenient(text);
            if city.is_none() {
                errors.add("city", FieldProblem::UnknownCode);
            }
            city
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Wanted {
        groups,
        documents,
        city,
        consent: d.consent,
    })
}

/// A claim the person has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub id: i64,
    pub group: Group,
    pub status: GroupStatus,
    pub document: Option<Document>,
    /// A rejected claim put aside (no longer in the person's list; kept for the rule above).
    pub set_aside: bool,
}

impl Existing {
    fn open(&self) -> bool {
        matches!(self.status, GroupStatus::Declared | GroupStatus::Verified)
    }
}

/// One change a declaration makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A new claim, with its document when the group needs one.
    Declare {
        group: Group,
        document: Option<Document>,
    },
    /// An open claim given another document: awaiting verification again.
    Redeclare { id: i64, document: Document },
    /// An open claim no longer listed: it ends.
    Remove { id: i64 },
    /// A rejected claim no longer listed, or replaced by a new one: out of the list.
    SetAside { id: i64 },
    /// A verified claim of a person who moved: awaiting the new city's verification.
    Reverify { id: i64 },
}

/// What a declaration changes: the steps, and the new city of residence if it changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub moved_to: Option<City>,
}

/// The changes that make a person's claims what they declare, or every reason it cannot.
pub fn plan(
    existing: &[Existing],
    residence: Option<City>,
    wanted: &Wanted,
) -> Result<Plan, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut steps = Vec::new();
    let mut needs_consent = false;
    for &group in &wanted.groups {
        let open = existing.iter().find(|e| e.group == group && e.open());
        let given = wanted.documents.get(&group);
        if evidence_for(group).is_none() {
            if open.is_none() {
                steps.push(Step::Declare {
                    group,
                    document: None,
                });
            }
            continue;
        }
        let field = format!("evidence.{}", group.code());
        match (open, given) {
            (Some(claim), None) if claim.document.is_some() => {}
            (Some(claim), Some(doc)) if claim.document.as_ref() == Some(doc) => {}
            (claim, Some(doc)) => {
                let rejected_before = existing.iter().any(|e| {
                    e.group == group
                        && e.status == GroupStatus::Rejected
                        && e.document.as_ref() == Some(doc)
                });
                if rejected_before {
                    errors.add(format!("{field}.number"), FieldProblem::EvidenceRejected);
                    continue;
                }
                needs_consent = true;
                steps.push(match claim {
                    Some(c) => Step::Redeclare {
                        id: c.id,
                        document: doc.clone(),
                    },
                    None => Step::Declare {
                        group,
                        document: Some(doc.clone()),
                    },
                });
            }
            // A new group, or one saved before documents were asked for.
            (_, None) => {
                needs_consent = true;
                errors.add(field, FieldProblem::Required);
            }
        }
    }
    if needs_consent && !wanted.consent {
        errors.add("consent", FieldProblem::ConsentRequired);
    }
    if needs_consent && residence.or(wanted.city).is_none() {
        errors.add("city", FieldProblem::Required);
    }
    for e in existing {
        let listed = wanted.groups.contains(&e.group);
        let replaced = steps
            .iter()
            .any(|s| matches!(s, Step::Declare { group, .. } if *group == e.group));
        if e.open() && !listed {
            steps.push(Step::Remove { id: e.id });
        } else if e.status == GroupStatus::Rejected && !e.set_aside && (!listed || replaced) {
            steps.push(Step::SetAside { id: e.id });
        }
    }
    let moved_to = wanted.city.filter(|c| residence.is_some_and(|r| r != *c));
    if moved_to.is_some() {
        for e in existing {
            let kept = wanted.groups.contains(&e.group)
                && !steps
                    .iter()
                    .any(|s| matches!(s, Step::Redeclare { id, .. } if *id == e.id));
            if e.status == GroupStatus::Verified && kept && evidence_for(e.group).is_some() {
                steps.push(Step::Reverify { id: e.id });
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Plan {
        steps,
        moved_to: moved_to.or(wanted.city.filter(|_| residence.is_none())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::EvidenceGiven;

    fn doc(group: Group, number: &str) -> Document {
        Document {
            kind: evidence_for(group).unwrap(),
            number: number.into(),
        }
    }

    fn claim(id: i64, group: Group, status: GroupStatus, number: Option<&str>) -> Existing {
        Existing {
            id,
            group,
            status,
            document: number.map(|n| doc(group, n)),
            set_aside: false,
        }
    }

    fn wanted(groups: &[Group], docs: &[(Group, &str)]) -> Wanted {
        Wanted {
            groups: groups.to_vec(),
            documents: docs.iter().map(|(g, n)| (*g, doc(*g, n))).collect(),
            city: None,
            consent: true,
        }
    }

    fn fields(e: FieldErrors) -> Vec<String> {
        e.0.keys().cloned().collect()
    }

    const CHENGDU: Option<City> = Some(City::Chengdu);

    #[test]
    fn only_verified_groups_count_where_a_document_is_needed() {
        use GroupStatus::*;
        assert!(!counts(Group::Veteran, Declared));
        assert!(counts(Group::Veteran, Verified));
        assert!(!counts(Group::Veteran, Rejected));
        assert!(counts(Group::Youth, Declared));
        let held = held(&[
            (Group::Veteran, Declared),
            (Group::PovertyMonitored, Verified),
            (Group::MigrantWorker, Declared),
            (Group::Disabled, Rejected),
        ]);
        assert_eq!(
            held.counting,
            [Group::PovertyMonitored, Group::MigrantWorker]
        );
        assert_eq!(held.pending, [Group::Veteran]);
    }

    #[test]
    fn document_numbers_are_compared_without_spaces_or_case() {
        assert_eq!(
            document_number(" ty-2019 000033 ").unwrap(),
            "TY-2019000033"
        );
        assert_eq!(
            document_number("川残（2020）0051").unwrap(),
            "川残（2020）0051"
        );
        assert_eq!(document_number(""), Err(FieldProblem::Required));
        assert_eq!(
            document_number("A1\u{202e}99"),
            Err(FieldProblem::WrongType)
        );
        assert!(matches!(
            document_number("X1"),
            Err(FieldProblem::DocumentNumberLength { .. })
        ));
        assert!(document_number(&"9".repeat(41)).is_err());
    }

    #[test]
    fn a_declaration_is_read_field_by_field() {
        let d = Declaration {
            groups: vec![Group::Veteran, Group::Veteran, Group::Disabled],
            evidence: [
                (
                    "veteran".to_string(),
                    EvidenceGiven {
                        kind: Some("diploma".into()),
                        number: "X1".into(),
                    },
                ),
                ("pirate".to_string(), EvidenceGiven::default()),
                // A group not on the list: not read.
                (
                    "graduate".to_string(),
                    EvidenceGiven {
                        kind: Some("?".into()),
                        number: "".into(),
                    },
                ),
            ]
            .into_iter()
            .collect(),
            city: Some("Atlantis".into()),
            consent: true,
        };
        assert_eq!(
            fields(read(&d).unwrap_err()),
            [
                "city",
                "evidence.pirate",
                "evidence.veteran.number",
                "evidence.veteran.type"
            ]
        );
        let d = Declaration {
            groups: vec![Group::Veteran, Group::Veteran],
            evidence: [(
                "veteran".to_string(),
                EvidenceGiven {
                    kind: None,
                    number: "ty-1".into(),
                },
            )]
            .into_iter()
            .collect(),
            city: Some("成都".into()),
            consent: false,
        };
        let w = read(&d).unwrap();
        assert_eq!(w.groups, [Group::Veteran]);
        assert_eq!(w.documents[&Group::Veteran], doc(Group::Veteran, "TY-1"));
        assert_eq!(w.city, CHENGDU);
    }

    #[test]
    fn a_new_group_with_a_document_needs_consent_and_a_city() {
        let mut w = wanted(&[Group::PovertyMonitored], &[]);
        w.consent = false;
        assert_eq!(
            fields(plan(&[], None, &w).unwrap_err()),
            ["city", "consent", "evidence.poverty_monitored"]
        );
        let mut w = wanted(
            &[Group::PovertyMonitored],
            &[(Group::PovertyMonitored, "JC-1")],
        );
        w.city = CHENGDU;
        let p = plan(&[], None, &w).unwrap();
        assert_eq!(
            p.steps,
            [Step::Declare {
                group: Group::PovertyMonitored,
                document: Some(doc(Group::PovertyMonitored, "JC-1"))
            }]
        );
        assert_eq!(p.moved_to, CHENGDU, "the first city is set");
        // No document, no consent, no city for a group that needs none.
        let mut w = wanted(&[Group::Youth], &[]);
        w.consent = false;
        assert_eq!(
            plan(&[], None, &w).unwrap().steps,
            [Step::Declare {
                group: Group::Youth,
                document: None
            }]
        );
    }

    #[test]
    fn open_claims_are_kept_redeclared_or_removed() {
        let have = [
            claim(1, Group::Veteran, GroupStatus::Verified, Some("TY-1")),
            claim(2, Group::Youth, GroupStatus::Declared, None),
        ];
        let mut same = wanted(&[Group::Veteran, Group::Youth], &[(Group::Veteran, "TY-1")]);
        same.consent = false;
        assert_eq!(
            plan(&have, CHENGDU, &same).unwrap().steps,
            [],
            "nothing changes"
        );
        let other = wanted(&[Group::Veteran], &[(Group::Veteran, "TY-2")]);
        assert_eq!(
            plan(&have, CHENGDU, &other).unwrap().steps,
            [
                Step::Redeclare {
                    id: 1,
                    document: doc(Group::Veteran, "TY-2")
                },
                Step::Remove { id: 2 }
            ]
        );
        assert_eq!(
            plan(&have, CHENGDU, &wanted(&[], &[])).unwrap().steps,
            [Step::Remove { id: 1 }, Step::Remove { id: 2 }]
        );
    }

    #[test]
    fn a_group_saved_before_documents_were_asked_for_needs_one() {
        let have = [claim(1, Group::Veteran, GroupStatus::Declared, None)];
        let w = wanted(&[Group::Veteran], &[]);
        assert_eq!(
            fields(plan(&have, CHENGDU, &w).unwrap_err()),
            ["evidence.veteran"]
        );
        let w = wanted(&[Group::Veteran], &[(Group::Veteran, "TY-1")]);
        assert_eq!(
            plan(&have, CHENGDU, &w).unwrap().steps,
            [Step::Redeclare {
                id: 1,
                document: doc(Group::Veteran, "TY-1")
            }]
        );
    }

    #[test]
    fn a_rejected_document_is_not_taken_again() {
        let have = [claim(
            1,
            Group::Veteran,
            GroupStatus::Rejected,
            Some("TY-1"),
        )];
        let again = wanted(&[Group::Veteran], &[(Group::Veteran, "TY-1")]);
        assert_eq!(
            fields(plan(&have, CHENGDU, &again).unwrap_err()),
            ["evidence.veteran.number"]
        );
        assert_eq!(
            fields(plan(&have, CHENGDU, &wanted(&[Group::Veteran], &[])).unwrap_err()),
            ["evidence.veteran"],
            "listing it again needs a new document"
        );
        let new = wanted(&[Group::Veteran], &[(Group::Veteran, "TY-9")]);
        assert_eq!(
            plan(&have, CHENGDU, &new).unwrap().steps,
            [
                Step::Declare {
                    group: Group::Veteran,
                    document: Some(doc(Group::Veteran, "TY-9"))
                },
                Step::SetAside { id: 1 }
            ]
        );
        assert_eq!(
            plan(&have, CHENGDU, &wanted(&[], &[])).unwrap().steps,
            [Step::SetAside { id: 1 }]
        );
        let aside = [Existing {
            set_aside: true,
            ..have[0].clone()
        }];
        assert_eq!(plan(&aside, CHENGDU, &wanted(&[], &[])).unwrap().steps, []);
        assert!(
            plan(&aside, CHENGDU, &again).is_err(),
            "even once set aside"
        );
    }

    #[test]
    fn moving_sends_verified_claims_back_for_the_new_city() {
        let have = [
            claim(1, Group::Veteran, GroupStatus::Verified, Some("TY-1")),
            claim(2, Group::Disabled, GroupStatus::Declared, Some("CJ-1")),
            claim(3, Group::Youth, GroupStatus::Declared, None),
        ];
        let mut w = wanted(&[Group::Veteran, Group::Disabled, Group::Youth], &[]);
        w.city = Some(City::Mianyang);
        let p = plan(&have, CHENGDU, &w).unwrap();
        assert_eq!(p.steps, [Step::Reverify { id: 1 }]);
        assert_eq!(p.moved_to, Some(City::Mianyang));
        w.city = CHENGDU;
        assert_eq!(
            plan(&have, CHENGDU, &w).unwrap(),
            Plan::default(),
            "the same city"
        );
    }
}
