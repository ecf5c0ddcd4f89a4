//! The cities' own subsidy numbers (`subsidy_policies`): read by the rules, written by
//! `peixun set-policy`.

use super::rules::Policy;
use crate::error::AppResult;
use crate::money::Yuan;
use crate::reference::{City, Enumeration};
use crate::storage::{Conn, Db};

#[derive(Debug, sqlx::FromRow)]
struct PolicyRow {
    city: String,
    employed_percent: i64,
    certified_percent: i64,
    special_ability_percent: i64,
    living_allowance_fen: i64,
}

impl PolicyRow {
    fn policy(&self) -> Policy {
        let percent = |p: i64| u32::try_from(p.clamp(0, 100)).unwrap_or(0);
        Policy {
            employed_percent: percent(self.employed_percent),
            certified_percent: percent(self.certified_percent),
            special_ability_percent: percent(self.special_ability_percent),
            living_allowance_per_day: Yuan::from_fen(self.living_allowance_fen.max(0)),
            ..Policy::default()
        }
    }
}

/// The cities that set their own numbers, with them.
pub async fn policies(db: &Db) -> AppResult<Vec<(City, Policy)>> {
    let rows: Vec<PolicyRow> = sqlx::query_as("SELECT * FROM subsidy_policies")
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| City::from_code(&r.city).map(|c| (c, r.policy())))
        .collect())
}

/// A city's numbers (the province's defaults when it set none).
pub async fn policy(conn: &mut Conn, city: City) -> AppResult<Policy> {
    let row: Option<PolicyRow> = sqlx::query_as("SELECT * FROM subsidy_policies WHERE city = $1")
        .bind(city.code())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.policy()).unwrap_or_default())
}

/// A city's own numbers, or with `None` the province's defaults again.
pub async fn set_policy(
    conn: &mut Conn,
    at: &str,
    city: City,
    policy: Option<&Policy>,
) -> AppResult<()> {
    let tx = conn;
    sqlx::query("DELETE FROM subsidy_policies WHERE city = $1")
        .bind(city.code())
        .execute(&mut *tx)
        .await?;
    if let Some(p) = policy {
        sqlx::query(
            "INSERT INTO subsidy_policies (city, employed_percent, certified_percent, \
             special_ability_percent, living_allowance_fen, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(city.code())
        .bind(i64::from(p.employed_percent))
        .bind(i64::from(p.certified_percent))
        .bind(i64::from(p.special_ability_percent))
        .bind(p.living_allowance_per_day.fen())
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
