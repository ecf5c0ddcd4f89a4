//! The key ring: one key for keyed hashes (never rotated: every look-up and uniqueness check
//! depends on it) and one or more sealing keys, each with an id that every sealed value
//! carries, so a new key can take over while values sealed under the old one still open.
//!
//! The file is text, one key a line:
//!
//! ```text
//! mac hmac-sha256 <base64>
//! seal 1 xchacha20poly1305 <base64>
//! seal 2 xchacha20poly1305 <base64> staged
//! ```
//!
//! The newest key that is not `staged` seals; a staged key only opens (so instances on other
//! machines can read values sealed under it before it takes over). A file of one line, base64
//! of 64 bytes, is the ring of the first versions: its first half seals as key 0 (values
//! without a key id), its second half is the hash key.

use aes_gcm::aead::consts::U12;
use aes_gcm::AesGcm;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::XChaCha20Poly1305;
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::Sha256;
use sm3::Sm3;
use sm4::Sm4;

/// Marks a sealed value that names its key: `MAGIC ‖ key id (2 bytes, big-endian) ‖ nonce ‖
/// ciphertext ‖ tag`. A value of the first versions (nonce ‖ ciphertext ‖ tag under key 0)
/// may start with the same bytes by chance; the tag tells which reading is right.
const MAGIC: [u8; 2] = [0xA5, 0x4B];
const HEADER: usize = 4;

/// The algorithms a deployment chooses between (`--cipher`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cipher {
    /// XChaCha20-Poly1305 sealing, HMAC-SHA-256 hashes.
    XChaCha20Poly1305,
    /// SM4-GCM sealing, HMAC-SM3 hashes (GB/T 32907, GB/T 32905): for deployments assessed
    /// under China's commercial-cryptography rules (密评, GB/T 39786).
    Sm4Gcm,
}

impl Cipher {
    pub fn code(self) -> &'static str {
        match self {
            Cipher::XChaCha20Poly1305 => "xchacha20poly1305",
            Cipher::Sm4Gcm => "sm4-gcm",
        }
    }

    /// `--cipher`: `sm4` or `sm4-gcm`, `xchacha20poly1305` or `chacha`.
    pub fn parse(text: &str) -> Option<Cipher> {
        match text.trim().to_ascii_lowercase().as_str() {
            "xchacha20poly1305" | "xchacha20-poly1305" | "chacha" | "xchacha" => {
                Some(Cipher::XChaCha20Poly1305)
            }
            "sm4" | "sm4-gcm" | "sm4gcm" => Some(Cipher::Sm4Gcm),
            _ => None,
        }
    }

    fn key_bytes(self) -> usize {
        match self {
            Cipher::XChaCha20Poly1305 => 32,
            Cipher::Sm4Gcm => 16,
        }
    }

    fn nonce_bytes(self) -> usize {
        match self {
            Cipher::XChaCha20Poly1305 => 24,
            Cipher::Sm4Gcm => 12,
        }
    }

    fn mac_code(self) -> &'static str {
        match self {
            Cipher::XChaCha20Poly1305 => "hmac-sha256",
            Cipher::Sm4Gcm => "hmac-sm3",
        }
    }
}

type Sm4GcmCipher = AesGcm<Sm4, U12>;

#[derive(Clone)]
enum Aead2 {
    XChaCha(XChaCha20Poly1305),
    Sm4(Sm4GcmCipher),
}

#[derive(Clone)]
pub(super) enum MacKey {
    Sha256(Hmac<Sha256>),
    Sm3(Hmac<Sm3>),
}

impl MacKey {
    pub(super) fn hash(&self, parts: &[&[u8]]) -> Vec<u8> {
        match self {
            MacKey::Sha256(m) => {
                let mut m = m.clone();
                parts.iter().for_each(|p| m.update(p));
                m.finalize().into_bytes().to_vec()
            }
            MacKey::Sm3(m) => {
                let mut m = m.clone();
                parts.iter().for_each(|p| m.update(p));
                m.finalize().into_bytes().to_vec()
            }
        }
    }
}

/// One sealing key of the ring.
#[derive(Clone)]
pub struct SealKey {
    pub id: u16,
    pub cipher: Cipher,
    pub staged: bool,
    material: Vec<u8>,
    aead: Aead2,
}

impl SealKey {
    fn new(id: u16, cipher: Cipher, material: Vec<u8>, staged: bool) -> Option<SealKey> {
        if material.len() != cipher.key_bytes() {
            return None;
        }
        let aead = match cipher {
            Cipher::XChaCha20Poly1305 => {
                Aead2::XChaCha(XChaCha20Poly1305::new_from_slice(&material).ok()?)
            }
            Cipher::Sm4Gcm => Aead2::Sm4(Sm4GcmCipher::new_from_slice(&material).ok()?),
        };
        Some(SealKey {
            id,
            cipher,
            staged,
            material,
            aead,
        })
    }

    fn random(id: u16, cipher: Cipher, staged: bool) -> Option<SealKey> {
        let mut material = vec![0u8; cipher.key_bytes()];
        OsRng.fill_bytes(&mut material);
        SealKey::new(id, cipher, material, staged)
    }

    fn encrypt(&self, nonce: &[u8], plain: &[u8]) -> Option<Vec<u8>> {
        match &self.aead {
            Aead2::XChaCha(c) => c.encrypt(nonce.into(), plain).ok(),
            Aead2::Sm4(c) => c.encrypt(nonce.into(), plain).ok(),
        }
    }

    /// `nonce ‖ ciphertext ‖ tag` opened, if this key sealed it.
    fn decrypt(&self, body: &[u8]) -> Option<Vec<u8>> {
        let n = self.cipher.nonce_bytes();
        if body.len() < n {
            return None;
        }
        let (nonce, rest) = body.split_at(n);
        match &self.aead {
            Aead2::XChaCha(c) => c.decrypt(nonce.into(), rest).ok(),
            Aead2::Sm4(c) => c.decrypt(nonce.into(), rest).ok(),
        }
    }
}

/// Why a ring's text cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RingError {
    #[error("line {0}: not a key of the ring (expected `mac ALG KEY` or `seal ID CIPHER KEY [staged]`, or the 64-byte key in base64)")]
    Line(usize),
    #[error("the ring has no hash key (`mac …` line)")]
    NoMac,
    #[error("the ring has no key that seals (a `seal …` line that is not staged)")]
    NoSealKey,
    #[error("key {0} appears twice")]
    Duplicate(u16),
}

/// The keys of one deployment.
#[derive(Clone)]
pub struct Ring {
    mac_alg: &'static str,
    mac_material: Vec<u8>,
    pub(super) mac: MacKey,
    keys: Vec<SealKey>,
}

impl Ring {
    /// A new ring: a hash key and sealing key 1, both random.
    pub fn generate(cipher: Cipher) -> Ring {
        let mut mac = vec![0u8; 32];
        OsRng.fill_bytes(&mut mac);
        let mut keys = Vec::new();
        keys.extend(SealKey::random(1, cipher, false));
        Ring::assemble(cipher.mac_code(), mac, keys).unwrap_or_else(|_| Ring::legacy(&[0; 64]))
    }

    /// The ring of the first versions' 64-byte key.
    pub fn legacy(key: &[u8; 64]) -> Ring {
        let mac = MacKey::Sha256(keyed(&key[32..]));
        let seal = SealKey::new(0, Cipher::XChaCha20Poly1305, key[..32].to_vec(), false);
        Ring {
            mac_alg: "hmac-sha256",
            mac_material: key[32..].to_vec(),
            mac,
            keys: seal.into_iter().collect(),
        }
    }

    fn assemble(
        mac_alg: &str,
        mac_material: Vec<u8>,
        keys: Vec<SealKey>,
    ) -> Result<Ring, RingError> {
        let (mac_alg, mac) = match mac_alg {
            "hmac-sha256" => ("hmac-sha256", MacKey::Sha256(keyed(&mac_material))),
            "hmac-sm3" => ("hmac-sm3", MacKey::Sm3(keyed(&mac_material))),
            _ => return Err(RingError::NoMac),
        };
        let ring = Ring {
            mac_alg,
            mac_material,
            mac,
            keys,
        };
        ring.current().ok_or(RingError::NoSealKey)?;
        Ok(ring)
    }

    /// Reads a ring file's text (or `PEIXUN_SECRET_KEY`'s).
    pub fn parse(text: &str) -> Result<Ring, RingError> {
        let lines: Vec<(usize, &str)> = text
            .lines()
            .enumerate()
            .map(|(n, l)| (n + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
            .collect();
        if let [(n, only)] = lines.as_slice() {
            if !only.contains(' ') {
                let bytes = STANDARD.decode(only).map_err(|_| RingError::Line(*n))?;
                let key: [u8; 64] = bytes.try_into().map_err(|_| RingError::Line(*n))?;
                return Ok(Ring::legacy(&key));
            }
        }
        let mut mac = None;
        let mut keys: Vec<SealKey> = Vec::new();
        for (n, line) in lines {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["mac", alg, key] => {
                    let material = STANDARD.decode(key).map_err(|_| RingError::Line(n))?;
                    mac = Some((alg.to_string(), material));
                }
                ["seal", id, cipher, key, rest @ ..] => {
                    let staged = match rest {
                        [] => false,
                        ["staged"] => true,
                        _ => return Err(RingError::Line(n)),
                    };
                    let id: u16 = id.parse().map_err(|_| RingError::Line(n))?;
                    let cipher = Cipher::parse(cipher).ok_or(RingError::Line(n))?;
                    let material = STANDARD.decode(key).map_err(|_| RingError::Line(n))?;
                    let key = SealKey::new(id, cipher, material, staged);
                    let key = key.ok_or(RingError::Line(n))?;
                    if keys.iter().any(|k| k.id == id) {
                        return Err(RingError::Duplicate(id));
                    }
                    keys.push(key);
                }
                _ => return Err(RingError::Line(n)),
            }
        }
        let (alg, material) = mac.ok_or(RingError::NoMac)?;
        Ring::assemble(&alg, material, keys)
    }

    /// The ring as its file holds it.
    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "# Peixun's key ring: keep it owner-only (chmod 600) and back it up with the database.\n\
             # `peixun rotate-key` adds a key and re-seals every value under it; never edit by hand.\n",
        );
        out.push_str(&format!(
            "mac {} {}\n",
            self.mac_alg,
            STANDARD.encode(&self.mac_material)
        ));
        for k in &self.keys {
            out.push_str(&format!(
                "seal {} {} {}{}\n",
                k.id,
                k.cipher.code(),
                STANDARD.encode(&k.material),
                if k.staged { " staged" } else { "" }
            ));
        }
        out
    }

    /// The key new values are sealed under: the newest one not staged.
    pub fn current(&self) -> Option<&SealKey> {
        self.keys.iter().filter(|k| !k.staged).max_by_key(|k| k.id)
    }

    pub fn keys(&self) -> &[SealKey] {
        &self.keys
    }

    /// Whether `other` computes the same keyed hashes (a reloaded ring must).
    pub fn same_mac(&self, other: &Ring) -> bool {
        self.mac_alg == other.mac_alg && self.mac_material == other.mac_material
    }

    pub fn mac_alg(&self) -> &'static str {
        self.mac_alg
    }

    /// The ring with one more key: staged (it only opens until promoted), or sealing at once.
    /// A staged key already there is what is promoted, whatever `cipher` says.
    pub fn with_new_key(&self, cipher: Cipher, staged: bool) -> Ring {
        let mut ring = self.clone();
        if !staged {
            if let Some(k) = ring
                .keys
                .iter_mut()
                .filter(|k| k.staged)
                .max_by_key(|k| k.id)
            {
                k.staged = false;
                return ring;
            }
        }
        let id = ring.keys.iter().map(|k| k.id).max().unwrap_or(0) + 1;
        ring.keys.extend(SealKey::random(id, cipher, staged));
        ring
    }

    /// The ring without the keys that no longer seal (the current and staged keys stay).
    pub fn retired(&self) -> Ring {
        let mut ring = self.clone();
        let keep = self.current().map(|k| k.id);
        ring.keys.retain(|k| k.staged || Some(k.id) == keep);
        ring
    }

    /// The keys `retired` would drop.
    pub fn retiring(&self) -> Vec<u16> {
        let keep = self.current().map(|k| k.id);
        let old = self.keys.iter().filter(|k| !k.staged && Some(k.id) != keep);
        old.map(|k| k.id).collect()
    }

    /// Seals `plain` under the current key.
    pub fn seal(&self, plain: &[u8]) -> Vec<u8> {
        let Some(key) = self.current() else {
            return Vec::new();
        };
        let mut nonce = vec![0u8; key.cipher.nonce_bytes()];
        OsRng.fill_bytes(&mut nonce);
        let mut out = Vec::with_capacity(HEADER + nonce.len() + plain.len() + 16);
        if key.id != 0 {
            out.extend(MAGIC);
            out.extend(key.id.to_be_bytes());
        }
        out.extend(&nonce);
        // Sealing with a valid key and a nonce of the cipher's length cannot fail.
        out.extend(key.encrypt(&nonce, plain).unwrap_or_default());
        out
    }

    /// The key id a sealed value names (0: a value of the first versions).
    pub fn key_id_of(sealed: &[u8]) -> u16 {
        match sealed {
            [a, b, hi, lo, ..] if [*a, *b] == MAGIC => u16::from_be_bytes([*hi, *lo]),
            _ => 0,
        }
    }

    /// Opens a sealed value: under the key it names, else as a value of the first versions.
    /// `Err(id)` when it names a key this ring lacks (and is no value of key 0 either).
    pub fn open(&self, sealed: &[u8]) -> Result<Option<Vec<u8>>, u16> {
        let id = Ring::key_id_of(sealed);
        if id != 0 {
            match self.keys.iter().find(|k| k.id == id) {
                Some(key) => {
                    if let Some(plain) = key.decrypt(&sealed[HEADER..]) {
                        return Ok(Some(plain));
                    }
                }
                None => {
                    let legacy = self.key(0).and_then(|k| k.decrypt(sealed));
                    return legacy.map(Some).ok_or(id);
                }
            }
        }
        Ok(self.key(0).and_then(|k| k.decrypt(sealed)))
    }

    /// Which key opens `sealed` (the AEAD's tag decides), if any.
    pub fn opened_by(&self, sealed: &[u8]) -> Option<u16> {
        let id = Ring::key_id_of(sealed);
        if id != 0
            && self
                .key(id)
                .is_some_and(|k| k.decrypt(&sealed[HEADER..]).is_some())
        {
            return Some(id);
        }
        self.key(0).and_then(|k| k.decrypt(sealed)).map(|_| 0)
    }

    fn key(&self, id: u16) -> Option<&SealKey> {
        self.keys.iter().find(|k| k.id == id)
    }
}

fn keyed<M: Mac + KeyInit>(material: &[u8]) -> M {
    // HMAC takes a key of any length.
    <M as KeyInit>::new_from_slice(material)
        .unwrap_or_else(|_| <M as KeyInit>::new(&Default::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn sm4_gcm_matches_the_published_vector() {
        // RFC 8998, appendix A.1.
        use aes_gcm::aead::{Aead, Payload};
        let c = Sm4GcmCipher::new_from_slice(&hex("0123456789ABCDEFFEDCBA9876543210")).unwrap();
        let plain = hex(
            "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD\
             EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA",
        );
        let aad = hex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
        let nonce = hex("00001234567800000000ABCD");
        let out = c
            .encrypt(
                nonce.as_slice().into(),
                Payload {
                    msg: &plain,
                    aad: &aad,
                },
            )
            .unwrap();
        let expected = hex(
            "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735\
             D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D\
             83DE3541E4C2B58177E065A9BF7B62EC",
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn sm3_matches_the_published_vector() {
        // GB/T 32905-2016, example 1: SM3("abc").
        use sm3::Digest;
        let hash = Sm3::digest(b"abc").to_vec();
        assert_eq!(
            hash,
            hex("66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0")
        );
    }

    fn rings() -> [Ring; 2] {
        [
            Ring::generate(Cipher::XChaCha20Poly1305),
            Ring::generate(Cipher::Sm4Gcm),
        ]
    }

    #[test]
    fn a_value_names_its_key_and_opens_under_it_only() {
        for ring in rings() {
            let sealed = ring.seal(b"11010519491231002X");
            assert_eq!(Ring::key_id_of(&sealed), 1);
            assert!(!sealed.windows(18).any(|w| w == b"11010519491231002X"));
            assert_eq!(ring.open(&sealed), Ok(Some(b"11010519491231002X".to_vec())));
            let mut tampered = sealed.clone();
            let last = tampered.len() - 1;
            tampered[last] ^= 1;
            assert_eq!(ring.open(&tampered), Ok(None));
            let stranger = Ring::generate(ring.current().unwrap().cipher);
            assert_eq!(stranger.open(&sealed), Ok(None), "same id, other key");
            assert_ne!(
                ring.seal(b"x"),
                ring.seal(b"x"),
                "every seal has its own nonce"
            );
        }
    }

    #[test]
    fn a_new_key_seals_while_the_old_ones_still_open() {
        for ring in rings() {
            let cipher = ring.current().unwrap().cipher;
            let old = ring.seal(b"13800000002");
            let rotated = ring.with_new_key(cipher, false);
            let new = rotated.seal(b"13800000002");
            assert_eq!(Ring::key_id_of(&new), 2);
            assert_eq!(rotated.open(&old), Ok(Some(b"13800000002".to_vec())));
            assert_eq!(rotated.opened_by(&old), Some(1));
            assert_eq!(rotated.opened_by(&new), Some(2));
            // The old ring does not know key 2: it says so (the vault then reloads its file).
            assert_eq!(ring.open(&new), Err(2));
            let retired = rotated.retired();
            assert_eq!(retired.keys().len(), 1);
            assert_eq!(retired.open(&old), Err(1), "a retired key is unknown");
            assert!(rotated.same_mac(&retired) && ring.same_mac(&rotated));
        }
    }

    #[test]
    fn a_staged_key_opens_but_does_not_seal_until_promoted() {
        let ring = Ring::generate(Cipher::Sm4Gcm);
        let staged = ring.with_new_key(Cipher::Sm4Gcm, true);
        assert_eq!(staged.current().unwrap().id, 1);
        assert_eq!(Ring::key_id_of(&staged.seal(b"x")), 1);
        let promoted = staged.with_new_key(Cipher::XChaCha20Poly1305, false);
        assert_eq!(
            promoted.keys().len(),
            2,
            "the staged key is promoted, not a third"
        );
        assert_eq!(promoted.current().unwrap().id, 2);
        assert_eq!(promoted.current().unwrap().cipher, Cipher::Sm4Gcm);
    }

    #[test]
    fn the_ring_reads_back_what_it_writes() {
        for ring in rings() {
            let ring = ring.with_new_key(Cipher::XChaCha20Poly1305, true);
            let text = ring.to_text();
            let again = Ring::parse(&text).unwrap();
            assert_eq!(again.to_text(), text);
            assert!(again.same_mac(&ring));
            assert_eq!(again.open(&ring.seal(b"v")), Ok(Some(b"v".to_vec())));
        }
    }

    #[test]
    fn the_first_versions_key_is_key_0_and_its_values_have_no_id() {
        let key = [7u8; 64];
        let ring = Ring::parse(&STANDARD.encode(key)).unwrap();
        let sealed = ring.seal(b"abc");
        assert_eq!(sealed.len(), 24 + 3 + 16, "nonce, text and tag: no header");
        assert_eq!(ring.opened_by(&sealed), Some(0));
        let rotated = ring.with_new_key(Cipher::XChaCha20Poly1305, false);
        assert_eq!(rotated.current().unwrap().id, 1);
        assert_eq!(rotated.open(&sealed), Ok(Some(b"abc".to_vec())));
        let reread = Ring::parse(&rotated.to_text()).unwrap();
        assert_eq!(reread.open(&sealed), Ok(Some(b"abc".to_vec())));
        // A value of key 0 whose random nonce happens to start like a header still opens.
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut nonce);
        nonce[..2].copy_from_slice(&MAGIC);
        let mut lookalike = nonce.to_vec();
        lookalike.extend(ring.key(0).unwrap().encrypt(&nonce, b"abc").unwrap());
        assert_eq!(rotated.open(&lookalike), Ok(Some(b"abc".to_vec())));
        assert_eq!(rotated.opened_by(&lookalike), Some(0));
    }

    #[test]
    fn broken_rings_are_refused_with_their_line() {
        assert_eq!(Ring::parse("c2hvcnQ=").err(), Some(RingError::Line(1)));
        assert_eq!(
            Ring::parse("mac hmac-sha256 AAAA\n").err(),
            Some(RingError::NoSealKey)
        );
        let ring = Ring::generate(Cipher::XChaCha20Poly1305);
        let text = ring.to_text().replace("xchacha20poly1305", "rot13");
        assert!(matches!(Ring::parse(&text), Err(RingError::Line(_))));
        let dup = format!(
            "{}{}",
            ring.to_text(),
            ring.to_text().lines().last().unwrap()
        );
        assert_eq!(Ring::parse(&dup).err(), Some(RingError::Duplicate(1)));
    }

    #[test]
    fn the_two_ciphers_hash_differently_and_stably() {
        let [a, b] = rings();
        assert_eq!(a.mac.hash(&[b"x"]).len(), 32);
        assert_eq!(b.mac.hash(&[b"x"]).len(), 32);
        assert_eq!(a.mac.hash(&[b"x"]), a.mac.hash(&[b"x"]));
        assert_eq!(a.mac_alg(), "hmac-sha256");
        assert_eq!(b.mac_alg(), "hmac-sm3");
    }
}
