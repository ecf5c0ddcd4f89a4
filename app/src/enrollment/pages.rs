//! 我的报名: the person's enrolments, each with its timeline, a cancel button while it may
//! be cancelled, and "这不是我". Plain forms that post to the server, usable without JS.

use super::{Enrollment, Status};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::prefs::use_locale;
use crate::ratings::Rating;
use crate::shell::{form_outcome, FormMessage, Loaded};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// My enrolments, my ratings of them, and today (a rating can be changed for 30 days).
#[server]
pub async fn my_enrollments() -> Result<(Vec<Enrollment>, Vec<Rating>, chrono::NaiveDate), AppError>
{
    let portal = crate::portal::from_context()?;
    let actor = crate::access::signed_in_actor()?;
    let list = super::service::mine(&portal, &actor).await?;
    let ratings = crate::ratings::service::mine(&portal, &actor).await?;
    Ok((list, ratings, portal.clock.today()))
}

#[component]
fn Timeline(locale: Locale, e: Enrollment) -> impl IntoView {
    let items = e
        .timeline
        .into_iter()
        .map(|t| {
            let when = t.at.get(..16).unwrap_or(&t.at).replace('T', " ");
            view! {
                <li>
                    <time datetime=t.at.clone()>{when}</time>
                    " " <strong>{t.status.label(locale)}</strong>
                    " · " {t.actor.label(locale)}
                    {t.reason.map(|r| format!(" · {}", td_string!(locale, enrol.reason, reason = r)))}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="timeline">{items}</ol> }
}

#[component]
fn EnrollmentCard(
    locale: Locale,
    e: Enrollment,
    rating: Option<Rating>,
    today: chrono::NaiveDate,
) -> impl IntoView {
    use crate::dispute::DisputeKind;
    let heading_id = format!("enrollment-{}", e.id);
    let mut disputable = vec![DisputeKind::Enrollment];
    if e.hours_attended > 0 {
        disputable.push(DisputeKind::Attendance);
    }
    let cancel = e.can_cancel.then(|| {
        let action = format!("/me/enrollments/{}/cancel", e.id);
        view! {
            <form method="post" action=action>
                <button type="submit" class="button-secondary" aria-describedby=heading_id.clone()>
                    {td_string!(locale, enrol.cancel_button)}
                </button>
            </form>
        }
    });
    view! {
        <li class="enrollment" data-status=e.status.code()>
            <h2 id=heading_id.clone()><a href=format!("/courses/{}", e.course)>{e.course_title.clone()}</a></h2>
            <p class="status-line">
                <span class=format!("status status-{}", e.status.code())>{e.status.label(locale)}</span>
                {e.waitlist_position.map(|p| format!(" · {}", td_string!(locale, enrol.waitlist_position, position = p)))}
                {(e.hours_attended > 0).then(|| format!(" · {}", td_string!(locale, enrol.hours_attended, hours = e.hours_attended)))}
            </p>
            <p>{e.institution.clone()} " · " {td_string!(locale, enrol.class_dates, start = e.start_date, end = e.end_date).to_string()}</p>
            {e.reason.clone().map(|r| view! { <p>{td_string!(locale, enrol.reason, reason = r).to_string()}</p> })}
            <h3>{td_string!(locale, enrol.timeline)}</h3>
            <Timeline locale=locale e=e.clone() />
            {cancel}
            {(e.status == Status::Completed).then(|| view! {
                <crate::ratings::pages::RateForm locale=locale enrollment=e.id rating=rating today=today />
            })}
            <crate::dispute::pages::DisputeForm locale=locale kinds=disputable id=e.id />
        </li>
    }
}

#[component]
pub fn MyEnrollmentsPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let query = use_query_map();
    let data = Resource::new(|| (), |_| my_enrollments());
    let notice =
        query.with_untracked(
            |q| match (q.get("enrolled").as_deref(), q.get("position")) {
                (Some("approved"), _) => {
                    Some(td_string!(locale, enrol.enrolled_approved).to_string())
                }
                (Some("applied"), _) => Some(td_string!(locale, groups.saved_applied).to_string()),
                (Some("waitlisted"), Some(p)) => Some(
                    td_string!(
                        locale,
                        enrol.enrolled_waitlisted,
                        position = p.parse::<u32>().unwrap_or(0)
                    )
                    .to_string(),
                ),
                _ if q.get("cancelled").is_some() => {
                    Some(td_string!(locale, enrol.cancelled_done).to_string())
                }
                _ if q.get("rated").is_some() => Some(td_string!(locale, rating.saved).to_string()),
                _ => None,
            },
        );
    view! {
        <Title text=td_string!(locale, enrol.my_title) />
        <h1>{td_string!(locale, enrol.my_title)}</h1>
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <FormMessage state=state />
        <Loaded data=data view={move |(list, ratings, today): (Vec<Enrollment>, Vec<Rating>, chrono::NaiveDate)| {
            if list.is_empty() {
                view! {
                    <p>{td_string!(locale, enrol.my_empty)}</p>
                    <p><a class="button-link" href="/courses">{td_string!(locale, enrol.find_courses)}</a></p>
                }
                .into_any()
            } else {
                view! {
                    <ul class="enrollments">
                        {list.into_iter().map(|e| {
                            let rating = ratings.iter().find(|r| r.enrollment_id == e.id).cloned();
                            view! { <EnrollmentCard locale=locale e=e rating=rating today=today /> }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }
        }} />
    }
}
