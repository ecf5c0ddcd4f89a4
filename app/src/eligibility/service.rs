//! Eligibility for a signed-in person, for an anonymous question, and over the catalogue.

use super::{assess, Assessment, CheckAnswer, Panel, Question};
use crate::access::Actor;
use crate::catalog::{Course, CourseList, CourseQuery, Facets, Sort};
use crate::enrollment::rules::{self, Applicant};
use crate::error::{AppError, AppResult};
use crate::portal::Portal;
use std::ops::ControlFlow;

/// How many candidate courses a check looks at.
pub const MAX_CHECKED: u32 = 1_000;

/// Walks the catalogue's answer to `query` page by page (100 a page), handing each course to
/// `each` while it answers `Continue`, until the last page or `MAX_CHECKED` courses; the
/// facets are the first page's. Every course judged is counted in the metrics.
async fn each_candidate(
    portal: &Portal,
    mut query: CourseQuery,
    mut each: impl FnMut(&Course) -> ControlFlow<()>,
) -> AppResult<Facets> {
    query.page = 1;
    query.per_page = 100;
    let (mut facets, mut looked) = (None, 0u32);
    loop {
        let list = crate::catalog::service::search(portal, &query).await?;
        let (mut judged, mut stopped) = (0u32, false);
        for course in list.items.iter().take((MAX_CHECKED - looked) as usize) {
            judged += 1;
            if each(course).is_break() {
                stopped = true;
                break;
            }
        }
        looked += judged;
        metrics::counter!("peixun_eligibility_assessed_total").increment(u64::from(judged));
        let last =
            stopped || list.items.is_empty() || query.page >= list.pages() || looked >= MAX_CHECKED;
        facets.get_or_insert(list.facets);
        if last {
            return Ok(facets.unwrap_or_default());
        }
        query.page += 1;
    }
}

/// Whether the actor (a trainee) may join `course`, and the subsidy they would get.
pub async fn assess_for(portal: &Portal, actor: &Actor, course: &Course) -> AppResult<Assessment> {
    let user = actor.trainee()?;
    let mut conn = portal.db.pool().acquire().await?;
    let applicant =
        crate::enrollment::service::applicant(&mut conn, &portal.vault, user, &course.code).await?;
    drop(conn);
    let history = crate::subsidy::service::history_of(portal, actor).await?;
    let policy = crate::subsidy::service::policy(portal, course.city).await?;
    Ok(assess(
        course,
        &applicant,
        &history,
        &policy,
        portal.clock.today(),
    ))
}

/// What the course page's enrol panel shows the visitor: a sign-in for the signed-out, a note
/// for staff (only trainees enrol), a trainee's verdicts and their enrolment there.
pub async fn panel(portal: &Portal, actor: Option<&Actor>, code: &str) -> AppResult<Panel> {
    let Some(actor) = actor else {
        return Ok(Panel::Anonymous);
    };
    let course = crate::catalog::service::get(portal, code).await?;
    let assessment = match assess_for(portal, actor, &course).await {
        Err(AppError::Forbidden) => return Ok(Panel::Staff),
        other => other?,
    };
    let enrolled = crate::enrollment::service::active_in(portal, actor, code).await?;
    Ok(Panel::Trainee {
        assessment: Box::new(assessment),
        enrolled,
    })
}

/// The anonymous check: the courses (of the person's city, soonest first) the person may join,
/// each with its reasons and subsidy; or one course, whether or not they may.
pub async fn check(portal: &Portal, question: &Question) -> AppResult<CheckAnswer> {
    let today = portal.clock.today();
    let asked = question.parse(today)?;
    if let Some(code) = &asked.course {
        let course = crate::catalog::service::get(portal, code).await?;
        let policy = crate::subsidy::service::policy(portal, course.city).await?;
        let one = assess(&course, &asked.applicant, &asked.history, &policy, today);
        return Ok(CheckAnswer {
            total: u32::from(one.eligible),
            items: vec![one],
            page: 1,
            per_page: 1,
            more: false,
        });
    }
    let query = CourseQuery {
        city: asked.city.into_iter().collect(),
        // Candidates: courses open to one of the person's groups or to all (the rules decide).
        group: asked.applicant.groups.clone(),
        starts_after: today.succ_opt(),
        sort: Sort::StartDate,
        ..Default::default()
    };
    let policies = crate::subsidy::service::policies(portal).await?;
    // The courses before this page are counted, not kept; one beyond it tells of a next page.
    let skip = (asked.page - 1) * asked.per_page;
    let enough = skip + asked.per_page + 1;
    let (mut total, mut items) = (0u32, Vec::new());
    each_candidate(portal, query, |course| {
        let policy = policies.of(course.city);
        let a = assess(course, &asked.applicant, &asked.history, &policy, today);
        if a.eligible {
            total += 1;
            if total > skip && items.len() < asked.per_page as usize {
                items.push(a);
            }
        }
        match total >= enough {
            true => ControlFlow::Break(()),
            false => ControlFlow::Continue(()),
        }
    })
    .await?;
    Ok(CheckAnswer {
        more: total >= enough,
        total,
        items,
        page: asked.page,
        per_page: asked.per_page,
    })
}

/// The catalogue search; with `eligible=true` for a signed-in trainee, narrowed to the courses
/// the enrolment rules let them join now. Candidates are pre-selected with the catalogue's own
/// filters (open to the person's groups, not yet started) and at most `MAX_CHECKED` are
/// judged; facet counts are those of the candidates.
pub async fn search(
    portal: &Portal,
    actor: Option<&Actor>,
    query: &CourseQuery,
) -> AppResult<CourseList> {
    let trainee = actor.and_then(|a| a.trainee().ok());
    let Some(user) = trainee.filter(|_| query.eligible == Some(true)) else {
        return crate::catalog::service::search(portal, query).await;
    };
    let mut conn = portal.db.pool().acquire().await?;
    let applicant =
        crate::enrollment::service::applicant(&mut conn, &portal.vault, user, "").await?;
    let enrolled = crate::enrollment::store::active_courses(&mut conn, user).await?;
    drop(conn);
    let today = portal.clock.today();
    let mut candidates = query.clone();
    candidates.eligible = None;
    if candidates.group.is_empty() {
        candidates.group = applicant.groups.clone();
    }
    candidates.starts_after = candidates.starts_after.max(today.succ_opt());
    let mut eligible = Vec::new();
    let facets = each_candidate(portal, candidates, |course| {
        let person = Applicant {
            enrolled_here: enrolled.contains(&course.code),
            ..applicant.clone()
        };
        if rules::all_ok(&rules::check(course, &person, today)) {
            eligible.push(course.clone());
        }
        ControlFlow::Continue(())
    })
    .await?;
    let per_page = query.per_page.max(1) as usize;
    let start = (query.page.max(1) as usize - 1) * per_page;
    let total = eligible.len() as u64;
    Ok(CourseList {
        items: eligible.into_iter().skip(start).take(per_page).collect(),
        total,
        page: query.page,
        per_page: query.per_page,
        facets,
        understood: None,
    })
}
