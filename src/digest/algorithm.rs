//! Digest algorithms and quality-of-protection values, named as servers send them.

use std::fmt;

use md5::Md5;
use sha2::{Digest as _, Sha256, Sha512_256};

/// A digest algorithm from RFC 7616 §6.1 (names compare case-insensitively).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
    Sha512_256,
    Sha512_256Sess,
}

impl Algorithm {
    pub const ALL: [Algorithm; 6] = [
        Algorithm::Md5,
        Algorithm::Md5Sess,
        Algorithm::Sha256,
        Algorithm::Sha256Sess,
        Algorithm::Sha512_256,
        Algorithm::Sha512_256Sess,
    ];

    /// Parses `MD5`, `md5-sess`, `SHA-256`, `SHA-512-256-sess`…; `None` for names RFC 7616
    /// does not define.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|algorithm| algorithm.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The name as RFC 7616 writes it, and as provdesk sends it back.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
            Algorithm::Sha512_256 => "SHA-512-256",
            Algorithm::Sha512_256Sess => "SHA-512-256-sess",
        }
    }

    /// The `-sess` variants hash the nonce and cnonce into A1.
    pub fn is_session(self) -> bool {
        matches!(
            self,
            Algorithm::Md5Sess | Algorithm::Sha256Sess | Algorithm::Sha512_256Sess
        )
    }

    /// Lower-case hex of the hash of `data`.
    pub fn hash_hex(self, data: &[u8]) -> String {
        match self {
            Algorithm::Md5 | Algorithm::Md5Sess => hex(&Md5::digest(data)),
            Algorithm::Sha256 | Algorithm::Sha256Sess => hex(&Sha256::digest(data)),
            Algorithm::Sha512_256 | Algorithm::Sha512_256Sess => hex(&Sha512_256::digest(data)),
        }
    }

    /// Stronger first, as lighttpd orders its challenges: SHA-512-256, SHA-256, MD5.
    pub fn strength(self) -> u8 {
        match self {
            Algorithm::Md5 | Algorithm::Md5Sess => 1,
            Algorithm::Sha256 | Algorithm::Sha256Sess => 2,
            Algorithm::Sha512_256 | Algorithm::Sha512_256Sess => 3,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Algorithm {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Lower-case hex, as digest values are written.
pub(super) fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// Quality of protection: `auth`, `auth-int`, or none at all (RFC 2069 compatibility).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qop {
    Auth,
    AuthInt,
}

impl Qop {
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "auth" => Some(Qop::Auth),
            "auth-int" => Some(Qop::AuthInt),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Qop::Auth => "auth",
            Qop::AuthInt => "auth-int",
        }
    }
}

impl fmt::Display for Qop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Qop {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_case_insensitive() {
        assert_eq!(Algorithm::parse("md5"), Some(Algorithm::Md5));
        assert_eq!(
            Algorithm::parse("sha-256-SESS"),
            Some(Algorithm::Sha256Sess)
        );
        assert_eq!(Algorithm::parse("SHA-512-256"), Some(Algorithm::Sha512_256));
        assert_eq!(Algorithm::parse("SHA-1"), None);
        assert_eq!(Qop::parse(" AUTH-INT "), Some(Qop::AuthInt));
        assert_eq!(Qop::parse("token"), None);
    }

    #[test]
    fn hashes_match_known_values() {
        assert_eq!(
            Algorithm::Md5.hash_hex(b""),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
        assert_eq!(
            Algorithm::Sha256.hash_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            Algorithm::Sha512_256.hash_hex(b"abc"),
            "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"
        );
    }
}
