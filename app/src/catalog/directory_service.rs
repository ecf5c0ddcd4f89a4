//! The directories' use cases: a page of institutions or of evaluation organisations, each
//! with its occupations and published outcomes (three queries a page, whatever its size).

use super::directory::{evaluation_org_code, EvaluationOrgSummary};
use super::directory_store::{self as store, Keyed, Listed};
use super::{DirectoryQuery, InstitutionSummary};
use crate::error::AppResult;
use crate::list::{Page, Paging};
use crate::outcomes::Outcomes;
use crate::portal::Portal;

fn paging(query: &DirectoryQuery) -> Paging {
    Paging {
        page: query.page,
        per_page: query.per_page,
    }
}

/// One page of the institutions with courses in the catalogue (of the cities and industries
/// asked for, when any), by name.
pub async fn institutions(
    portal: &Portal,
    query: &DirectoryQuery,
) -> AppResult<Page<InstitutionSummary>> {
    let paging = paging(query);
    let (rows, total) =
        store::institutions(&portal.db, &query.city, &query.industry, paging).await?;
    let codes: Vec<String> = rows.iter().map(|r| r.code.clone()).collect();
    let mut outcomes = crate::outcomes::service::of_institutions(portal, &codes).await?;
    let mut occupations = store::values_of(
        &portal.db,
        (Keyed::Institution, Listed::Occupation),
        &codes,
        &query.city,
        &query.industry,
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|row| InstitutionSummary {
            outcomes: outcomes
                .remove(&row.code)
                .unwrap_or_else(|| Outcomes::publish(Default::default())),
            occupations: occupations.remove(&row.code).unwrap_or_default(),
            code: row.code,
            name: row.name,
            city: row.city,
            courses: row.courses,
        })
        .collect();
    Ok(paging.of(items, total))
}

/// One page of the evaluation organisations named in the catalogue (of the cities and
/// industries asked for, when any), by name.
pub async fn evaluation_orgs(
    portal: &Portal,
    query: &DirectoryQuery,
) -> AppResult<Page<EvaluationOrgSummary>> {
    let paging = paging(query);
    let (rows, total) =
        store::evaluation_orgs(&portal.db, &query.city, &query.industry, paging).await?;
    let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    let mut outcomes = crate::outcomes::service::of_evaluation_orgs(portal, &names).await?;
    let mut occupations = store::values_of(
        &portal.db,
        (Keyed::EvaluationOrg, Listed::Occupation),
        &names,
        &query.city,
        &query.industry,
    )
    .await?;
    let mut cities = store::values_of(
        &portal.db,
        (Keyed::EvaluationOrg, Listed::City),
        &names,
        &query.city,
        &query.industry,
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|row| EvaluationOrgSummary {
            code: evaluation_org_code(row.code, Some(&row.name)).unwrap_or_default(),
            outcomes: outcomes
                .remove(&row.name)
                .unwrap_or_else(|| Outcomes::publish(Default::default())),
            occupations: occupations.remove(&row.name).unwrap_or_default(),
            cities: cities.remove(&row.name).unwrap_or_default(),
            name: row.name,
            courses: row.courses,
        })
        .collect();
    Ok(paging.of(items, total))
}
