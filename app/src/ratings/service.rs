//! Rating a completed class, and reading the ratings of a class (its institution's staff and
//! its city's HR officers).

use super::store::{self, RatingRow};
use super::{check, editable_until, Rating, RatingInput, RatingNote, EDIT_DAYS};
use crate::access::{Actor, Role};
use crate::audit::store::{record_write, Who, Write};
use crate::catalog::store as courses;
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::mask_name;
use crate::portal::Portal;
use crate::reference::Enumeration;
use chrono::NaiveDate;

fn rating_of(row: RatingRow) -> AppResult<Rating> {
    let first = NaiveDate::parse_from_str(&row.rated_on, "%Y-%m-%d")
        .map_err(|e| AppError::Internal(format!("a stored rating's day: {e}")))?;
    Ok(Rating {
        enrollment_id: row.enrollment_id,
        stars: u8::try_from(row.stars).unwrap_or(0),
        comment: row.comment,
        rated_at: row.rated_at,
        updated_at: row.updated_at,
        editable_until: editable_until(first),
    })
}

fn conflict(problem: FieldProblem) -> AppError {
    let mut errors = FieldErrors::default();
    errors.add("enrollment", problem);
    AppError::Conflict(errors)
}

/// A trainee rates one of their completed enrolments, or changes the rating within
/// `EDIT_DAYS` days of the first; the change is in the write trail, from what to what.
pub async fn rate(
    portal: &Portal,
    actor: &Actor,
    enrollment: i64,
    input: &RatingInput,
) -> AppResult<Rating> {
    actor.trainee()?;
    let (stars, comment) = check(input)?;
    let (at, today) = (portal.clock.stamp(), portal.clock.today());
    let mut tx = portal.db.write_tx().await?;
    let row = crate::enrollment::store::load(&mut tx, enrollment)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.user_id != Some(actor.id) {
        return Err(AppError::NotFound);
    }
    if row.status != "completed" {
        return Err(conflict(FieldProblem::NotCompleted));
    }
    let before = store::get(&mut tx, enrollment).await?;
    if let Some(old) = &before {
        if rating_of(old.clone())?.editable_until < today {
            return Err(conflict(FieldProblem::RatingClosed { days: EDIT_DAYS }));
        }
    }
    let day = today.to_string();
    store::put(
        &mut tx,
        enrollment,
        &row.course_code,
        stars,
        comment.as_deref(),
        &day,
        &at,
    )
    .await?;
    let said = |stars: i64, comment: &Option<String>| {
        format!(
            "{stars} stars{}",
            if comment.is_some() { ", a comment" } else { "" }
        )
    };
    let write = Write {
        record: format!("enrollment:{enrollment}"),
        action: "rate",
        city: Some(row.city.as_str()),
        before: before.as_ref().map(|b| said(b.stars, &b.comment)),
        after: Some(said(i64::from(stars), &comment)),
    };
    record_write(&mut tx, &at, &Who::of(&portal.vault, actor), &write).await?;
    let saved = store::get(&mut tx, enrollment)
        .await?
        .ok_or_else(|| AppError::Internal("the rating just written is gone".into()))?;
    tx.commit().await?;
    rating_of(saved)
}

/// The trainee's own ratings, by enrolment.
pub async fn mine(portal: &Portal, actor: &Actor) -> AppResult<Vec<Rating>> {
    let user = actor.trainee()?;
    store::of_user(&portal.db, user)
        .await?
        .into_iter()
        .map(rating_of)
        .collect()
}

/// The ratings of class `code`, newest first, the raters masked: for the staff of its
/// institution and the HR officers of its city.
pub async fn of_class(portal: &Portal, actor: &Actor, code: &str) -> AppResult<Vec<RatingNote>> {
    let class = courses::class(&portal.db, code)
        .await?
        .ok_or(AppError::NotFound)?;
    let allowed = match actor.role {
        Role::InstitutionStaff => actor.institution()? == class.institution_code,
        Role::HrOfficer => actor.city()?.code() == class.city,
        _ => false,
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    Ok(store::of_course(&portal.db, code)
        .await?
        .into_iter()
        .map(|(stars, comment, name, updated_at)| RatingNote {
            stars: u8::try_from(stars).unwrap_or(0),
            comment,
            author: name.map(|n| mask_name(&n)).unwrap_or_else(|| "*".into()),
            updated_at,
        })
        .collect())
}
