//! The directories' pages: 承训机构目录 (`/institutions`) and 评价机构目录
//! (`/evaluation-orgs`), by city and industry — plain GET forms, usable without JS.

use super::directory::EvaluationOrgSummary;
use super::{DirectoryQuery, InstitutionSummary};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::list::Page;
use crate::outcomes::Outcomes;
use crate::prefs::use_locale;
use crate::reference::{City, Enumeration, Industry};
use crate::shell::{Loaded, Pager};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The directory's question from the page's address; parameters of other uses (a tracking
/// tag in a shared link) are left out rather than refused.
#[cfg(feature = "ssr")]
fn asked(pairs: &[(String, String)]) -> Result<DirectoryQuery, AppError> {
    DirectoryQuery::parse(
        pairs
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "city" | "industry" | "page" | "per_page"))
            .map(|(k, v)| (k.as_str(), v.as_str())),
    )
}

#[server]
pub async fn load_institutions(
    pairs: Vec<(String, String)>,
) -> Result<(DirectoryQuery, Page<InstitutionSummary>), AppError> {
    let query = asked(&pairs)?;
    let portal = crate::portal::from_context()?;
    let page = super::directory_service::institutions(&portal, &query).await?;
    Ok((query, page))
}

#[server]
pub async fn load_evaluation_orgs(
    pairs: Vec<(String, String)>,
) -> Result<(DirectoryQuery, Page<EvaluationOrgSummary>), AppError> {
    let query = asked(&pairs)?;
    let portal = crate::portal::from_context()?;
    let page = super::directory_service::evaluation_orgs(&portal, &query).await?;
    Ok((query, page))
}

/// The address of page `page` of a directory at `path` for `query`.
fn href(path: &str, query: &DirectoryQuery, page: u32) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    pairs.extend(query.city.iter().map(|c| ("city", c.code().to_string())));
    pairs.extend(
        query
            .industry
            .iter()
            .map(|i| ("industry", i.code().to_string())),
    );
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    if query.per_page != crate::list::DEFAULT_PER_PAGE {
        pairs.push(("per_page", query.per_page.to_string()));
    }
    if pairs.is_empty() {
        return path.to_string();
    }
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
        .finish();
    format!("{path}?{encoded}")
}

fn address_pairs() -> Memo<Vec<(String, String)>> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|q| {
            q.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
    })
}

/// The city and industry choice, a GET form to `path`.
#[component]
fn DirectoryFilters(locale: Locale, path: &'static str, query: DirectoryQuery) -> impl IntoView {
    let city = query.city.first().copied();
    let industry = query.industry.first().copied();
    view! {
        <form class="directory-filters" method="get" action=path>
            <div class="field">
                <label for="d-city">{td_string!(locale, filter_city)}</label>
                <select id="d-city" name="city">
                    <option value="">{td_string!(locale, filter_any)}</option>
                    {City::all().iter().map(|c| view! {
                        <option value=c.code() selected=city == Some(*c)>{c.label(locale)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="d-industry">{td_string!(locale, filter_industry)}</label>
                <select id="d-industry" name="industry">
                    <option value="">{td_string!(locale, filter_any)}</option>
                    {Industry::all().iter().map(|i| view! {
                        <option value=i.code() selected=industry == Some(*i)>{i.label(locale)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">{td_string!(locale, directory.show)}</button>
        </form>
    }
}

/// An entry's outcomes in one line: what is published, or why nothing is.
fn outcomes_line(locale: Locale, o: &Outcomes) -> String {
    let Some(enrolled) = o.enrolled else {
        return td_string!(locale, directory.outcomes_hidden, min = o.min_people).to_string();
    };
    let mut parts = vec![td_string!(locale, directory.trained, count = enrolled).to_string()];
    if let Some(r) = o.certificate_rate {
        parts.push(td_string!(locale, directory.certificate_rate, rate = r).to_string());
    }
    if let Some(r) = o.employment_rate {
        parts.push(td_string!(locale, directory.employment_rate, rate = r).to_string());
    }
    parts.join(" · ")
}

/// At most eight names, joined as the language lists them, "…" when there are more.
fn some(locale: Locale, names: &[String]) -> String {
    let sep = match locale {
        Locale::en => ", ",
        _ => "、",
    };
    let mut text = names.iter().take(8).cloned().collect::<Vec<_>>().join(sep);
    if names.len() > 8 {
        text.push_str(" …");
    }
    text
}

fn city_name(locale: Locale, code: &str) -> String {
    City::from_code(code)
        .map(|c| c.label(locale).to_string())
        .unwrap_or_else(|| code.to_string())
}

#[component]
pub fn InstitutionsPage() -> impl IntoView {
    let locale = use_locale();
    let pairs = address_pairs();
    let data = Resource::new(move || pairs.get(), load_institutions);
    view! {
        <Title text=td_string!(locale, directory.institutions_title) />
        <h1>{td_string!(locale, directory.institutions_title)}</h1>
        <p class="lead">{td_string!(locale, directory.institutions_lead)}</p>
        <p><a href="/evaluation-orgs">{td_string!(locale, directory.orgs_title)}</a></p>
        <Loaded data=data view={move |(query, page): (DirectoryQuery, Page<InstitutionSummary>)| {
            let pages = page.pages();
            let q = query.clone();
            view! {
                <DirectoryFilters locale=locale path="/institutions" query=query.clone() />
                <h2 class="results-total">{td_string!(locale, directory.total, count = page.total).to_string()}</h2>
                <ul class="directory">
                    {page.items.into_iter().map(|i| view! {
                        <li class="directory-entry">
                            <h3><a href=format!("/institutions/{}", i.code)>{i.name.clone()}</a></h3>
                            <p>{city_name(locale, &i.city)} " · " {td_string!(locale, directory.courses, count = i.courses).to_string()}</p>
                            <p>{td_string!(locale, directory.occupations)} "：" {some(locale, &i.occupations)}</p>
                            <p class="hint">{outcomes_line(locale, &i.outcomes)}</p>
                        </li>
                    }).collect_view()}
                </ul>
                <Pager locale=locale at=page.page pages=pages href=move |n| href("/institutions", &q, n) />
            }
        }} />
    }
}

#[component]
pub fn EvaluationOrgsPage() -> impl IntoView {
    let locale = use_locale();
    let pairs = address_pairs();
    let data = Resource::new(move || pairs.get(), load_evaluation_orgs);
    view! {
        <Title text=td_string!(locale, directory.orgs_title) />
        <h1>{td_string!(locale, directory.orgs_title)}</h1>
        <p class="lead">{td_string!(locale, directory.orgs_lead)}</p>
        <p><a href="/institutions">{td_string!(locale, directory.institutions_title)}</a></p>
        <Loaded data=data view={move |(query, page): (DirectoryQuery, Page<EvaluationOrgSummary>)| {
            let pages = page.pages();
            let q = query.clone();
            view! {
                <DirectoryFilters locale=locale path="/evaluation-orgs" query=query.clone() />
                <h2 class="results-total">{td_string!(locale, directory.total, count = page.total).to_string()}</h2>
                <ul class="directory">
                    {page.items.into_iter().map(|o| {
                        let cities: Vec<String> = o.cities.iter().map(|c| city_name(locale, c)).collect();
                        view! {
                            <li class="directory-entry">
                                <h3>{o.name.clone()}</h3>
                                <p>{td_string!(locale, directory.code)} "：" <span class="code">{o.code.clone()}</span></p>
                                <p>{some(locale, &cities)} " · " {td_string!(locale, directory.courses, count = o.courses).to_string()}</p>
                                <p>{td_string!(locale, directory.occupations)} "：" {some(locale, &o.occupations)}</p>
                                <p class="hint">{outcomes_line(locale, &o.outcomes)}</p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Pager locale=locale at=page.page pages=pages href=move |n| href("/evaluation-orgs", &q, n) />
            }
        }} />
    }
}
