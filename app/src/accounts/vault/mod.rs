//! The keys that protect personal data at rest: sealing (XChaCha20-Poly1305, or SM4-GCM with
//! `--cipher sm4`) for values that must be read back (phone, identity number, bank account,
//! groups), keyed hashes (HMAC-SHA-256, or HMAC-SM3) for values that are only compared
//! (uniqueness, look-up by phone). The keys form a ring (`ring`): every sealed value names the
//! key that sealed it, so `peixun rotate-key` can seal under a new key while the portal runs.
//! The ring comes from `PEIXUN_SECRET_KEY` or a key file, generated with mode 0600 on first
//! use; a running portal reads the file again when it changes or names a key it lacks.

pub mod ring;

use crate::error::{AppError, AppResult};
pub use ring::{Cipher, Ring, RingError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the secret key: {0}")]
    BadKey(#[from] RingError),
    #[error("the key file {path} can be read by others (mode {mode:o}): make it the owner's only, `chmod 600 {path}`")]
    Exposed { path: String, mode: u32 },
    #[error("cannot read or write the key file {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("the key file {path} seals with {found}, not {asked}: move to {asked} with `peixun rotate-key --cipher {asked}` (密钥文件的加密算法与 --cipher 不符)")]
    OtherCipher {
        path: String,
        found: &'static str,
        asked: &'static str,
    },
    #[error("the key file {path} now holds another hash key: every look-up would fail, so it was not taken (密钥文件的摘要密钥已变，未加载)")]
    MacChanged { path: String },
}

/// The file a ring was read from, and what it looked like then.
struct Source {
    path: PathBuf,
    seen: Mutex<Seen>,
}

struct Seen {
    stamp: Option<(SystemTime, u64)>,
    /// When a value naming an unknown key last sent us to the file (at most once a second).
    asked: Option<Instant>,
}

#[derive(Clone)]
pub struct Vault {
    ring: Arc<RwLock<Arc<Ring>>>,
    source: Option<Arc<Source>>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

impl Vault {
    pub fn of_ring(ring: Ring) -> Vault {
        Vault {
            ring: Arc::new(RwLock::new(Arc::new(ring))),
            source: None,
        }
    }

    /// The ring of the first versions' 64-byte key (tests, benchmarks).
    pub fn from_key(material: &[u8]) -> Result<Vault, VaultError> {
        let key: [u8; 64] = material
            .try_into()
            .map_err(|_| VaultError::BadKey(RingError::Line(1)))?;
        Ok(Vault::of_ring(Ring::legacy(&key)))
    }

    /// `PEIXUN_SECRET_KEY`: a ring's text, or the first versions' base64 of 64 bytes.
    pub fn from_base64(text: &str) -> Result<Vault, VaultError> {
        Ok(Vault::of_ring(Ring::parse(text)?))
    }

    /// A random ring that lives as long as the process (benchmarks, tests).
    pub fn ephemeral() -> Result<Vault, VaultError> {
        Ok(Vault::of_ring(Ring::generate(Cipher::XChaCha20Poly1305)))
    }

    /// Reads the key file, creating it (and its folder) with a new ring of `cipher` when
    /// missing. With a cipher given, an existing ring must seal with it.
    pub fn load_or_create(path: &Path, cipher: Option<Cipher>) -> Result<Vault, VaultError> {
        let ring = match read_ring(path) {
            Ok(ring) => ring,
            Err(VaultError::File { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                let ring = Ring::generate(cipher.unwrap_or(Cipher::XChaCha20Poly1305));
                create_private(path, &ring.to_text()).map_err(file_error(path))?;
                ring
            }
            Err(e) => return Err(e),
        };
        let found = ring.current().map(|k| k.cipher);
        if let (Some(asked), Some(found)) = (cipher, found) {
            if asked != found {
                return Err(VaultError::OtherCipher {
                    path: path.display().to_string(),
                    found: found.code(),
                    asked: asked.code(),
                });
            }
        }
        let seen = Seen {
            stamp: stamp(path),
            asked: None,
        };
        Ok(Vault {
            ring: Arc::new(RwLock::new(Arc::new(ring))),
            source: Some(Arc::new(Source {
                path: path.to_path_buf(),
                seen: Mutex::new(seen),
            })),
        })
    }

    /// The ring in use now.
    pub fn ring(&self) -> Arc<Ring> {
        match self.ring.read() {
            Ok(ring) => ring.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The key file, if the ring came from one.
    pub fn path(&self) -> Option<&Path> {
        self.source.as_deref().map(|s| s.path.as_path())
    }

    /// Reads the key file again if it changed since it was last read (a running portal calls
    /// this every few seconds, so a rotated key takes over). True when a new ring was taken.
    pub fn refresh(&self) -> Result<bool, VaultError> {
        let Some(source) = &self.source else {
            return Ok(false);
        };
        let now = stamp(&source.path);
        {
            let seen = source.seen.lock().unwrap_or_else(|p| p.into_inner());
            if seen.stamp == now {
                return Ok(false);
            }
        }
        self.reload(source, now)
    }

    fn reload(&self, source: &Source, now: Option<(SystemTime, u64)>) -> Result<bool, VaultError> {
        let ring = read_ring(&source.path)?;
        if !ring.same_mac(&self.ring()) {
            return Err(VaultError::MacChanged {
                path: source.path.display().to_string(),
            });
        }
        source.seen.lock().unwrap_or_else(|p| p.into_inner()).stamp = now;
        let mut held = self.ring.write().unwrap_or_else(|p| p.into_inner());
        *held = Arc::new(ring);
        Ok(true)
    }

    /// Puts `ring` in the key file (atomically, owner-only) and takes it.
    pub fn replace(&self, ring: Ring) -> Result<(), VaultError> {
        let Some(source) = &self.source else {
            return Err(VaultError::File {
                path: "PEIXUN_SECRET_KEY".into(),
                source: std::io::Error::other(
                    "the key is in the environment: rotation rewrites a key file; move the key into one (--key-file) first",
                ),
            });
        };
        if !ring.same_mac(&self.ring()) {
            return Err(VaultError::MacChanged {
                path: source.path.display().to_string(),
            });
        }
        replace_private(&source.path, &ring.to_text()).map_err(file_error(&source.path))?;
        source.seen.lock().unwrap_or_else(|p| p.into_inner()).stamp = stamp(&source.path);
        *self.ring.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(ring);
        Ok(())
    }

    /// Encrypts `plain` under the current key; the result names the key.
    pub fn seal(&self, plain: &[u8]) -> Vec<u8> {
        self.ring().seal(plain)
    }

    pub fn open(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        match self.ring().open(sealed) {
            Ok(plain) => plain,
            // Sealed under a key another process added: read the file again (once a second
            // at most, whatever the values ask), then try once more.
            Err(_) => {
                let source = self.source.as_ref()?;
                let due = {
                    let mut seen = source.seen.lock().unwrap_or_else(|p| p.into_inner());
                    let due = seen
                        .asked
                        .is_none_or(|at| at.elapsed() >= Duration::from_secs(1));
                    if due {
                        seen.asked = Some(Instant::now());
                    }
                    due
                };
                if due {
                    if let Err(err) = self.reload(source, stamp(&source.path)) {
                        tracing::error!(%err, "cannot read the key file again");
                    }
                }
                self.ring().open(sealed).ok().flatten()
            }
        }
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

    /// A sealed value read back as bytes (a secret that is not text); 500 as `reveal`.
    pub fn reveal_bytes(&self, sealed: &[u8]) -> AppResult<Vec<u8>> {
        self.open(sealed)
            .ok_or_else(|| AppError::Internal("cannot open a sealed value (wrong key?)".into()))
    }

    /// A keyed hash of `value` within `domain` (so equal values of different kinds differ).
    pub fn mac(&self, domain: &str, value: &str) -> Vec<u8> {
        self.ring()
            .mac
            .hash(&[domain.as_bytes(), &[0], value.as_bytes()])
    }
}

fn file_error(path: &Path) -> impl Fn(std::io::Error) -> VaultError + '_ {
    move |source| VaultError::File {
        path: path.display().to_string(),
        source,
    }
}

fn read_ring(path: &Path) -> Result<Ring, VaultError> {
    let text = std::fs::read_to_string(path).map_err(file_error(path))?;
    refuse_exposed(path)?;
    Ok(Ring::parse(&text)?)
}

/// When and how big the file was last written (a rotation rewrites it by renaming).
fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn create_private(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    write_private(path, text)
}

/// Writes `text` beside `path` and renames it over: a reader sees the old ring or the new,
/// never half of one.
fn replace_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".new-{}", std::process::id()));
    let temp = path.with_file_name(name);
    let _ = std::fs::remove_file(&temp);
    write_private(&temp, text)?;
    std::fs::File::open(&temp)?.sync_all()?;
    std::fs::rename(&temp, path)
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
    }

    #[test]
    fn macs_are_stable_per_domain() {
        let v = vault();
        assert_eq!(v.mac("phone", "13800000002"), v.mac("phone", "13800000002"));
        assert_ne!(v.mac("phone", "13800000002"), v.mac("id", "13800000002"));
    }

    #[test]
    fn key_file_is_created_once_and_private_with_the_cipher_asked() {
        for cipher in [Cipher::XChaCha20Poly1305, Cipher::Sm4Gcm] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("keys/peixun.key");
            let a = Vault::load_or_create(&path, Some(cipher)).unwrap();
            let b = Vault::load_or_create(&path, None).unwrap();
            assert_eq!(a.mac("d", "v"), b.mac("d", "v"));
            assert_eq!(b.ring().current().unwrap().cipher, cipher);
            assert_eq!(b.open(&a.seal(b"x")).as_deref(), Some(&b"x"[..]));
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                assert_eq!(
                    std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                    0o600
                );
            }
            let other = match cipher {
                Cipher::Sm4Gcm => Cipher::XChaCha20Poly1305,
                Cipher::XChaCha20Poly1305 => Cipher::Sm4Gcm,
            };
            assert!(matches!(
                Vault::load_or_create(&path, Some(other)),
                Err(VaultError::OtherCipher { .. })
            ));
        }
        assert!(matches!(
            Vault::from_base64("c2hvcnQ="),
            Err(VaultError::BadKey(_))
        ));
    }

    #[test]
    fn a_vault_reads_the_key_another_process_added() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("peixun.key");
        let portal = Vault::load_or_create(&path, None).unwrap();
        let before = portal.seal(b"before");
        // Another process (`peixun rotate-key`) adds a key and seals under it.
        let rotator = Vault::load_or_create(&path, None).unwrap();
        let ring = rotator
            .ring()
            .with_new_key(Cipher::XChaCha20Poly1305, false);
        rotator.replace(ring).unwrap();
        let after = rotator.seal(b"after");
        assert_eq!(Ring::key_id_of(&after), 2);
        // The portal opens it at once (the unknown key sends it to the file) ...
        assert_eq!(portal.open(&after).as_deref(), Some(&b"after"[..]));
        assert_eq!(portal.open(&before).as_deref(), Some(&b"before"[..]));
        // ... and seals under the new key from then on.
        assert_eq!(Ring::key_id_of(&portal.seal(b"x")), 2);
        assert!(!portal.refresh().unwrap(), "nothing changed since");
    }

    #[test]
    fn a_file_with_another_hash_key_is_never_taken() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("peixun.key");
        let portal = Vault::load_or_create(&path, None).unwrap();
        let mac = portal.mac("phone", "13800000002");
        std::fs::remove_file(&path).unwrap();
        Vault::load_or_create(&path, None).unwrap();
        assert!(matches!(
            portal.refresh(),
            Err(VaultError::MacChanged { .. })
        ));
        assert_eq!(portal.mac("phone", "13800000002"), mac);
    }

    #[test]
    fn a_key_in_the_environment_cannot_be_rotated() {
        let v = vault();
        let ring = v.ring().with_new_key(Cipher::XChaCha20Poly1305, false);
        assert!(matches!(v.replace(ring), Err(VaultError::File { .. })));
    }
}
