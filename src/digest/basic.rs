//! HTTP Basic credentials (RFC 7617), read by the servers that accept them where a model does
//! (the DE series, for testing): the simulator's Basic-only fault and `provdesk serve --basic`.

use base64::prelude::{BASE64_STANDARD, Engine as _};

use crate::secret::Secret;

/// What an `Authorization` header holds when it is Basic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BasicHeader {
    /// Not Basic at all (digest, another scheme).
    NotBasic,
    /// `Basic` followed by something that is not base64 of `user:password` in UTF-8.
    Unreadable,
    Credentials {
        user: String,
        password: Secret,
    },
}

impl BasicHeader {
    pub fn parse(header: &[u8]) -> Self {
        let Some(encoded) = header
            .get(..6)
            .filter(|scheme| scheme.eq_ignore_ascii_case(b"basic "))
            .map(|_| &header[6..])
        else {
            return BasicHeader::NotBasic;
        };
        BASE64_STANDARD
            .decode(encoded.trim_ascii())
            .ok()
            .and_then(|decoded| String::from_utf8(decoded).ok())
            .and_then(|text| {
                text.split_once(':')
                    .map(|(user, password)| BasicHeader::Credentials {
                        user: user.to_string(),
                        password: Secret::new(password),
                    })
            })
            .unwrap_or(BasicHeader::Unreadable)
    }
}

/// Compares two passwords in time that does not depend on where they differ.
pub fn passwords_match(sent: &Secret, stored: &Secret) -> bool {
    let (sent, stored) = (sent.expose().as_bytes(), stored.expose().as_bytes());
    sent.len() == stored.len()
        && sent
            .iter()
            .zip(stored)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_user_and_password_and_tells_other_schemes_apart() {
        assert_eq!(
            BasicHeader::parse(b"Basic cHJvdjpzM2M6cmV0"),
            BasicHeader::Credentials {
                user: "prov".into(),
                password: Secret::new("s3c:ret")
            }
        );
        assert_eq!(BasicHeader::parse(b"basic !!!"), BasicHeader::Unreadable);
        assert_eq!(
            BasicHeader::parse(b"Digest username=\"x\""),
            BasicHeader::NotBasic
        );
        assert!(passwords_match(&Secret::new("a"), &Secret::new("a")));
        assert!(!passwords_match(&Secret::new("a"), &Secret::new("ab")));
    }

    proptest! {
        #[test]
        fn never_panics(header in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = BasicHeader::parse(&header);
        }
    }
}
