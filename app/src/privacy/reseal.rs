//! Every value sealed at rest, found by table and column, and sealed again under the key
//! ring's current key (`peixun rotate-key`). A new sealed column is added to `SEALED`.

use crate::accounts::vault::Vault;
use crate::error::AppResult;
use crate::storage::Db;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sqlx::Row;
use std::collections::BTreeMap;

/// How a column holds its sealed value.
#[derive(Clone, Copy)]
enum Holds {
    /// The sealed bytes (BLOB / BYTEA).
    Bytes,
    /// `sealed:` and the sealed bytes in base64 (TEXT), as `subsidy::kept` writes them.
    Text,
}

struct Column {
    table: &'static str,
    key: &'static [&'static str],
    column: &'static str,
    holds: Holds,
}

const fn bytes(table: &'static str, key: &'static [&'static str], column: &'static str) -> Column {
    Column {
        table,
        key,
        column,
        holds: Holds::Bytes,
    }
}

/// Every column that holds sealed values.
const SEALED: &[Column] = &[
    bytes("users", &["id"], "phone_sealed"),
    bytes("users", &["id"], "id_sealed"),
    bytes("users", &["id"], "payee_account_sealed"),
    bytes("users", &["id"], "totp_sealed"),
    bytes("users", &["id"], "totp_pending_sealed"),
    bytes("group_claims", &["id"], "group_sealed"),
    bytes("group_claims", &["id"], "evidence_sealed"),
    bytes("subsidy_claims", &["id"], "payee_account_sealed"),
    Column {
        table: "subsidy_claims",
        key: &["id"],
        column: "verdicts",
        holds: Holds::Text,
    },
    Column {
        table: "subsidy_claims",
        key: &["id"],
        column: "breakdown",
        holds: Holds::Text,
    },
    bytes("oidc_logins", &["id"], "verifier_sealed"),
    bytes("real_name_choices", &["id"], "claims_sealed"),
    bytes("identity_cases", &["id"], "reporter_name_sealed"),
    bytes("identity_cases", &["id"], "reporter_phone_sealed"),
    bytes("texts", &["id"], "phone_sealed"),
    bytes("texts", &["id"], "params_sealed"),
    bytes(
        "payment_batch_claims",
        &["batch_id", "claim_id"],
        "payee_account_sealed",
    ),
];

const TEXT_PREFIX: &str = "sealed:";
const BATCH: i64 = 500;

/// What one pass over every sealed value found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pass {
    /// Values sealed again under the current key by this pass.
    pub resealed: u64,
    /// Values already under the current key.
    pub current: u64,
    /// Values under an older key, by key (a pass that only counts leaves them there).
    pub older: BTreeMap<u16, u64>,
    /// Values no key of the ring opens (another deployment's key, or damage): left as they
    /// are, never overwritten.
    pub unreadable: u64,
    /// Values another writer changed while the pass was at them (the next pass sees them).
    pub raced: u64,
}

impl Pass {
    pub fn total(&self) -> u64 {
        self.resealed + self.current + self.older.values().sum::<u64>() + self.unreadable
    }
}

/// The sealed bytes a text column's value holds.
fn sealed_in_text(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text.strip_prefix(TEXT_PREFIX)?).ok()
}

/// Walks every sealed value. With `write`, those under an older key are sealed again under
/// the current one, a batch a transaction; each update names the value it replaces, so a
/// value a running portal changed meanwhile is left to the next pass, never overwritten.
pub async fn pass(db: &Db, vault: &Vault, write: bool) -> AppResult<Pass> {
    let mut found = Pass::default();
    let ring = vault.ring();
    let Some(current) = ring.current().map(|k| k.id) else {
        return Ok(found);
    };
    for c in SEALED {
        let keys = c.key.join(", ");
        let after = match c.key.len() {
            1 => format!("{keys} > $1"),
            _ => format!("({keys}) > ($1, $2)"),
        };
        let select = format!(
            "SELECT {keys}, {col} FROM {table} WHERE {col} IS NOT NULL AND {after} \
             ORDER BY {keys} LIMIT {BATCH}",
            col = c.column,
            table = c.table,
        );
        let same_row: Vec<String> = c
            .key
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{k} = ${}", i + 3))
            .collect();
        let update = format!(
            "UPDATE {table} SET {col} = $1 WHERE {col} = $2 AND {row}",
            table = c.table,
            col = c.column,
            row = same_row.join(" AND "),
        );
        let mut last = vec![i64::MIN; c.key.len()];
        loop {
            let mut q = sqlx::query(&select);
            for k in &last {
                q = q.bind(*k);
            }
            let rows = q.fetch_all(db.pool()).await?;
            let Some(final_row) = rows.last() else {
                break;
            };
            last = (0..c.key.len())
                .map(|i| final_row.try_get::<i64, _>(i))
                .collect::<Result<_, _>>()?;
            let mut tx = match write {
                true => Some(db.write_tx().await?),
                false => None,
            };
            for row in &rows {
                let at: Vec<i64> = (0..c.key.len())
                    .map(|i| row.try_get::<i64, _>(i))
                    .collect::<Result<_, _>>()?;
                let value = c.key.len();
                let (sealed, text) = match c.holds {
                    Holds::Bytes => (row.try_get::<Vec<u8>, _>(value)?, None),
                    Holds::Text => {
                        let text: String = row.try_get(value)?;
                        match sealed_in_text(&text) {
                            Some(sealed) => (sealed, Some(text)),
                            // Kept in clear by an older version: sealed at start, not here.
                            None => continue,
                        }
                    }
                };
                match ring.opened_by(&sealed) {
                    None => found.unreadable += 1,
                    Some(id) if id == current => found.current += 1,
                    Some(id) => {
                        let Some(tx) = tx.as_mut() else {
                            *found.older.entry(id).or_default() += 1;
                            continue;
                        };
                        let plain = ring.open(&sealed).ok().flatten().unwrap_or_default();
                        let again = ring.seal(&plain);
                        let done = match &text {
                            None => {
                                let mut q = sqlx::query(&update).bind(again).bind(&sealed);
                                for k in &at {
                                    q = q.bind(*k);
                                }
                                q.execute(&mut **tx).await?
                            }
                            Some(old) => {
                                let new = format!("{TEXT_PREFIX}{}", STANDARD.encode(&again));
                                let mut q = sqlx::query(&update).bind(new).bind(old);
                                for k in &at {
                                    q = q.bind(*k);
                                }
                                q.execute(&mut **tx).await?
                            }
                        };
                        match done.rows_affected() {
                            0 => found.raced += 1,
                            _ => found.resealed += 1,
                        }
                    }
                }
            }
            if let Some(tx) = tx {
                tx.commit().await?;
            }
            if (rows.len() as i64) < BATCH {
                break;
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sealed column added by a migration and forgotten here would keep its old key for
    /// ever (and `--retire` would then refuse): every `…_sealed` column must be listed.
    #[test]
    fn every_sealed_column_of_the_migrations_is_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let sql = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let mut table = String::new();
            for line in sql.lines().map(str::trim) {
                let words: Vec<&str> = line.split_whitespace().collect();
                match words.as_slice() {
                    ["CREATE", "TABLE", name, ..] | ["ALTER", "TABLE", name, ..] => {
                        table = name.trim_matches('(').to_string();
                    }
                    _ => {}
                }
                for word in &words {
                    let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
                    if word.ends_with("_sealed") && !line.starts_with("--") {
                        found.push((table.clone(), word.to_string()));
                    }
                }
            }
        }
        assert!(found.len() >= 7, "{found:?}");
        for (table, column) in found {
            assert!(
                SEALED
                    .iter()
                    .any(|c| c.table == table && c.column == column),
                "{table}.{column} is sealed but not in SEALED"
            );
        }
    }
}
