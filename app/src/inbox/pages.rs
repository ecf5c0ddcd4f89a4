//! 我的消息: the inbox, newest first, with "mark all read".

use super::Inbox;
use crate::error::AppError;
use crate::prefs::use_locale;
use crate::shell::{page_asked, Loaded, Pager};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

#[server]
pub async fn my_inbox(page: u32) -> Result<Inbox, AppError> {
    let portal = crate::portal::from_context()?;
    let paging = crate::list::Paging {
        page,
        per_page: crate::list::MAX_PER_PAGE,
    };
    super::service::inbox(&portal, &crate::access::signed_in_actor()?, paging).await
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(page_asked, my_inbox);
    view! {
        <Title text=td_string!(locale, enrol.inbox_title) />
        <h1>{td_string!(locale, enrol.inbox_title)}</h1>
        <Loaded data=data view={move |inbox: Inbox| {
            if inbox.items.is_empty() {
                return view! { <p>{td_string!(locale, enrol.inbox_empty)}</p> }.into_any();
            }
            let pages = crate::list::pages(inbox.total, inbox.per_page);
            view! {
                <p>{td_string!(locale, enrol.unread_count, count = inbox.unread).to_string()}</p>
                {(inbox.unread > 0).then(|| view! {
                    <form method="post" action="/me/notifications/read">
                        <button type="submit" class="button-secondary">{td_string!(locale, enrol.mark_all_read)}</button>
                    </form>
                })}
                <ul class="inbox">
                    {inbox.items.into_iter().map(|n| {
                        let when = n.at.get(..16).unwrap_or(&n.at).replace('T', " ");
                        view! {
                            <li class:unread=!n.read>
                                {(!n.read).then(|| view! { <strong class="unread-tag">{td_string!(locale, enrol.unread_label)}</strong> " " })}
                                <time datetime=n.at.clone()>{when}</time>
                                " " <a href=n.link()>{n.text(locale)}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Pager locale=locale at=inbox.page pages=pages href=|p| format!("/me/inbox?page={p}") />
            }
            .into_any()
        }} />
    }
}
