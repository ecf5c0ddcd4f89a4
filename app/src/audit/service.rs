//! Reading the write trail: an admin reads all of it, an HR officer their city's; anyone
//! else is refused (403). The download holds what the filter selects, as CSV for a
//! spreadsheet (UTF-8 with BOM, no cell that runs as a formula).

use super::store;
use super::{safe_cell, TrailEntry, TrailFilter};
use crate::access::Actor;
use crate::error::{AppError, AppResult};
use crate::list::{Page, Paging};
use crate::portal::Portal;
use crate::reference::Enumeration;

/// The most rows one download holds (narrow the filter for more).
pub const MAX_DOWNLOAD_ROWS: u32 = 50_000;

/// One page of the trail the actor may read, newest first.
pub async fn trail(
    portal: &Portal,
    actor: &Actor,
    filter: &TrailFilter,
    paging: Paging,
) -> AppResult<Page<TrailEntry>> {
    let city = actor.auditor()?;
    let (items, total) = store::trail(&portal.db, city.map(|c| c.code()), filter, paging).await?;
    Ok(paging.of(items, total))
}

/// The trail the actor may read as CSV (newest first, at most `MAX_DOWNLOAD_ROWS` rows).
pub async fn trail_csv(portal: &Portal, actor: &Actor, filter: &TrailFilter) -> AppResult<Vec<u8>> {
    let page = trail(portal, actor, filter, Paging::first_of(MAX_DOWNLOAD_ROWS)).await?;
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let fail = |e: csv::Error| AppError::Internal(e.to_string());
    out.write_record([
        "id",
        "at",
        "actor_ref",
        "actor_role",
        "actor_name",
        "city",
        "record",
        "action",
        "before",
        "after",
    ])
    .map_err(fail)?;
    for e in &page.items {
        let id = e.id.to_string();
        let cells = [
            id.as_str(),
            &e.at,
            &e.actor_ref,
            &e.actor_role,
            e.actor_name.as_deref().unwrap_or(""),
            e.city.as_deref().unwrap_or(""),
            &e.record,
            &e.action,
            e.before.as_deref().unwrap_or(""),
            e.after.as_deref().unwrap_or(""),
        ];
        out.write_record(cells.map(|c| safe_cell(c).into_owned()))
            .map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))
}
