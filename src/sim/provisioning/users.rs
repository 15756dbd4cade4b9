//! The simulator's accounts: a name with a password, or a name with an htdigest HA1.

use thiserror::Error;

use crate::digest::{Algorithm, responses_match, stored_ha1};
use crate::secret::Secret;

/// One account the simulator accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimUser {
    name: String,
    credential: Credential,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Credential {
    /// Verifies every algorithm, in any realm the simulator names.
    Password(Secret),
    /// An htdigest line: MD5 HA1 for one realm, so only MD5 and MD5-sess in that realm verify.
    Ha1 { realm: String, ha1: Secret },
}

/// Lines of an htdigest file that are not `user:realm:ha1`, all of them, by line number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("htdigest file not read:{}", problems.iter().map(|(line, why)| format!("\n  line {line}: {why}")).collect::<String>())]
pub struct HtdigestError {
    /// `(1-based line number, what is wrong)`; never the HA1 itself.
    pub problems: Vec<(usize, &'static str)>,
}

impl SimUser {
    pub fn password(name: impl Into<String>, password: Secret) -> Self {
        Self {
            name: name.into(),
            credential: Credential::Password(password),
        }
    }

    /// A user known only by the MD5 HA1 = MD5(name:realm:password), as htdigest stores it.
    pub fn ha1(name: impl Into<String>, realm: impl Into<String>, ha1: Secret) -> Self {
        Self {
            name: name.into(),
            credential: Credential::Ha1 {
                realm: realm.into(),
                ha1: Secret::new(ha1.expose().to_ascii_lowercase()),
            },
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Reads an htdigest file (`user:realm:ha1` per line, as Apache's `htdigest` writes it).
    /// Blank lines are skipped; any other bad line rejects the whole file.
    pub fn load_htdigest(text: &str) -> Result<Vec<SimUser>, HtdigestError> {
        let mut users = Vec::new();
        let mut problems = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            match parse_line(line) {
                Ok(user) => users.push(user),
                Err(why) => problems.push((index + 1, why)),
            }
        }
        if problems.is_empty() {
            Ok(users)
        } else {
            Err(HtdigestError { problems })
        }
    }

    /// The HA1 to verify an answer made with `algorithm` in `realm`, if this user has one.
    pub(super) fn ha1_for(&self, algorithm: Algorithm, realm: &str) -> Option<Secret> {
        match &self.credential {
            Credential::Password(password) => {
                Some(stored_ha1(algorithm, &self.name, realm, password))
            }
            Credential::Ha1 {
                realm: stored_realm,
                ha1,
            } => (stored_realm == realm
                && matches!(algorithm, Algorithm::Md5 | Algorithm::Md5Sess))
            .then(|| ha1.clone()),
        }
    }

    /// Whether a Basic password is this user's, compared through the MD5 HA1 so htdigest
    /// users can log in with Basic too.
    pub(super) fn password_matches(&self, realm: &str, password: &Secret) -> bool {
        let offered = stored_ha1(Algorithm::Md5, &self.name, realm, password);
        self.ha1_for(Algorithm::Md5, realm)
            .is_some_and(|ha1| responses_match(offered.expose(), ha1.expose()))
    }
}

fn parse_line(line: &str) -> Result<SimUser, &'static str> {
    let mut fields = line.split(':');
    let (Some(name), Some(realm), Some(ha1), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err("expected user:realm:ha1");
    };
    if name.is_empty() {
        return Err("the user name is empty");
    }
    if ha1.len() != 32 || !ha1.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("the HA1 is not 32 hex digits (an MD5)");
    }
    Ok(SimUser::ha1(name, realm, Secret::new(ha1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn htdigest_users_verify_md5_in_their_realm_only() {
        let users = SimUser::load_htdigest(
            "\nMufasa:testrealm@host.com:939E7578ED9E3C518A452ACEE763BCE9\n",
        )
        .unwrap();
        assert_eq!(users.len(), 1);
        let user = &users[0];
        assert_eq!(user.name(), "Mufasa");
        assert_eq!(
            user.ha1_for(Algorithm::Md5Sess, "testrealm@host.com")
                .unwrap()
                .expose(),
            "939e7578ed9e3c518a452acee763bce9"
        );
        assert!(
            user.ha1_for(Algorithm::Sha256, "testrealm@host.com")
                .is_none()
        );
        assert!(user.ha1_for(Algorithm::Md5, "other").is_none());
        assert!(user.password_matches("testrealm@host.com", &Secret::new("Circle Of Life")));
        assert!(!user.password_matches("testrealm@host.com", &Secret::new("circle of life")));
    }

    #[test]
    fn bad_lines_are_all_reported_without_the_hash() {
        let text = "ok:r:939e7578ed9e3c518a452acee763bce9\nno-colons\n:r:939e7578ed9e3c518a452acee763bce9\nu:r:secretvalue\nu:r:h:extra";
        let error = SimUser::load_htdigest(text).unwrap_err();
        let lines: Vec<usize> = error.problems.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5]);
        let message = error.to_string();
        assert!(
            message.contains("line 4: the HA1 is not 32 hex digits"),
            "{message}"
        );
        assert!(!message.contains("secretvalue"), "{message}");
    }

    #[test]
    fn password_users_verify_every_algorithm() {
        let user = SimUser::password("u", Secret::new("p"));
        for algorithm in Algorithm::ALL {
            assert_eq!(
                user.ha1_for(algorithm, "r"),
                Some(stored_ha1(algorithm, "u", "r", &Secret::new("p")))
            );
        }
        assert!(user.password_matches("any", &Secret::new("p")));
        assert!(!user.password_matches("any", &Secret::new("q")));
        assert!(!format!("{user:?}").contains("\"p\""));
    }
}
