//! The catalogue's pages: home (search and the industry areas) and the course list with its
//! filters. They render on the server; their data comes through server functions that call
//! `service`. A course and an institution have their own page (`course_page`).

use super::live::LiveCatalogue;
use super::{Course, CourseList, CourseQuery, Sort};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::prefs::use_locale;
use crate::reference::{
    Accessibility, City, ClassFormat, ClassType, Enumeration, Group, Industry, Level,
};
use crate::shell::Loaded;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server]
pub async fn industry_counts() -> Result<Vec<(Industry, u64)>, AppError> {
    super::service::industry_counts(&crate::portal::from_context()?).await
}

#[server]
pub async fn search_courses(
    pairs: Vec<(String, String)>,
) -> Result<(CourseQuery, CourseList, chrono::NaiveDate), AppError> {
    let query = CourseQuery::parse(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        super::Strictness::Lenient,
    )?;
    let portal = crate::portal::from_context()?;
    let asked = query.with_page_defaults();
    let list = if asked.eligible == Some(true) {
        let actor = crate::access::current_user().map(|u| u.actor);
        crate::eligibility::service::search(&portal, actor.as_ref(), &asked).await?
    } else {
        super::service::search(&portal, &asked).await?
    };
    Ok((query, list, portal.clock.today()))
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
            <Loaded data=counts view={move |counts: Vec<(Industry, u64)>| view! {
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
            }} />
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
        Sort::Deadline => td_string!(locale, sort_deadline),
    }
}

#[component]
fn Filters(locale: Locale, query: CourseQuery, facets: super::Facets) -> impl IntoView {
    // The default order (relevance with words, else the soonest deadline) is the empty value,
    // so it stays out of the address.
    let sorts = Sort::ALL
        .into_iter()
        .map(|s| {
            let (value, label) = if s == Sort::default() {
                ("", td_string!(locale, sort_default))
            } else {
                (s.code(), sort_label(locale, s))
            };
            view! { <option value=value selected=s == query.sort>{label}</option> }
        })
        .collect_view();
    let active = query.active_filters();
    let needs: Vec<Accessibility> = query.accessibility.clone();
    let need_counts = facets.get("accessibility").cloned().unwrap_or_default();
    let districts: Vec<(String, u64)> = if query.city.is_empty() {
        Vec::new()
    } else {
        facets
            .get("district")
            .map(|d| d.iter().map(|(k, v)| (k.clone(), *v)).collect())
            .unwrap_or_default()
    };
    let chosen_district = query.district.first().cloned().unwrap_or_default();
    let trainee = crate::access::current_user().is_some_and(|u| u.actor.trainee().is_ok());
    view! {
        // Results first on a phone: the filters fold behind "筛选 (N)" (a <details>, so without
        // JS too); on a wide screen they stand beside the results.
        <details class="filter-panel">
        <summary>{td_string!(locale, filters_toggle, count = active).to_string()}</summary>
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
            <div class="field">
                <label for="f-level">{td_string!(locale, field.level)}</label>
                <select id="f-level" name="level">
                    <option value="">{td_string!(locale, filter_any)}</option>
                    {options::<Level>(locale, &query.level, facets.get("level"))}
                </select>
            </div>
            <div class="field">
                <label for="f-type">{td_string!(locale, field.class_type)}</label>
                <select id="f-type" name="class_type">
                    <option value="">{td_string!(locale, filter_any)}</option>
                    {options::<ClassType>(locale, &query.class_type, facets.get("class_type"))}
                </select>
            </div>
            <fieldset class="field">
                <legend>{td_string!(locale, field.accessibility)}</legend>
                {Accessibility::all().iter().map(|a| {
                    let id = format!("f-acc-{}", a.code());
                    let n = need_counts.get(a.code()).copied().unwrap_or(0);
                    let label = match locale {
                        Locale::en => format!("{} ({n})", a.label(locale)),
                        _ => format!("{}（{n}）", a.label(locale)),
                    };
                    view! {
                        <div class="checks">
                            <input id=id.clone() type="checkbox" name="accessibility" value=a.code() checked=needs.contains(a) />
                            <label for=id>{label}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field checks">
                <input id="f-free" type="checkbox" name="free" value="true" checked=query.free == Some(true) />
                <label for="f-free">{td_string!(locale, filter_free)}</label>
            </div>
            <div class="field checks">
                <input id="f-seats" type="checkbox" name="has_seats" value="true" checked=query.has_seats == Some(true) />
                <label for="f-seats">{td_string!(locale, filter_has_seats)}</label>
            </div>
            <div class="field checks">
                <input id="f-closed" type="checkbox" name="open" value="false" checked=query.open == Some(false) />
                <label for="f-closed">{td_string!(locale, filter_include_closed)}</label>
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
        </details>
    }
}

pub(super) fn money_line(locale: Locale, course: &Course) -> String {
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

pub(super) fn seats_line(locale: Locale, course: &Course) -> String {
    if course.seats_left == 0 {
        td_string!(locale, seats_full).to_string()
    } else {
        td_string!(locale, seats_left, seats = course.seats_left).to_string()
    }
}

#[component]
fn CourseCard(locale: Locale, course: Course, today: chrono::NaiveDate) -> impl IntoView {
    let closed = course.enroll_deadline < today;
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
                {if closed {
                    view! { <li class="full">{td_string!(locale, deadline_passed)}</li> }.into_any()
                } else {
                    view! { <li>{td_string!(locale, deadline_on, date = course.enroll_deadline).to_string()}</li> }.into_any()
                }}
                <li>{course.class_format.label(locale)}</li>
                <li>{money_line(locale, &course)}</li>
                <li class:full=course.seats_left == 0>{seats_line(locale, &course)}</li>
            </ul>
        </li>
    }
}

/// What the words were read as and, when nothing matched, the way on: occupations to try,
/// the same words without the filters, and the other cities where they find courses.
#[component]
fn SearchHelp(locale: Locale, query: CourseQuery, list: CourseList) -> impl IntoView {
    let understood = list.understood.clone().unwrap_or_default();
    let words = match locale {
        Locale::en => understood.searched.join("”, “"),
        _ => understood.searched.join("」「"),
    };
    let searched = (!understood.searched.is_empty())
        .then(|| td_string!(locale, searched_for, words = words.clone()).to_string());
    let relaxed = understood.relaxed.clone();
    let place_relaxed = relaxed.iter().any(|r| r == "city" || r == "district");
    let format_relaxed = relaxed.iter().any(|r| r == "class_format");
    let nothing = list.items.is_empty() && list.total == 0;
    // The same words, order and page size, without a filter.
    let filtered = {
        let bare = CourseQuery {
            q: query.q.clone(),
            sort: query.sort,
            per_page: query.per_page,
            ..CourseQuery::default()
        };
        let asked = CourseQuery {
            page: 1,
            ..query.clone()
        };
        (query.q.is_some() && bare != asked).then_some(bare)
    };
    let other_cities: Vec<(City, u64)> = if query.city.is_empty() {
        Vec::new()
    } else {
        list.facets
            .get("city")
            .map(|counts| {
                counts
                    .iter()
                    .filter_map(|(code, n)| City::from_code(code).map(|c| (c, *n)))
                    .filter(|(c, n)| *n > 0 && !query.city.contains(c))
                    .take(6)
                    .collect()
            })
            .unwrap_or_default()
    };
    let suggestions = understood.suggestions.clone();
    view! {
        {searched.map(|s| view! { <p class="search-understood">{s}</p> })}
        {place_relaxed.then(|| view! { <p class="search-relaxed">{td_string!(locale, relaxed_place)}</p> })}
        {format_relaxed.then(|| view! { <p class="search-relaxed">{td_string!(locale, relaxed_format)}</p> })}
        {nothing.then(move || view! {
            <div class="no-results">
                <p>{td_string!(locale, no_results)}</p>
                {(!suggestions.is_empty()).then(|| view! {
                    <p>{td_string!(locale, try_occupations)}</p>
                    <ul class="suggestions">
                        {suggestions.into_iter().map(|o| {
                            let href = CourseQuery { q: Some(o.clone()), ..CourseQuery::default() }.href(1);
                            view! { <li><a href=href>{o}</a></li> }
                        }).collect_view()}
                    </ul>
                })}
                {filtered.map(|bare| view! {
                    <p><a href=bare.href(1)>{td_string!(locale, search_without_filters, words = words.clone()).to_string()}</a></p>
                })}
                {(!other_cities.is_empty()).then(|| view! {
                    <p>{td_string!(locale, other_cities)}</p>
                    <ul class="suggestions">
                        {other_cities.into_iter().map(|(city, n)| {
                            let href = CourseQuery { city: vec![city], page: 1, ..query.clone() }.href(1);
                            let label = match locale {
                                Locale::en => format!("{} ({n})", city.label(locale)),
                                _ => format!("{}（{n}）", city.label(locale)),
                            };
                            view! { <li><a href=href>{label}</a></li> }
                        }).collect_view()}
                    </ul>
                })}
            </div>
        })}
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
        <Loaded data=results view={move |(query, list, today): (CourseQuery, CourseList, chrono::NaiveDate)| view! {
            <LiveCatalogue>
                <div id=super::live::CATALOGUE_ID class="catalogue">
                    <Filters locale=locale query=query.clone() facets=list.facets.clone() />
                    <section class="results" aria-labelledby="results-heading">
                        <h2 id="results-heading" class="results-total">
                            {td_string!(locale, results_total, total = list.total).to_string()}
                        </h2>
                        <SearchHelp locale=locale query=query.clone() list=list.clone() />
                        <ol class="course-list">
                            {list.items.clone().into_iter().map(|c| view! { <CourseCard locale=locale course=c today=today /> }).collect_view()}
                        </ol>
                        <Pagination locale=locale query=query list=list />
                    </section>
                </div>
            </LiveCatalogue>
        }} />
    }
}
