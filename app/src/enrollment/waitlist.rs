//! Waiting lists by rule: once a class has started nobody moves up its waiting list any more
//! (`service::free_seat` stops handing seats on at the start date), so those still waiting,
//! and applications still waiting for a group's verification, are released with a reason
//! and told, instead of waiting for ever. The server sweeps for them every minute.

use super::service::{change, status_of};
use super::store;
use super::{ActorKind, Status};
use crate::audit::store::Who;
use crate::error::AppResult;
use crate::portal::Portal;

/// Why a waiting enrolment ended (the person reads it).
pub const RELEASED: &str =
    "班级已开班，候补和待核验的报名不再递补 / The class has started: waiting places are released";

/// Enrolments released in one sweep at most (the next sweep takes the rest).
const BATCH: i64 = 500;

/// Releases the waiting and applied enrolments of every class that has started; how many.
/// The candidates are read without the write lock; each is checked again under it, so a
/// seat handed on meanwhile is never taken back.
pub async fn release_started(portal: &Portal) -> AppResult<u32> {
    let today = portal.clock.today().format("%Y-%m-%d").to_string();
    let waiting = store::waiting_in_started(portal.db.pool(), &today, BATCH).await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let mut released = 0;
    for id in waiting {
        let Some(row) = store::load(&mut tx, id).await? else {
            continue;
        };
        if !matches!(
            status_of(&row.status)?,
            Status::Waitlisted | Status::Applied
        ) || row.start_date > today
        {
            continue;
        }
        let by = (ActorKind::System, &Who::portal());
        change(
            &mut tx,
            &at,
            &row,
            Status::Cancelled,
            false,
            Some(RELEASED),
            by,
        )
        .await?;
        released += 1;
    }
    tx.commit().await?;
    if released > 0 {
        tracing::info!(released, "waiting lists of started classes released");
    }
    Ok(released)
}
