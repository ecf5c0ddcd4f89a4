//! Reading one's own inbox.

use super::{notification_text, store, Inbox, Kind, Notification};
use crate::access::Actor;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::list::Paging;
use crate::portal::Portal;

/// One page of the actor's inbox, newest first, each message in both languages.
pub async fn inbox(portal: &Portal, actor: &Actor, paging: Paging) -> AppResult<Inbox> {
    let (rows, total) = store::page(&portal.db, actor.id, paging).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let position = r.position.and_then(|p| u32::try_from(p).ok());
            let kind = Kind::from_code(&r.kind);
            let text = |locale| {
                notification_text(
                    locale,
                    kind,
                    &r.title,
                    &r.status,
                    position,
                    r.reason.as_deref(),
                )
            };
            Notification {
                message: text(Locale::zh_CN),
                message_en: text(Locale::en),
                id: r.id,
                at: r.at,
                kind: r.kind,
                subject_id: r.subject_id,
                status: r.status,
                title: r.title,
                reason: r.reason,
                waitlist_position: position,
                read: r.read_at.is_some(),
            }
        })
        .collect();
    Ok(Inbox {
        unread: store::unread(&portal.db, actor.id).await?,
        items,
        total,
        page: paging.page,
        per_page: paging.per_page,
    })
}

/// Marks one of the actor's messages (or, with `None`, all) read; another person's is 404.
pub async fn mark_read(portal: &Portal, actor: &Actor, id: Option<i64>) -> AppResult<()> {
    if store::mark_read(&portal.db, &portal.clock.stamp(), actor.id, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
