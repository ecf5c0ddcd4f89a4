//! The catalogue's pages: home (search + industry areas), the course list and a course.
//! They render on the server; their data comes through server functions that call `service`.

use super::live::LiveCatalogue;
use super::{Course, CourseList, CourseQuery, OpenTo, Sort};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::prefs::use_locale;
use crate::reference::{City, ClassFormat, Enumeration, Group, Industry};
use crate::shell::{redirect, set_status, ErrorNotice};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[cfg(feature = "ssr")]
fn portal() -> Result<crate::portal::Portal, AppError> {
    use_context::<crate::portal::Portal>()
        .ok_or_else(|| AppError::Internal("no portal in context".into()))
}

#[server]
pub async fn industry_counts() -> Result<Vec<(Industry, u64)>, AppError> {
    super::service::industry_counts(&portal()?).await
}

#[server]
pub async fn search_courses(
    pairs: Vec<(String, String)>,
) -> Result<(CourseQuery, CourseList), AppError> {
    let query = CourseQuery::parse(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        super::Strictness::Lenient,
    )?;
    let user = crate::accounts::current_user();
    let list = crate::enrollment::service::search(&portal()?, user.as_ref(), &query).await?;
    Ok((query, list))
}

#[server]
pub async fn load_course(code: String) -> Result<Course, AppError> {
    super::service::get_with_outcomes(&portal()?, &code).await
}

#[server]
pub async fn load_institution(code: String) -> Result<super::Institution, AppError> {
    super::service::institution(&portal()?, &code).await
}

#[component]
fn SearchForm(locale: Locale, #[prop(optional)] q: Option<String>) -> impl IntoView {
    view! {
        <form class="search-form" method="get" action="/courses" role="search">
            <label for="search-q">{td_string!(locale, search_label)}</label>
            <p class="hint" id="search-q-hint">{td_string!(locale, search_hint)}</p>
            <div class="search-row">
                <input
                    id="search-q"
                    name="q"
                    type="search"
                    value=q
                    maxlength="100"
                    aria-describedby="search-q-hint"
                    autocomplete="off"
                />
                <button type="submit">{td_string!(locale, search_button)}</button>
            </div>
        </form>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    let counts = Resource::new(|| (), |_| industry_counts());
    view! {
        <Title text=td_string!(locale, site_name) />
        <section class="hero">
            <h1>{td_string!(locale, home_title)}</h1>
            <p class="lead">{td_string!(locale, home_lead)}</p>
            <SearchForm locale=locale />
        </section>
        <section aria-labelledby="industries-heading">
            <h2 id="industries-heading">{td_string!(locale, industries_heading)}</h2>
            <Suspense>
                {move || Suspend::new(async move {
                    match counts.await {
                        Ok(counts) => view! {
                            <ul class="industry-grid">
                                {counts.into_iter().map(|(industry, n)| view! {
                                    <li>
                                        <a href=format!("/courses?industry={}", industry.code())>
                                            <span class="industry-name">{industry.label(locale)}</span>
                                            <span class="industry-count">{td_string!(locale, items_count, count = n).to_string()}</span>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The options of a facet's select, each with its count of courses.
fn options<E: Enumeration + PartialEq>(
    locale: Locale,
    chosen: &[E],
    counts: Option<&std::collections::BTreeMap<String, u64>>,
) -> impl IntoView {
    E::all()
        .iter()
        .map(|v| {
            let selected = chosen.first() == Some(v);
            let n = counts.and_then(|c| c.get(v.code())).copied().unwrap_or(0);
            let label = match counts {
                Some(_) => format!("{}（{n}）", v.label(locale)),
                None => v.label(locale).to_string(),
            };
            view! { <option value=v.code() selected=selected>{label}</option> }
        })
        .collect_view()
}

fn sort_label(locale: Locale, sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => td_string!(locale, sort_relevance),
        Sort::StartDate => td_string!(locale, sort_start_date),
        Sort::Subsidy => td_string!(locale, sort_subsidy),
    }
}

#[component]
fn Filters(locale: Locale, query: CourseQuery, facets: super::Facets) -> impl IntoView {
    let sorts = Sort::ALL
        .into_iter()
        .map(|s| {
            // The default order is the empty value, so it stays out of the address.
            let value = if s == Sort::default() { "" } else { s.code() };
            view! { <option value=value selected=s == query.sort>{sort_label(locale, s)}</option> }
        })
        .collect_view();
    let districts: Vec<(String, u64)> = if query.city.is_empty() {
        Vec::new()
    } else {
        facets
            .get("district")
            .map(|d| d.iter().map(|(k, v)| (k.clone(), *v)).collect())
            .unwrap_or_default()
    };
    let chosen_district = query.district.first().cloned().unwrap_or_default();
    let trainee =
        crate::accounts::current_user().is_some_and(|u| u.role == crate::accounts::Role::Trainee);
    view! {
        <form id=super::live::FILTERS_ID class="filters" method="get" action="/courses" aria-labelledby="filters-heading">
            <h2 id="filters-heading">{td_string!(locale, filters_heading)}</h2>
            <div class="field">
                <label for="f-q">{td_string!(locale, filter_keyword)}</label>
                <input id="f-q" name="q" type="search" maxlength="100" value=query.q.clone() />
            </div>
            <div class="field">
                <label for="f-industry">{td_string!(locale, filter_industry)}</label>
                <select id="f-industry" name="industry">
                    <option value="">{td_string!(locale, filter_any)}</option>
                    {options::<Industry>(locale, &query.industry, facets.get("industry"))}
                </select>
            </div>
            <div class="field">
                <label for="f-city">{td_string!(locale, filter_city)}</label>
                <select id="f-city" name="city">
                    <option value="">{td_string!(locale, filter_any)}</option>
                    {options::<City>(locale, &query.city, facets.get("city"))}
                </select>
            </div>
            {(!districts.is_empty()).then(|| view! {
                <div class="field">
                    <label for="f-district">{td_string!(locale, filter_district)}</label>
                    <select id="f-district" name="district">
                        <option value="">{td_string!(locale, filter_any)}</option>
                        {districts.into_iter().map(|(d, n)| {
                            let selected = d == chosen_district;
                            view! { <option value=d.clone() selected=selected>{format!("{d}（{n}）")}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <div class="field">
                <label for="f-group">{td_string!(locale, filter_group)}</label>
                <select id="f-group" name="group">
                    <option value="">{td_string!(locale, filter_any)}</option>
                    {options::<Group>(locale, &query.group, None)}
                </select>
            </div>
            <div class="field">
                <label for="f-format">{td_string!(locale, filter_class_format)}</label>
                <select id="f-format" name="class_format">
                    <option value="">{td_string!(locale, filter_any)}</option>
                    {options::<ClassFormat>(locale, &query.class_format, facets.get("class_format"))}
                </select>
            </div>
            <div class="field checks">
                <input id="f-free" type="checkbox" name="free" value="true" checked=query.free == Some(true) />
                <label for="f-free">{td_string!(locale, filter_free)}</label>
            </div>
            <div class="field checks">
                <input id="f-seats" type="checkbox" name="has_seats" value="true" checked=query.has_seats == Some(true) />
                <label for="f-seats">{td_string!(locale, filter_has_seats)}</label>
            </div>
            {trainee.then(|| view! {
                <div class="field checks">
                    <input id="f-eligible" type="checkbox" name="eligible" value="true" checked=query.eligible == Some(true) />
                    <label for="f-eligible">{td_string!(locale, filter_eligible)}</label>
                </div>
            })}
            <div class="field">
                <label for="f-sort">{td_string!(locale, sort_label)}</label>
                <select id="f-sort" name="sort">{sorts}</select>
            </div>
            <button type="submit">{td_string!(locale, apply_filters)}</button>
        </form>
    }
}

fn money_line(locale: Locale, course: &Course) -> String {
    let fee = if course.is_free() {
        td_string!(locale, free).to_string()
    } else {
        td_string!(locale, fee_amount, amount = course.fee_yuan).to_string()
    };
    if course.subsidy_yuan.is_zero() {
        fee
    } else {
        format!(
            "{fee} · {}",
            td_string!(locale, subsidy_amount, amount = course.subsidy_yuan)
        )
    }
}

fn seats_line(locale: Locale, course: &Course) -> String {
    if course.seats_left == 0 {
        td_string!(locale, seats_full).to_string()
    } else {
        td_string!(locale, seats_left, seats = course.seats_left).to_string()
    }
}

#[component]
fn CourseCard(locale: Locale, course: Course) -> impl IntoView {
    let place = match &course.district {
        Some(d) => format!("{} · {d}", course.city.label(locale)),
        None => course.city.label(locale).to_string(),
    };
    view! {
        <li class="course-card">
            <h3>
                <a href=format!("/courses/{}", course.code)>{course.title.clone()}</a>
                {course.demo.then(|| view! { <span class="badge">{td_string!(locale, demo_badge)}</span> })}
            </h3>
            <p class="course-where">{place} " · " {course.institution.clone()}</p>
            <ul class="course-facts">
                <li>{td_string!(locale, starts_on, date = course.start_date).to_string()}</li>
                <li>{course.class_format.label(locale)}</li>
                <li>{money_line(locale, &course)}</li>
                <li class:full=course.seats_left == 0>{seats_line(locale, &course)}</li>
            </ul>
        </li>
    }
}

#[component]
fn Pagination(locale: Locale, query: CourseQuery, list: CourseList) -> impl IntoView {
    let pages = list.pages();
    let page = list.page;
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label=td_string!(locale, pagination_label)>
                {(page > 1).then(|| view! { <a rel="prev" href=query.href(page - 1)>{td_string!(locale, page_prev)}</a> })}
                <span>{td_string!(locale, page_status, page = page, pages = pages).to_string()}</span>
                {(page < pages).then(|| view! { <a rel="next" href=query.href(page + 1)>{td_string!(locale, page_next)}</a> })}
            </nav>
        }
    })
}

#[component]
pub fn CoursesPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let results = Resource::new(
        move || {
            query.with(|q| {
                q.into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<Vec<_>>()
            })
        },
        search_courses,
    );
    view! {
        <Title text=td_string!(locale, courses_title) />
        <h1>{td_string!(locale, courses_title)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match results.await {
                    Ok((query, list)) => view! {
                        <LiveCatalogue>
                            <div id=super::live::CATALOGUE_ID class="catalogue">
                                <Filters locale=locale query=query.clone() facets=list.facets.clone() />
                                <section class="results" aria-labelledby="results-heading">
                                    <h2 id="results-heading" class="results-total">
                                        {td_string!(locale, results_total, total = list.total).to_string()}
                                    </h2>
                                    {list.items.is_empty().then(|| view! { <p>{td_string!(locale, no_results)}</p> })}
                                    <ol class="course-list">
                                        {list.items.clone().into_iter().map(|c| view! { <CourseCard locale=locale course=c /> }).collect_view()}
                                    </ol>
                                    <Pagination locale=locale query=query list=list />
                                </section>
                            </div>
                        </LiveCatalogue>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
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

#[component]
fn CourseDetails(locale: Locale, course: Course) -> impl IntoView {
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
    let rows: Vec<(&'static str, String)> = vec![
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
            td_string!(locale, field.city),
            course.city.label(locale).into(),
        ),
        (td_string!(locale, field.district), opt(&course.district)),
        (
            td_string!(locale, field.institution),
            course.institution.clone(),
        ),
        (
            td_string!(locale, field.evaluation_org),
            opt(&course.evaluation_org),
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
            td_string!(locale, field.class_format),
            course.class_format.label(locale).into(),
        ),
        (
            td_string!(locale, field.class_type),
            course.class_type.label(locale).into(),
        ),
        (
            td_string!(locale, field.groups),
            groups_text(locale, &course.groups),
        ),
        (td_string!(locale, field.age), age_text(locale, &course)),
        (
            td_string!(locale, field.hours),
            td_string!(locale, hours_value, hours = course.hours).to_string(),
        ),
        (
            td_string!(locale, field.dates),
            td_string!(
                locale,
                date_range,
                start = course.start_date,
                end = course.end_date
            )
            .to_string(),
        ),
        (
            td_string!(locale, field.enroll_deadline),
            course.enroll_deadline.to_string(),
        ),
        (
            td_string!(locale, field.capacity),
            td_string!(locale, people, count = course.capacity).to_string(),
        ),
        (
            td_string!(locale, field.seats_left),
            seats_line(locale, &course),
        ),
        (
            td_string!(locale, field.fee),
            if course.is_free() {
                td_string!(locale, free).to_string()
            } else {
                yuan(course.fee_yuan)
            },
        ),
        (td_string!(locale, field.subsidy), yuan(course.subsidy_yuan)),
        (td_string!(locale, field.accessibility), accessibility),
        (td_string!(locale, field.address), course.address.clone()),
        (
            td_string!(locale, field.contact_phone),
            opt(&course.contact_phone),
        ),
    ];
    view! {
        <Title text=course.title.clone() />
        <article class="course">
            <p class="breadcrumb"><a href="/courses">{td_string!(locale, courses_title)}</a></p>
            <h1>
                {course.title.clone()}
                {course.demo.then(|| view! { <span class="badge">{td_string!(locale, demo_badge)}</span> })}
            </h1>
            <p class="lead">{money_line(locale, &course)} " · " {seats_line(locale, &course)}</p>
            {course.description.clone().map(|d| view! {
                <section aria-labelledby="about-heading">
                    <h2 id="about-heading">{td_string!(locale, field.description)}</h2>
                    <p class="description">{d}</p>
                </section>
            })}
            <section aria-labelledby="details-heading">
                <h2 id="details-heading">{td_string!(locale, course_details)}</h2>
                <dl class="details">
                    {rows.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
                </dl>
            </section>
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
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(course) => {
                        let code = course.code.clone();
                        view! {
                            <CourseDetails locale=locale course=course />
                            <crate::enrollment::pages::EnrolPanel code=code />
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// An import's outcome in words: created, updated, unchanged (or what a check would do).
#[cfg(feature = "ssr")]
pub fn import_summary(locale: Locale, r: &super::service::ImportReport) -> String {
    if r.dry_run {
        td_string!(
            locale,
            upload.checked,
            created = r.created,
            updated = r.updated,
            unchanged = r.unchanged
        )
        .to_string()
    } else {
        td_string!(
            locale,
            upload.done,
            created = r.created,
            updated = r.updated,
            unchanged = r.unchanged
        )
        .to_string()
    }
}

/// The HR officer's upload page: the city's catalogue as CSV or XLSX, checked and imported by
/// the same code as `peixun import-catalog` and `POST /api/v1/staff/catalog/import`. A plain
/// multipart form; the report comes back on this page.
#[component]
pub fn UploadPage() -> impl IntoView {
    let locale = use_locale();
    let state = use_context::<crate::accounts::FormState>().unwrap_or_default();
    let user = crate::accounts::current_user();
    if user.is_none() {
        redirect("/login");
    }
    let officer = user
        .as_ref()
        .is_some_and(|u| u.role == crate::accounts::Role::HrOfficer);
    if user.is_some() && !officer {
        set_status(403);
    } else if state.status != 0 {
        set_status(state.status);
    }
    let city = user
        .and_then(|u| u.scope)
        .and_then(|c| City::from_code(&c))
        .map(|c| c.label(locale))
        .unwrap_or_default();
    let details = state
        .details
        .iter()
        .map(|d| view! { <li>{d.clone()}</li> })
        .collect_view();
    let outcome = state.message.clone().map(|m| {
        if state.status >= 400 {
            view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h2>{m}</h2>
                    <ul>{details}</ul>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="notice-ok" role="status">
                    <p>{m}</p>
                    <ul>{details}</ul>
                </div>
            }
            .into_any()
        }
    });
    view! {
        <Title text=td_string!(locale, upload.title) />
        <div class="narrow">
            <h1>{td_string!(locale, upload.title)}</h1>
            {if officer {
                view! {
                    <p class="lead">{td_string!(locale, upload.lead, city = city).to_string()}</p>
                    {outcome}
                    <form method="post" action="/staff/catalog" enctype="multipart/form-data">
                        <div class="field">
                            <label for="file">{td_string!(locale, upload.file)}</label>
                            <p class="hint" id="file-hint">{td_string!(locale, upload.file_hint)}</p>
                            <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv" aria-describedby="file-hint" required />
                        </div>
                        <div class="field checks">
                            <input id="dry_run" type="checkbox" name="dry_run" value="true" />
                            <label for="dry_run">{td_string!(locale, upload.dry_run)}</label>
                        </div>
                        <button type="submit">{td_string!(locale, upload.submit)}</button>
                    </form>
                }
                .into_any()
            } else {
                view! { <p>{td_string!(locale, upload.only_officers)}</p> }.into_any()
            }}
        </div>
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
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(i) => {
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
                        .into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
