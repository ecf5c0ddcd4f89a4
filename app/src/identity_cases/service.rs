//! 冒用身份 cases: opened when an owner reclaims their number, or on a report (answered the
//! same whether or not the number is registered here; a few an hour from one address); the
//! city's HR officer lists them and freezes, unfreezes or closes each, in the trail.

use super::store::{self, NewCase};
use super::{Action, Case, Report, Source, Status};
use crate::access::Actor;
use crate::accounts::real_name::{case_city, Asserted};
use crate::audit::store::{record_write, Who, Write};
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::{mask_id, mask_name, mask_phone, ResidentId};
use crate::list::{Page, Paging};
use crate::portal::Portal;
use crate::reference::{City, Enumeration};
use crate::storage::Conn;

/// Reports one client address may make in an hour.
pub const REPORTS_PER_HOUR: i64 = 5;
const CLIENT_DOMAIN: &str = "identity-report-client";

/// Opens the case of a number reclaimed from account `user`, in the reclaim's transaction.
pub async fn open_reclaimed(
    portal: &Portal,
    conn: &mut Conn,
    user: i64,
    residence: Option<&str>,
    asserted: &Asserted,
) -> AppResult<i64> {
    let id = ResidentId::parse(&asserted.id_number, portal.clock.today()).ok();
    let city = case_city(residence, id.as_ref());
    let case = NewCase {
        user: Some(user),
        city: &city,
        source: Source::Reclaimed.code(),
        status: Status::Open.code(),
        reporter_name_sealed: None,
        reporter_phone_sealed: None,
        reporter_client_mac: None,
        made: store::made_under(conn, user).await?,
        at: &portal.clock.stamp(),
        secs: portal.clock.seconds(),
    };
    store::insert(conn, &case).await
}

/// `POST /api/v1/identity-reports`: someone says their identity number was registered by
/// someone else. A case opens for the city's HR officer when an account holds the number;
/// the answer is the same when none does (nothing to learn from it).
pub async fn report(portal: &Portal, r: &Report, client: &str) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    let name = match crate::identity::check_name(&r.name) {
        Ok(name) => Some(name),
        Err(_) if r.name.trim().is_empty() => {
            errors.add("name", FieldProblem::Required);
            None
        }
        Err(_) => {
            errors.add("name", FieldProblem::NameCharacters);
            None
        }
    };
    let phone = crate::accounts::phone_code::phone_field(&r.phone, &mut errors);
    let id = match ResidentId::parse(&r.id_number, portal.clock.today()) {
        Ok(id) => Some(id),
        Err(p) => {
            errors.add("id_number", p.into());
            None
        }
    };
    let city = match r.city.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => match City::parse_lenient(c) {
            Some(city) => Some(city),
            None => {
                errors.add("city", FieldProblem::UnknownCode);
                None
            }
        },
    };
    let (Some(name), Some(phone), Some(id)) = (name, phone, id) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let vault = &portal.vault;
    let now = portal.clock.seconds();
    let client_mac = vault.mac(CLIENT_DOMAIN, client);
    let mut tx = portal.db.write_tx().await?;
    let (made, first) = store::reports_from(&mut tx, &client_mac, now - 3600).await?;
    if made >= REPORTS_PER_HOUR {
        let retry_after_secs = first.map_or(3600, |f| f + 3600 - now).max(1) as u64;
        return Err(AppError::TooManyRequests { retry_after_secs });
    }
    let id_mac = vault.mac(crate::accounts::ID_DOMAIN, id.as_str());
    let holder = crate::accounts::real_name_store::holder(&mut tx, &id_mac).await?;
    let (user, residence) = match &holder {
        Some(h) => (
            Some(h.id),
            crate::accounts::store::user(&portal.db, h.id)
                .await?
                .residence_city,
        ),
        None => (None, None),
    };
    let city = city.map_or_else(
        || case_city(residence.as_deref(), Some(&id)),
        |c| c.code().to_string(),
    );
    let made = match user {
        Some(u) => store::made_under(&mut tx, u).await?,
        None => store::Made::default(),
    };
    let case = NewCase {
        user,
        city: &city,
        source: Source::Reported.code(),
        status: if user.is_some() {
            Status::Open.code()
        } else {
            "unmatched"
        },
        reporter_name_sealed: Some(&vault.seal(name.as_bytes())),
        reporter_phone_sealed: Some(&vault.seal(phone.as_bytes())),
        reporter_client_mac: Some(&client_mac),
        made,
        at: &portal.clock.stamp(),
        secs: now,
    };
    // A number no account holds still counts against the address, and opens no case.
    store::insert(&mut tx, &case).await?;
    tx.commit().await?;
    Ok(())
}

fn view(portal: &Portal, r: &store::Row) -> AppResult<Case> {
    let vault = &portal.vault;
    let open = |s: &Option<Vec<u8>>| s.as_deref().map(|b| vault.reveal(b)).transpose();
    Ok(Case {
        id: r.id,
        source: r.source.clone(),
        status: r.status.clone(),
        account: r.user_id,
        account_name: r.name.as_deref().map(mask_name),
        id_number: open(&r.id_sealed)?.map(|id| mask_id(&id)),
        reporter_name: open(&r.reporter_name_sealed)?.map(|n| mask_name(&n)),
        reporter_phone: open(&r.reporter_phone_sealed)?.map(|p| mask_phone(&p)),
        enrollments: r.enrollments,
        claims: r.claims,
        certificates: r.certificates,
        created_at: r.created_at.clone(),
        decided_at: r.decided_at.clone(),
        note: r.note.clone(),
    })
}

/// The HR officer's cases: their city's, newest first (a report of a number no account
/// holds is not one).
pub async fn list(portal: &Portal, actor: &Actor, paging: Paging) -> AppResult<Page<Case>> {
    let city = actor.city()?;
    let (rows, total) = store::list(&portal.db, city.code(), paging).await?;
    let cases = rows
        .iter()
        .map(|r| view(portal, r))
        .collect::<AppResult<Vec<_>>>()?;
    let subjects: Vec<i64> = rows.iter().filter_map(|r| r.user_id).collect();
    let at = portal.clock.stamp();
    crate::audit::store::record_reads(
        &portal.db,
        &at,
        actor.id,
        "identity_cases_read",
        &subjects,
        Some(city.code()),
    )
    .await?;
    Ok(paging.of(cases, total))
}

/// The HR officer of the case's city freezes the account (every session ends; nobody signs
/// in to it), unfreezes it, or closes the case, with a note. Another city's case is not
/// found; a move the case's status does not allow is 409.
pub async fn decide(
    portal: &Portal,
    actor: &Actor,
    id: i64,
    action: &str,
    note: Option<&str>,
) -> AppResult<Case> {
    let city = actor.city()?;
    let action =
        Action::parse(action).ok_or(AppError::field("action", FieldProblem::UnknownCode))?;
    let note = note
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(crate::text::plain_line);
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let row = store::get(&mut tx, id)
        .await?
        .filter(|r| r.city == city.code())
        .ok_or(AppError::NotFound)?;
    let from =
        Status::from_code(&row.status).ok_or_else(|| AppError::Internal("case status".into()))?;
    let to = action
        .next(from)
        .ok_or(AppError::conflict("action", FieldProblem::BadTransition))?;
    if !store::set_status(
        &mut tx,
        id,
        from.code(),
        to.code(),
        actor.id,
        &at,
        note.as_deref(),
    )
    .await?
    {
        return Err(AppError::conflict("action", FieldProblem::BadTransition));
    }
    if let Some(user) = row.user_id {
        match action {
            Action::Freeze => {
                crate::accounts::real_name_store::set_frozen(&mut tx, user, Some(&at)).await?
            }
            Action::Unfreeze => {
                crate::accounts::real_name_store::set_frozen(&mut tx, user, None).await?
            }
            Action::Close => {}
        }
    }
    let write = Write {
        record: format!("identity_case:{id}"),
        action: match action {
            Action::Freeze => "account_frozen",
            Action::Unfreeze => "account_unfrozen",
            Action::Close => "identity_case_closed",
        },
        city: Some(city.code()),
        before: Some(serde_json::json!({"status": from.code()}).to_string()),
        after: Some(serde_json::json!({"status": to.code(), "note": note}).to_string()),
    };
    record_write(&mut tx, &at, &Who::of(&portal.vault, actor), &write).await?;
    tx.commit().await?;
    let mut conn = portal.db.pool().acquire().await?;
    let row = store::get(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    view(portal, &row)
}
