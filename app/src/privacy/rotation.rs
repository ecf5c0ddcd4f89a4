//! Key rotation (`peixun rotate-key`): a new sealing key takes over and every value sealed at
//! rest is sealed again under it, while the portal runs. Running instances read the key file
//! again when it changes (every `REFRESH` at most) or when a value names a key they lack, so
//! they open the new values at once and seal under the new key within seconds.
//!
//! Instances on other machines hold their own copy of the file: the new key is first *staged*
//! (it opens, it does not seal), the file copied to every machine, and only then does it take
//! over. Old keys stay in the ring until `retire`, which refuses while any value still needs
//! them.

use super::reseal::{self, Pass};
use crate::accounts::vault::{Cipher, VaultError};
use crate::error::AppError;
use crate::portal::Portal;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How often a running portal looks at its key file.
pub const REFRESH: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum RotationError {
    #[error(transparent)]
    Key(#[from] VaultError),
    #[error(transparent)]
    Database(#[from] AppError),
    #[error("{} value(s) are still sealed under key(s) {}: run `peixun rotate-key --reseal` once every instance reads the current key file; nothing was retired / 仍有数据使用旧密钥，未停用任何密钥", .0.values().sum::<u64>(), keys(.0))]
    StillInUse(BTreeMap<u16, u64>),
    #[error("{0} sealed value(s) open under no key of the ring (another deployment's key, or damage): nothing was retired / 有数据无法用现有密钥解开，未停用任何密钥")]
    Unreadable(u64),
}

fn keys(found: &BTreeMap<u16, u64>) -> String {
    let list: Vec<String> = found.keys().map(u16::to_string).collect();
    list.join(", ")
}

/// What a rotation did.
#[derive(Debug, Clone)]
pub struct Rotation {
    /// The key every value is now sealed under.
    pub key: u16,
    pub cipher: Cipher,
    /// Values sealed again, over all passes.
    pub resealed: u64,
    /// The last pass's findings (nothing older when it is done).
    pub last: Pass,
    /// The keys `retire` can drop once no instance seals under them.
    pub retirable: Vec<u16>,
}

/// Adds a staged key of `cipher` (the current key's cipher when none is given): it opens but
/// does not seal until `rotate` promotes it. Returns its id.
pub fn stage(portal: &Portal, cipher: Option<Cipher>) -> Result<u16, RotationError> {
    let ring = portal.vault.ring();
    let cipher = cipher.or(ring.current().map(|k| k.cipher));
    let staged = ring.with_new_key(cipher.unwrap_or(Cipher::XChaCha20Poly1305), true);
    let id = staged.keys().iter().map(|k| k.id).max().unwrap_or(0);
    portal.vault.replace(staged)?;
    Ok(id)
}

/// Puts a new key in charge (the staged one, if any, else a new key of `cipher`) and seals
/// every value under it. Passes repeat until one finds nothing left to seal again, and not
/// before running instances have had `settle` to read the new file (a value one of them
/// sealed under the old key meanwhile is caught by a later pass).
pub async fn rotate(
    portal: &Portal,
    cipher: Option<Cipher>,
    settle: Duration,
) -> Result<Rotation, RotationError> {
    let ring = portal.vault.ring();
    let cipher = cipher
        .or(ring.current().map(|k| k.cipher))
        .unwrap_or(Cipher::XChaCha20Poly1305);
    portal.vault.replace(ring.with_new_key(cipher, false))?;
    reseal(portal, settle).await
}

/// Seals under the current key every value still under an older one (what an instance that
/// had not yet read the new key file sealed meanwhile), with no new key.
pub async fn reseal(portal: &Portal, settle: Duration) -> Result<Rotation, RotationError> {
    let written = Instant::now();
    let mut resealed = 0;
    loop {
        let pass = reseal::pass(&portal.db, &portal.vault, true).await?;
        resealed += pass.resealed;
        let settled = written.elapsed() >= settle;
        if pass.resealed == 0 && pass.raced == 0 && settled {
            let ring = portal.vault.ring();
            let current = ring.current();
            return Ok(Rotation {
                key: current.map(|k| k.id).unwrap_or_default(),
                cipher: current
                    .map(|k| k.cipher)
                    .unwrap_or(Cipher::XChaCha20Poly1305),
                resealed,
                last: pass,
                retirable: ring.retiring(),
            });
        }
        if !settled {
            tokio::time::sleep(settle.saturating_sub(written.elapsed()).min(REFRESH)).await;
        }
    }
}

/// Drops the keys no longer in charge, once no value is sealed under them (counted, not
/// assumed). Returns the keys dropped.
pub async fn retire(portal: &Portal) -> Result<Vec<u16>, RotationError> {
    let found = reseal::pass(&portal.db, &portal.vault, false).await?;
    if !found.older.is_empty() {
        return Err(RotationError::StillInUse(found.older));
    }
    if found.unreadable > 0 {
        return Err(RotationError::Unreadable(found.unreadable));
    }
    let ring = portal.vault.ring();
    let dropped = ring.retiring();
    if !dropped.is_empty() {
        portal.vault.replace(ring.retired())?;
    }
    Ok(dropped)
}
