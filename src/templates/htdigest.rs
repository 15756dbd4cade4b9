//! The htdigest user file a web server checks the devices with (`user:realm:HA1`, HA1 the MD5
//! hex of `user:realm:password`, as Apache's `htdigest` writes it and lighttpd and Apache read
//! it), and strong per-device digest passwords.

use std::collections::BTreeMap;

use thiserror::Error;

use crate::device::{Device, Mac, ModelSpec};
use crate::digest::Algorithm;
use crate::secret::Secret;

/// Why no htdigest file could be made. Names users and devices, never a password.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HtdigestProblem {
    #[error(
        "the realm is empty: give the realm the web server announces (its AuthName / auth.require realm)"
    )]
    EmptyRealm,
    #[error("the realm \"{0}\" holds ':' or a line break, which an htdigest file cannot carry")]
    BadRealm(String),
    #[error(
        "user name \"{user}\" (device {mac}) holds ':' or a line break, which an htdigest file cannot carry: change it"
    )]
    BadUser { user: String, mac: String },
    #[error(
        "user \"{user}\" has different passwords on devices {first} and {second}; a web server keeps one password per user: give each device its own user name, or generate passwords"
    )]
    Conflict {
        user: String,
        first: String,
        second: String,
    },
}

/// An htdigest file's content. Each line is password-equivalent, so it is a [`Secret`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Htdigest {
    pub text: Secret,
    pub users: usize,
    /// Devices with neither a MAC password nor configured credentials: no line for them.
    pub without_credentials: Vec<Mac>,
}

/// Builds the htdigest file for `devices`: for each, its MAC with its MAC password (the first
/// rung of the ladder) and its configured digest user with its password. A user shared by
/// several devices with the same password appears once.
pub fn htdigest<'a>(
    devices: impl IntoIterator<Item = &'a Device>,
    realm: &str,
) -> Result<Htdigest, HtdigestProblem> {
    if realm.is_empty() {
        return Err(HtdigestProblem::EmptyRealm);
    }
    if realm.contains([':', '\n', '\r']) {
        return Err(HtdigestProblem::BadRealm(realm.to_string()));
    }
    // user → (HA1, the device that brought it)
    let mut users: BTreeMap<String, (String, Mac)> = BTreeMap::new();
    let mut order = Vec::new();
    let mut without_credentials = Vec::new();
    for device in devices {
        let pairs = credentials_of(device);
        if pairs.is_empty() {
            without_credentials.push(device.mac);
        }
        for (user, password) in pairs {
            if user.contains([':', '\n', '\r']) {
                return Err(HtdigestProblem::BadUser {
                    user,
                    mac: device.mac.macd(),
                });
            }
            let ha1 =
                Algorithm::Md5.hash_hex(format!("{user}:{realm}:{}", password.expose()).as_bytes());
            match users.get(&user) {
                Some((existing, _)) if *existing == ha1 => {}
                Some((_, first)) => {
                    return Err(HtdigestProblem::Conflict {
                        user,
                        first: first.macd(),
                        second: device.mac.macd(),
                    });
                }
                None => {
                    order.push(user.clone());
                    users.insert(user, (ha1, device.mac));
                }
            }
        }
    }
    let mut text = String::with_capacity(order.len() * (realm.len() + 48));
    for user in &order {
        let (ha1, _) = &users[user];
        text.push_str(&format!("{user}:{realm}:{ha1}\n"));
    }
    Ok(Htdigest {
        text: Secret::new(text),
        users: order.len(),
        without_credentials,
    })
}

/// The users a device logs in as, with their passwords: its MAC with its MAC password, and its
/// configured digest user.
fn credentials_of(device: &Device) -> Vec<(String, &Secret)> {
    let mac = device
        .usable_mac_password()
        .map(|password| (device.mac.macd(), password));
    let configured = device
        .digest_credentials()
        .map(|(user, password)| (user.to_string(), password));
    mac.into_iter().chain(configured).collect()
}

/// Characters of generated passwords: letters and digits only, so no format needs to escape
/// them and they can be read out over the phone.
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
/// 24 characters of a 57-letter alphabet: about 140 bits, within every model's 50-character limit.
const GENERATED_LENGTH: usize = 24;

/// A strong random password from the operating system's generator.
pub fn generate_password() -> Result<Secret, getrandom::Error> {
    random_password(GENERATED_LENGTH)
}

/// A strong random password that every one of `models` accepts: as long as
/// [`generate_password`]'s unless a model takes fewer characters (the limit [`crate::device::too_long`] checks), from
/// the same letters and digits, which no format escapes. `None`: a model not known, which
/// has no documented limit.
pub fn generate_password_for<'a>(
    models: impl IntoIterator<Item = Option<&'a ModelSpec>>,
) -> Result<Secret, getrandom::Error> {
    let length = models
        .into_iter()
        .flatten()
        .filter_map(|model| model.credentials?.max_len)
        .fold(GENERATED_LENGTH, usize::min);
    random_password(length)
}

/// `length` characters of [`ALPHABET`], each equally likely.
fn random_password(length: usize) -> Result<Secret, getrandom::Error> {
    let mut out = String::with_capacity(length);
    let limit = 256 - 256 % ALPHABET.len();
    while out.len() < length {
        let mut buffer = [0u8; 32];
        getrandom::fill(&mut buffer)?;
        // Rejection sampling keeps every character equally likely.
        out.extend(
            buffer
                .iter()
                .filter(|&&b| usize::from(b) < limit)
                .map(|&b| ALPHABET[usize::from(b) % ALPHABET.len()] as char)
                .take(length - out.len()),
        );
    }
    Ok(Secret::new(out))
}

/// The user name a device gets with a generated password when its own is missing or shared
/// with another device of the set: a user shared by several devices cannot have a password per
/// device.
pub fn generated_username(mac: Mac) -> String {
    format!("prov-{}", mac.macd().to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_are_long_distinct_and_plain() {
        let a = generate_password().unwrap();
        let b = generate_password().unwrap();
        assert_eq!(a.char_len(), GENERATED_LENGTH);
        assert_ne!(a, b);
        assert!(a.expose().bytes().all(|c| ALPHABET.contains(&c)));
    }
}
