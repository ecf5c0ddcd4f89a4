//! Security events, for the deployment's log collector (网络安全法 art. 21 asks an operator to
//! keep such logs for at least six months): sign-ins and their failures, locks, clients over
//! their limit, accounts made and deleted, passwords changed, and every write to the audit
//! trail. Each is one `tracing` event under the target `security`, which the server writes as
//! JSON lines of its own (on standard output while serving), under the request's span and so
//! its id.
//!
//! What is in them: account ids, roles, scopes, the client's address as the limits count it,
//! records and actions. What never is: a phone, a password, an identity number, a name, or a
//! record's values (the trail in the database keeps those, sealed where personal). An unknown
//! phone is a keyed reference (`phone_ref`), the same for the same phone, so an attack on one
//! number reads as one.

/// The target every security event carries.
pub const TARGET: &str = "security";

/// Why a sign-in was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No account has the phone.
    NoAccount,
    /// The password was wrong.
    Password,
    /// The phone is locked for this client after too many failures.
    Locked,
    /// The phone signs in only with a texted code now, and none (or a wrong one) came.
    CodeRequired,
}

impl Failure {
    pub fn code(self) -> &'static str {
        match self {
            Failure::NoAccount => "no_account",
            Failure::Password => "password",
            Failure::Locked => "locked",
            Failure::CodeRequired => "code_required",
        }
    }
}

/// How an account came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    SignUp,
    CommandLine,
    /// The first sign-in with the unified identity service.
    RealName,
}

impl Via {
    pub fn code(self) -> &'static str {
        match self {
            Via::SignUp => "sign_up",
            Via::CommandLine => "command_line",
            Via::RealName => "real_name",
        }
    }
}

pub fn signed_in(account: i64, role: &str, client: &str) {
    tracing::info!(target: TARGET, event = "sign_in", account, role, client);
}

/// A refused sign-in: the account when the phone has one, else only the phone's reference.
pub fn sign_in_failed(account: Option<i64>, phone_ref: &str, client: &str, why: Failure) {
    let reason = why.code();
    match account {
        Some(account) => tracing::warn!(
            target: TARGET, event = "sign_in_failed", account, phone_ref, client, reason
        ),
        None => tracing::warn!(
            target: TARGET, event = "sign_in_failed", phone_ref, client, reason
        ),
    }
}

/// A failure that locked the phone for this client.
pub fn sign_in_locked(account: Option<i64>, phone_ref: &str, client: &str, retry_after_secs: u64) {
    match account {
        Some(account) => tracing::warn!(
            target: TARGET, event = "sign_in_locked", account, phone_ref, client, retry_after_secs
        ),
        None => tracing::warn!(
            target: TARGET, event = "sign_in_locked", phone_ref, client, retry_after_secs
        ),
    }
}

/// A client over its sign-in limit.
pub fn client_throttled(client: &str, retry_after_secs: u64) {
    tracing::warn!(target: TARGET, event = "client_throttled", client, retry_after_secs);
}

pub fn account_created(account: i64, role: &str, scope: Option<&str>, via: Via) {
    let via = via.code();
    match scope {
        Some(scope) => {
            tracing::info!(target: TARGET, event = "account_created", account, role, scope, via)
        }
        None => tracing::info!(target: TARGET, event = "account_created", account, role, via),
    }
}

pub fn account_deleted(account: i64, role: &str) {
    tracing::info!(target: TARGET, event = "account_deleted", account, role);
}

/// A password changed: `via` `change` (the person, signed in) or `reset` (a texted code).
pub fn password_changed(account: i64, via: &str) {
    tracing::info!(target: TARGET, event = "password_changed", account, via);
}

/// A write to the audit trail, without its values.
pub fn record_changed(
    record: &str,
    action: &str,
    city: Option<&str>,
    actor_ref: &str,
    actor_role: &str,
) {
    match city {
        Some(city) => tracing::info!(
            target: TARGET, event = "record_changed", record, action, city, actor_ref, actor_role
        ),
        None => tracing::info!(
            target: TARGET, event = "record_changed", record, action, actor_ref, actor_role
        ),
    }
}
