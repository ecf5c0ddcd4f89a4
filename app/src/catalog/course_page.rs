//! A course's page (the facts that decide, whether the visitor may enrol: `EnrolPanel`, then
//! every detail) and an institution's page (its courses and outcomes).

use super::pages::{money_line, seats_line};
use super::{Course, Institution, OpenTo};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::prefs::use_locale;
use crate::reference::Enumeration;
use crate::shell::Loaded;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[server]
pub async fn load_course(code: String) -> Result<Course, AppError> {
    super::service::get_with_outcomes(&crate::portal::from_context()?, &code).await
}

#[server]
pub async fn load_institution(code: String) -> Result<Institution, AppError> {
    super::service::institution(&crate::portal::from_context()?, &code).await
}

fn groups_text(locale: Locale, groups: &OpenTo) -> String {
    match groups {
        OpenTo::All => td_string!(locale, groups_all).to_string(),
        OpenTo::Groups(list) => list
            .iter()
            .map(|g| g.label(locale))
            .collect::<Vec<_>>()
            .join("、"),
    }
}

fn age_text(locale: Locale, course: &Course) -> String {
    match (course.min_age, course.max_age) {
        (None, None) => td_string!(locale, age_any).to_string(),
        (min, max) => td_string!(
            locale,
            age_range,
            min = min.unwrap_or(16),
            max = max.unwrap_or(70)
        )
        .to_string(),
    }
}

/// The course's key facts (first screen) and its details, grouped.
fn course_parts(locale: Locale, course: &Course) -> (impl IntoView, impl IntoView) {
    let none = || td_string!(locale, none).to_string();
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(none);
    let accessibility = if course.accessibility.is_empty() {
        none()
    } else {
        course
            .accessibility
            .iter()
            .map(|a| a.label(locale))
            .collect::<Vec<_>>()
            .join("、")
    };
    let yuan = |y: crate::money::Yuan| td_string!(locale, yuan, amount = y).to_string();
    let dates = td_string!(
        locale,
        date_range,
        start = course.start_date,
        end = course.end_date
    )
    .to_string();
    let fee = if course.is_free() {
        td_string!(locale, free).to_string()
    } else {
        yuan(course.fee_yuan)
    };
    // The details, grouped as a trainee asks: when and where, who may join, what it costs,
    // what is taught, who runs it.
    let groups: Vec<(&'static str, Vec<(&'static str, String)>)> = vec![
        (
            td_string!(locale, course_group.when_where),
            vec![
                (td_string!(locale, field.dates), dates.clone()),
                (
                    td_string!(locale, field.enroll_deadline),
                    course.enroll_deadline.to_string(),
                ),
                (
                    td_string!(locale, field.hours),
                    td_string!(locale, hours_value, hours = course.hours).to_string(),
                ),
                (
                    td_string!(locale, field.class_format),
                    course.class_format.label(locale).into(),
                ),
                (
                    td_string!(locale, field.city),
                    course.city.label(locale).into(),
                ),
                (td_string!(locale, field.district), opt(&course.district)),
                (td_string!(locale, field.address), course.address.clone()),
            ],
        ),
        (
            td_string!(locale, course_group.who),
            vec![
                (
                    td_string!(locale, field.groups),
                    groups_text(locale, &course.groups),
                ),
                (td_string!(locale, field.age), age_text(locale, course)),
                (td_string!(locale, field.accessibility), accessibility),
            ],
        ),
        (
            td_string!(locale, course_group.money),
            vec![
                (td_string!(locale, field.fee), fee),
                (td_string!(locale, field.subsidy), yuan(course.subsidy_yuan)),
                (
                    td_string!(locale, field.capacity),
                    td_string!(locale, people, count = course.capacity).to_string(),
                ),
                (
                    td_string!(locale, field.seats_left),
                    seats_line(locale, course),
                ),
            ],
        ),
        (
            td_string!(locale, course_group.what),
            vec![
                (td_string!(locale, field.code), course.code.clone()),
                (
                    td_string!(locale, field.occupation),
                    course.occupation.clone(),
                ),
                (
                    td_string!(locale, field.occupation_code),
                    opt(&course.occupation_code),
                ),
                (
                    td_string!(locale, field.industry),
                    course.industry.label(locale).into(),
                ),
                (
                    td_string!(locale, field.level),
                    course.level.label(locale).into(),
                ),
                (
                    td_string!(locale, field.certificate_type),
                    course.certificate_type.label(locale).into(),
                ),
                (
                    td_string!(locale, field.class_type),
                    course.class_type.label(locale).into(),
                ),
            ],
        ),
        (
            td_string!(locale, course_group.run_by),
            vec![
                (
                    td_string!(locale, field.institution),
                    course.institution.clone(),
                ),
                (
                    td_string!(locale, field.evaluation_org),
                    opt(&course.evaluation_org),
                ),
                (
                    td_string!(locale, field.contact_phone),
                    opt(&course.contact_phone),
                ),
            ],
        ),
    ];
    // The first screen on a phone: what, when, what it costs, whether there is room and until
    // when; the enrol panel (the verdict and the button) follows at once.
    let key_facts = view! {
        <dl class="key-facts">
            <div><dt>{td_string!(locale, field.dates)}</dt><dd>{dates}</dd></div>
            <div><dt>{td_string!(locale, field.enroll_deadline)}</dt><dd>{course.enroll_deadline.to_string()}</dd></div>
            <div><dt>{td_string!(locale, course_group.cost)}</dt><dd>{money_line(locale, course)}</dd></div>
            <div><dt>{td_string!(locale, field.seats_left)}</dt><dd>{seats_line(locale, course)}</dd></div>
        </dl>
    };
    let details = view! {
        <section aria-labelledby="details-heading">
            <h2 id="details-heading">{td_string!(locale, course_details)}</h2>
            {groups.into_iter().map(|(title, rows)| view! {
                <details class="detail-group">
                    <summary>{title}</summary>
                    <dl class="details">
                        {rows.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
                    </dl>
                </details>
            }).collect_view()}
        </section>
    };
    (key_facts, details)
}

/// A course's page: the facts that decide, the enrol panel, then the description, the
/// details and the outcomes.
#[component]
fn CourseView(locale: Locale, course: Course) -> impl IntoView {
    let (key_facts, details) = course_parts(locale, &course);
    view! {
        <Title text=course.title.clone() />
        <article class="course">
            <p class="breadcrumb"><a href="/courses">{td_string!(locale, courses_title)}</a></p>
            <h1>
                {course.title.clone()}
                {course.demo.then(|| view! { <span class="badge">{td_string!(locale, demo_badge)}</span> })}
            </h1>
            {key_facts}
            <crate::eligibility::pages::EnrolPanel code=course.code.clone() />
            {course.description.clone().map(|d| view! {
                <section aria-labelledby="about-heading">
                    <h2 id="about-heading">{td_string!(locale, field.description)}</h2>
                    <p class="description">{d}</p>
                </section>
            })}
            {details}
            {course.outcomes.map(|o| view! { <crate::outcomes::pages::OutcomesSection locale=locale outcomes=o /> })}
            <p>
                <a href=format!("/institutions/{}", course.institution_code)>
                    {td_string!(locale, institution.link, name = course.institution.clone()).to_string()}
                </a>
            </p>
        </article>
    }
}

#[component]
pub fn CoursePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let data = Resource::new(
        move || params.with(|p| p.get("code").unwrap_or_default()),
        load_course,
    );
    view! {
        <Loaded data=data view={move |course: Course| view! { <CourseView locale=locale course=course /> }} />
    }
}

/// An institution's public page: its catalogue courses and its outcomes.
#[component]
pub fn InstitutionPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let data = Resource::new(
        move || params.with(|p| p.get("code").unwrap_or_default()),
        load_institution,
    );
    view! {
        <Loaded data=data view={move |i: Institution| {
            let city = crate::reference::City::from_code(&i.city)
                .map(|c| c.label(locale).to_string())
                .unwrap_or_else(|| i.city.clone());
            view! {
                <Title text=i.name.clone() />
                <article>
                    <p class="breadcrumb"><a href="/courses">{td_string!(locale, courses_title)}</a></p>
                    <h1>{i.name.clone()}</h1>
                    <p class="lead">{city}</p>
                    <crate::outcomes::pages::OutcomesSection locale=locale outcomes=i.outcomes />
                    <section aria-labelledby="institution-courses">
                        <h2 id="institution-courses">{td_string!(locale, institution.courses, count = i.course_list.len()).to_string()}</h2>
                        <ul>
                            {i.course_list.into_iter().map(|c| view! {
                                <li>
                                    <a href=format!("/courses/{}", c.code)>{c.title}</a>
                                    " · " {td_string!(locale, starts_on, date = c.start_date).to_string()}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                </article>
            }
        }} />
    }
}
