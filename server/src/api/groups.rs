//! Group claims: the trainee's declaration (`/me/groups`) and the HR officer's verification
//! (`/staff/group-claims`).

use super::{ApiError, ApiJson};
use crate::session::Signed;
use crate::state::AppState;
use app::accounts::Profile;
use app::error::{AppError, FieldProblem};
use app::groups::{service, Decision, Declaration, GroupMembership, GroupStatus, StaffGroupClaim};
use app::list::{Page, PageParams};
use app::reference::Enumeration;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde::Deserialize;

/// My groups, each with where it stands (`declared`: awaiting verification, `verified`,
/// `rejected` with the reason) and its document masked.
#[utoipa::path(
    get,
    path = "/me/groups",
    tag = "accounts",
    operation_id = "my_groups",
    params(PageParams),
    responses(
        (status = 200, description = "My groups", body = Page<GroupMembership>),
        (status = 403, description = "Not a trainee", body = super::ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<GroupMembership>>, ApiError> {
    let (paging, _) = super::list_query(&raw, &[])?;
    Ok(Json(
        paging.cut(service::mine(&state.portal, &user.actor).await?),
    ))
}

/// Declare my groups: the whole list; for each new group that brings money or entry its
/// document (`evidence`, by group code: `{"type", "number"}`), the city I live in (`city`,
/// with the first such group) and my separate consent (`consent: true`). Such a group counts
/// once my city's HR officer has verified it. A group left off the list ends; a new city sends
/// verified groups back for verification there.
#[utoipa::path(
    put,
    path = "/me/groups",
    tag = "accounts",
    operation_id = "declare_groups",
    request_body = Declaration,
    responses(
        (status = 200, description = "Saved; my profile with my groups", body = Profile),
        (status = 400, description = "A document, the city or the consent is missing or not valid; `fields` names each (`evidence.veteran.number`)", body = super::ErrorBody),
        (status = 403, description = "Not a trainee", body = super::ErrorBody),
    )
)]
pub async fn declare(
    State(state): State<AppState>,
    Signed(user): Signed,
    ApiJson(body): ApiJson<Declaration>,
) -> Result<Json<Profile>, ApiError> {
    service::declare(&state.portal, &user.actor, &body).await?;
    Ok(Json(
        app::accounts::service::profile(&state.portal, &user.actor).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct GroupQueueQuery {
    /// `declared`, `verified` or `rejected`; all when absent.
    #[param(inline)]
    status: Option<GroupStatus>,
}

/// The group claims of people living in the HR officer's city that need verification, oldest
/// first. People and documents are masked; the people shown are written to the audit log.
#[utoipa::path(
    get,
    path = "/staff/group-claims",
    tag = "staff",
    operation_id = "group_claims",
    params(GroupQueueQuery, PageParams),
    responses(
        (status = 200, description = "One page of the claims", body = Page<StaffGroupClaim>),
        (status = 400, description = "Unknown status", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
    )
)]
pub async fn queue(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<StaffGroupClaim>>, ApiError> {
    let (paging, filters) = super::list_query(&raw, &["status"])?;
    let status = match filters.get("status") {
        None => None,
        Some(code) => Some(
            GroupStatus::from_code(code)
                .ok_or(AppError::field("status", FieldProblem::UnknownCode))?,
        ),
    };
    Ok(Json(
        service::queue(&state.portal, &user.actor, status, paging).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct GroupDecisionBody {
    /// `verify`, or `reject` (needs `reason`).
    decision: String,
    reason: Option<String>,
}

/// Verify a group claim of a person living in the officer's city, or reject it with a reason.
/// Any application waiting for it is decided at once.
#[utoipa::path(
    post,
    path = "/staff/group-claims/{id}/decision",
    tag = "staff",
    operation_id = "decide_group_claim",
    params(("id" = i64, Path, description = "The group claim")),
    request_body = GroupDecisionBody,
    responses(
        (status = 200, description = "The claim as decided", body = StaffGroupClaim),
        (status = 400, description = "Unknown decision, or a rejection without a reason", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
        (status = 404, description = "No such claim in the officer's city", body = super::ErrorBody),
        (status = 409, description = "Already decided", body = super::ErrorBody),
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<GroupDecisionBody>,
) -> Result<Json<StaffGroupClaim>, ApiError> {
    let decision = Decision::parse(&body.decision)?;
    Ok(Json(
        service::decide(
            &state.portal,
            &user.actor,
            id,
            decision,
            body.reason.as_deref(),
        )
        .await?,
    ))
}
