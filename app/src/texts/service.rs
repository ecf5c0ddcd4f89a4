//! Queuing texts, handing them to the gateway, and listing the outbox. The sending itself
//! (HTTP) is the server's (`server/src/texts.rs`); here is what it leases and records.

use super::{store, Listed, Status, Template};
use crate::error::{AppError, AppResult};
use crate::portal::Portal;
use crate::storage::Conn;
use serde_json::{Map, Value};

/// The phone's keyed hash in the outbox (a domain of its own).
const PHONE_DOMAIN: &str = "text-phone";
/// A sender holds a text this long: past it, another may try.
const LEASE_SECS: i64 = 30;
/// Texts are kept this long, for the person's and the helpdesk's questions.
const KEEP_SECS: i64 = 90 * 24 * 3600;

/// Queues `template` with `params` for `phone`, in the caller's transaction. A phone gets at
/// most `texts_per_phone_per_hour` texts an hour (429 beyond, with when the next may go).
/// The caller wakes the sender once its transaction commits (`Portal::texts_ready`).
pub async fn queue(
    conn: &mut Conn,
    portal: &Portal,
    phone: &str,
    template: Template,
    params: Map<String, Value>,
) -> AppResult<()> {
    let now = portal.clock.seconds();
    let vault = &portal.vault;
    let phone_mac = vault.mac(PHONE_DOMAIN, phone);
    let limit = i64::from(portal.settings.texts_per_phone_per_hour);
    let (count, first) = store::queued_since(conn, &phone_mac, now - 3600).await?;
    if count >= limit {
        let retry_after_secs = first.map_or(3600, |f| f + 3600 - now).max(1) as u64;
        return Err(AppError::TooManyRequests { retry_after_secs });
    }
    let params = Value::Object(params).to_string();
    let text = store::NewText {
        phone_mac: &phone_mac,
        phone_sealed: &vault.seal(phone.as_bytes()),
        template: template.code(),
        params_sealed: &vault.seal(params.as_bytes()),
        created_at: &portal.clock.stamp(),
        now,
        expires_at: now + template.worth_sending_for(),
    };
    store::insert(conn, &text).await?;
    Ok(())
}

/// A text for the gateway, opened.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: i64,
    pub phone: String,
    pub template: String,
    pub params: Value,
    pub attempts: u32,
}

/// Leases up to `n` texts that are due for sending.
pub async fn lease(portal: &Portal, n: i64) -> AppResult<Vec<Outgoing>> {
    let now = portal.clock.seconds();
    let due = store::lease_due(&portal.db, now, n, LEASE_SECS).await?;
    let mut out = Vec::new();
    for d in due {
        let attempts = u32::try_from(d.attempts).unwrap_or(u32::MAX);
        let opened = portal.vault.open_text(&d.phone_sealed).zip(
            portal
                .vault
                .open_text(&d.params_sealed)
                .and_then(|p| serde_json::from_str(&p).ok()),
        );
        match opened {
            Some((phone, params)) => out.push(Outgoing {
                id: d.id,
                phone,
                template: d.template,
                params,
                attempts,
            }),
            None => refused(portal, d.id, attempts, "cannot open the sealed text").await?,
        }
    }
    Ok(out)
}

/// The gateway took text `id`.
pub async fn delivered(portal: &Portal, id: i64) -> AppResult<()> {
    store::sent(&portal.db, id, &portal.clock.stamp()).await
}

/// The gateway refused text `id` (its `attempts`-th try failed): tried again later.
pub async fn refused(portal: &Portal, id: i64, attempts: u32, error: &str) -> AppResult<()> {
    let next = portal.clock.seconds() + super::retry_in(attempts.saturating_add(1));
    let error: String = error.chars().take(200).collect();
    store::failed(&portal.db, id, next, &error).await
}

/// Marks texts that can no longer be delivered in time, and forgets old ones.
pub async fn sweep(portal: &Portal) -> AppResult<()> {
    let now = portal.clock.seconds();
    store::sweep(&portal.db, now, now - KEEP_SECS).await
}

/// The outbox, oldest first (`peixun outbox`); `phone` for one phone's texts.
pub async fn outbox(portal: &Portal, phone: Option<&str>) -> AppResult<Vec<Listed>> {
    let mac = phone.map(|p| portal.vault.mac(PHONE_DOMAIN, p.trim()));
    let rows = store::list(&portal.db, mac.as_deref()).await?;
    rows.into_iter()
        .map(|r| {
            let params = portal.vault.reveal(&r.params_sealed)?;
            let params = match serde_json::from_str(&params) {
                Ok(Value::Object(map)) => map,
                _ => Map::new(),
            };
            Ok(Listed {
                phone: portal.vault.reveal(&r.phone_sealed)?,
                template: r.template,
                params,
                created_at: r.created_at,
                status: Status::from_code(&r.status)
                    .map_or(r.status.clone(), |s| s.code().to_string()),
            })
        })
        .collect()
}

/// Queues the notice texts owed (see `Template::for_notice`) for the people who asked for
/// them, a batch at a time; each message is looked at once. A phone over its hourly texts
/// gets the inbox only.
pub async fn queue_notices(portal: &Portal) -> AppResult<usize> {
    // Looked at without the write lock first: most of the time nothing is owed.
    let mut conn = portal.db.pool().acquire().await?;
    if crate::inbox::store::owed_texts(&mut conn, 1)
        .await?
        .is_empty()
    {
        return Ok(0);
    }
    drop(conn);
    let mut tx = portal.db.write_tx().await?;
    let owed = crate::inbox::store::owed_texts(&mut tx, 50).await?;
    let mut queued = 0;
    for n in &owed {
        crate::inbox::store::texted(&mut tx, n.id).await?;
        let Some(template) = Template::for_notice(&n.kind, &n.status) else {
            continue;
        };
        let phone = portal.vault.reveal(&n.phone_sealed)?;
        let link = crate::inbox::Notification::link_of(&n.kind, &n.status);
        let mut params = Map::new();
        params.insert("title".into(), Value::String(n.title.clone()));
        params.insert(
            "link".into(),
            Value::String(format!("{}{link}", portal.settings.public_url)),
        );
        match queue(&mut tx, portal, &phone, template, params).await {
            Ok(()) => queued += 1,
            Err(AppError::TooManyRequests { .. }) => {}
            Err(err) => return Err(err),
        }
    }
    tx.commit().await?;
    if queued > 0 {
        portal.texts_ready.notify_one();
    }
    Ok(queued)
}
