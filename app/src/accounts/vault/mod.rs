//! The secret key that protects personal data at rest: XChaCha20-Poly1305 to seal values that
//! must be read back (phone, identity number), HMAC-SHA-256 for values that are only compared
//! (uniqueness, look-up by phone). The key comes from `PEIXUN_SECRET_KEY` (base64 of 64
//! bytes) or a key file, generated with mode 0600 on first use.

use crate::error::{AppError, AppResult};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::Sha256;
use std::path::Path;

const KEY_BYTES: usize = 64;
const NONCE_BYTES: usize = 24;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the secret key must be base64 of {KEY_BYTES} bytes")]
    BadKey,
    #[error("the key file {path} can be read by others (mode {mode:o}): make it the owner's only, `chmod 600 {path}`")]
    Exposed { path: String, mode: u32 },
    #[error("cannot read or create the key file {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
}

#[derive(Clone)]
pub struct Vault {
    cipher: XChaCha20Poly1305,
    /// HMAC-SHA-256 keyed once; each hash starts from a copy.
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

impl Vault {
    pub fn from_key(material: &[u8]) -> Result<Vault, VaultError> {
        if material.len() != KEY_BYTES {
            return Err(VaultError::BadKey);
        }
        let cipher = <XChaCha20Poly1305 as KeyInit>::new_from_slice(&material[..32])
            .map_err(|_| VaultError::BadKey)?;
        let mac = <Hmac<Sha256> as Mac>::new_from_slice(&material[32..])
            .map_err(|_| VaultError::BadKey)?;
        Ok(Vault { cipher, mac })
    }

    pub fn from_base64(text: &str) -> Result<Vault, VaultError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| VaultError::BadKey)?;
        Vault::from_key(&bytes)
    }

    /// A random key that lives as long as the process (benchmarks, tests).
    pub fn ephemeral() -> Result<Vault, VaultError> {
        let mut key = [0u8; KEY_BYTES];
        OsRng.fill_bytes(&mut key);
        Vault::from_key(&key)
    }

    /// Reads the key file, creating it (and its folder) with a fresh random key when missing.
    pub fn load_or_create(path: &Path) -> Result<Vault, VaultError> {
        let err = |source| VaultError::File {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                refuse_exposed(path)?;
                Vault::from_base64(&text)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(err)?;
                }
                let mut key = [0u8; KEY_BYTES];
                OsRng.fill_bytes(&mut key);
                write_private(path, &STANDARD.encode(key)).map_err(err)?;
                Vault::from_key(&key)
            }
            Err(e) => Err(err(e)),
        }
    }

    /// Encrypts `plain`; the result is nonce ‖ ciphertext ‖ tag.
    pub fn seal(&self, plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        OsRng.fill_bytes(&mut nonce);
        let mut out = nonce.to_vec();
        // Encryption with a valid key and nonce cannot fail.
        out.extend(
            self.cipher
                .encrypt(XNonce::from_slice(&nonce), plain)
                .unwrap_or_default(),
        );
        out
    }

    pub fn open(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < NONCE_BYTES {
            return None;
        }
        let (nonce, body) = sealed.split_at(NONCE_BYTES);
        self.cipher.decrypt(XNonce::from_slice(nonce), body).ok()
    }

    pub fn open_text(&self, sealed: &[u8]) -> Option<String> {
        self.open(sealed).and_then(|b| String::from_utf8(b).ok())
    }

    /// A sealed value read back as text; one this key cannot open is a fault of ours (500:
    /// the wrong key file, most likely).
    pub fn reveal(&self, sealed: &[u8]) -> AppResult<String> {
        self.open_text(sealed)
            .ok_or_else(|| AppError::Internal("cannot open a sealed value (wrong key?)".into()))
    }

    /// A keyed hash of `value` within `domain` (so equal values of different kinds differ).
    pub fn mac(&self, domain: &str, value: &str) -> Vec<u8> {
        let mut mac = self.mac.clone();
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

/// A key others can read is as good as published: refused rather than used.
#[cfg(unix)]
fn refuse_exposed(path: &Path) -> Result<(), VaultError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|source| VaultError::File {
            path: path.display().to_string(),
            source,
        })?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(VaultError::Exposed {
            path: path.display().to_string(),
            mode: mode & 0o777,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_exposed(_: &Path) -> Result<(), VaultError> {
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault() -> Vault {
        Vault::from_key(&[7u8; 64]).unwrap()
    }

    #[test]
    fn sealed_values_open_only_with_the_key() {
        let v = vault();
        let sealed = v.seal("11010519491231002X".as_bytes());
        assert!(!sealed.windows(18).any(|w| w == b"11010519491231002X"));
        assert_eq!(v.open_text(&sealed).as_deref(), Some("11010519491231002X"));
        let other = Vault::from_key(&[8u8; 64]).unwrap();
        assert_eq!(other.open(&sealed), None);
        let mut tampered = sealed.clone();
        tampered[30] ^= 1;
        assert_eq!(v.open(&tampered), None);
        assert_ne!(v.seal(b"x"), v.seal(b"x"), "every seal has its own nonce");
    }

    #[test]
    fn macs_are_stable_per_domain() {
        let v = vault();
        assert_eq!(v.mac("phone", "13800000002"), v.mac("phone", "13800000002"));
        assert_ne!(v.mac("phone", "13800000002"), v.mac("id", "13800000002"));
    }

    #[test]
    fn key_file_is_created_once_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/peixun.key");
        let a = Vault::load_or_create(&path).unwrap();
        let b = Vault::load_or_create(&path).unwrap();
        assert_eq!(a.mac("d", "v"), b.mac("d", "v"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert!(matches!(
            Vault::from_base64("c2hvcnQ="),
            Err(VaultError::BadKey)
        ));
    }
}
