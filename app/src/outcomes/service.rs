//! The published outcomes of a course or an institution (see the module's privacy note).

use super::{store, Outcomes, MIN_PEOPLE};
use crate::error::AppResult;
use crate::portal::Portal;

/// The published outcomes of one catalogue item.
pub async fn of_course(portal: &Portal, code: &str) -> AppResult<Outcomes> {
    Ok(Outcomes::publish(store::of_course(&portal.db, code).await?))
}

/// The published outcomes of one institution, over its catalogue items that publish their own.
pub async fn of_institution(portal: &Portal, code: &str) -> AppResult<Outcomes> {
    Ok(Outcomes::publish(
        store::of_institution(&portal.db, code, MIN_PEOPLE).await?,
    ))
}

/// The published outcomes of each of `codes` (a page of the institutions list), in one query;
/// an institution with no enrolments publishes nothing, as `of_institution` says.
pub async fn of_institutions(
    portal: &Portal,
    codes: &[String],
) -> AppResult<std::collections::HashMap<String, Outcomes>> {
    let counts = store::of_institutions(&portal.db, codes, MIN_PEOPLE).await?;
    Ok(codes
        .iter()
        .map(|code| {
            let c = counts.get(code).copied().unwrap_or_default();
            (code.clone(), Outcomes::publish(c))
        })
        .collect())
}

/// The published outcomes of each of `names` (a page of the evaluation organisations), in one
/// query, over the courses they assess that publish their own.
pub async fn of_evaluation_orgs(
    portal: &Portal,
    names: &[String],
) -> AppResult<std::collections::HashMap<String, Outcomes>> {
    let counts = store::of_evaluation_orgs(&portal.db, names, MIN_PEOPLE).await?;
    Ok(names
        .iter()
        .map(|name| {
            let c = counts.get(name).copied().unwrap_or_default();
            (name.clone(), Outcomes::publish(c))
        })
        .collect())
}
