//! A city's yearly subsidy budget (set on the command line), shown against what its claims
//! of the year have approved and paid; an approval past it needs the officer's confirmation.

use super::batch_store as store;
use super::batches::Budget;
use crate::access::Actor;
use crate::audit::store::{record_write, Who, Write};
use crate::error::{AppError, AppResult, FieldProblem};
use crate::money::Yuan;
use crate::portal::Portal;
use crate::reference::{City, Enumeration};
use crate::storage::Conn;
use chrono::Datelike;

/// The officer's city's money for `year` (this year when not given).
pub async fn budget(portal: &Portal, actor: &Actor, year: Option<i32>) -> AppResult<Budget> {
    let city = actor.city()?;
    let year = year.unwrap_or_else(|| portal.clock.today().year());
    let mut conn = portal.db.pool().acquire().await?;
    budget_in(&mut conn, city, year).await
}

async fn budget_in(conn: &mut Conn, city: City, year: i32) -> AppResult<Budget> {
    let set = store::budget(conn, city.code(), year).await?;
    let (approved, paid) = store::committed(conn, city.code(), year).await?;
    Ok(Budget::new(
        city.code(),
        year,
        set.map(Yuan::from_fen),
        Yuan::from_fen(approved),
        Yuan::from_fen(paid),
    ))
}

/// Approving `amount` for a claim of `city` and `year` (in the review's transaction): refused
/// (409 `budget`) when it would go past the city's budget, unless the officer `confirm`s it.
pub(super) async fn within_budget(
    conn: &mut Conn,
    city: City,
    year: i32,
    amount: Yuan,
    confirm: bool,
) -> AppResult<()> {
    let b = budget_in(conn, city, year).await?;
    match (b.exceeded_by(amount), b.budget_yuan) {
        (Some(after), Some(budget)) if !confirm => Err(AppError::conflict(
            "budget",
            FieldProblem::OverBudget {
                budget: budget.to_string(),
                after: after.to_string(),
            },
        )),
        _ => Ok(()),
    }
}

/// A city's subsidy budget for a year (the command line), or with `None` none.
pub async fn set_budget(
    portal: &Portal,
    by: &Who,
    city: City,
    year: i32,
    amount: Option<Yuan>,
) -> AppResult<()> {
    if amount.is_some_and(|a| a.fen() < 0) {
        return Err(AppError::field(
            "budget",
            FieldProblem::OutOfRange {
                min: 0,
                max: i64::MAX,
            },
        ));
    }
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let before = store::budget(&mut tx, city.code(), year).await?;
    store::set_budget(&mut tx, &at, city.code(), year, amount.map(Yuan::fen)).await?;
    let text = |fen: Option<i64>| fen.map(|f| Yuan::from_fen(f).to_string());
    let write = Write {
        record: format!("budget:{}:{year}", city.code()),
        action: "budget",
        city: Some(city.code()),
        before: text(before),
        after: text(amount.map(Yuan::fen)),
    };
    record_write(&mut tx, &at, by, &write).await?;
    tx.commit().await?;
    Ok(())
}
