//! Voiding what a dispute found false (`dispute::service::resolve`): an enrolment, whose seat
//! goes back to the waiting list, or days of attendance, which leave the attendance every rule
//! counts for `attendance_voided` (kept, with who, when and why). Both run in the caller's
//! transaction, which holds the write lock (see `service`): a seat freed here is handed on once.

use super::service::{change, free_seat, parse_date, status_of};
use super::store::{self, EnrollmentRow};
use super::{ActorKind, Status};
use crate::audit::store::{record_write, Who, Write};
use crate::error::AppResult;
use crate::storage::WriteTx;
use chrono::NaiveDate;

/// Voids an enrolment (nothing to do when it is voided already); a seat it held is freed.
pub async fn void(
    conn: &mut WriteTx,
    at: &str,
    who: &Who,
    row: &EnrollmentRow,
    reason: &str,
    today: NaiveDate,
) -> AppResult<()> {
    if status_of(&row.status)? == Status::Voided {
        return Ok(());
    }
    let by = (ActorKind::Staff, who);
    change(conn, at, row, Status::Voided, false, Some(reason), by).await?;
    if row.holds_seat == 1 {
        let start = parse_date(&row.start_date)?;
        free_seat(conn, at, &row.course_code, &row.title, start, today).await?;
    }
    Ok(())
}

/// Voids the attendance recorded on `days` of an enrolment (days without any are skipped);
/// how many days were voided.
pub async fn void_attendance(
    conn: &mut WriteTx,
    at: &str,
    who: &Who,
    row: &EnrollmentRow,
    days: &[NaiveDate],
    reason: &str,
) -> AppResult<u32> {
    let mut voided = 0;
    for day in days {
        let day = day.format("%Y-%m-%d").to_string();
        let Some(hours) =
            store::void_attendance_day(conn, at, row.id, &day, who.id, reason).await?
        else {
            continue;
        };
        let write = Write {
            record: format!("enrollment:{}", row.id),
            action: "attendance_voided",
            city: Some(&row.city),
            before: Some(format!("{day} {hours}h")),
            after: Some(format!("voided ({reason})")),
        };
        record_write(conn, at, who, &write).await?;
        voided += 1;
    }
    Ok(voided)
}
