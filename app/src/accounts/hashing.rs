//! Password hashing: argon2id (19 MiB, 2 passes, OWASP's choice). It is deliberately slow, so
//! at most one hash per core runs at a time: a burst of sign-ins queues here instead of
//! starving page requests.

use crate::error::{AppError, AppResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::OsRng;
use std::sync::LazyLock;
use tokio::sync::Semaphore;

static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get())));

fn argon2() -> AppResult<Argon2<'static>> {
    // OWASP: argon2id, m = 19 456 KiB, t = 2, p = 1.
    let params = Params::new(19_456, 2, 1, None).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

async fn on_hashing_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn hash(password: String) -> AppResult<String> {
    on_hashing_pool(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(e.to_string()))
    })
    .await?
}

/// Verifies `password` against `hash`; with no hash (an unknown phone) a dummy is checked so
/// the answer takes as long and tells nothing.
pub async fn verify(password: String, hash: Option<String>) -> AppResult<bool> {
    static DUMMY: LazyLock<String> = LazyLock::new(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .ok()
            .and_then(|a| a.hash_password(b"not a real password", &salt).ok())
            .map(|h| h.to_string())
            .unwrap_or_default()
    });
    on_hashing_pool(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY.clone());
        let ok = match (PasswordHash::new(&hash), argon2()) {
            (Ok(h), Ok(a)) => a.verify_password(password.as_bytes(), &h).is_ok(),
            _ => false,
        };
        ok && known
    })
    .await
}
