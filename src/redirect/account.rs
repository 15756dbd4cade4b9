//! The provisioner account: endpoint and user in a small settings file, the password in the
//! OS keyring.
//!
//! On Linux the keyring is the Secret Service (GNOME Keyring, KWallet) reached over D-Bus by
//! zbus, which is pure Rust: provdesk builds with the Rust toolchain alone, no libdbus headers.
//! A machine without a keyring service (a server, a container, a bare window manager) keeps the
//! password in the settings file instead, created readable by the user only, and says so.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::private_file::write_private;
use crate::secret::Secret;

/// Gigaset's production endpoint: where an account points when its endpoint is left empty.
pub const DEFAULT_ENDPOINT: &str = "https://prov.gigaset.net/apxml/rpc.do";

/// The keyring entry's service name; the entry's user is the provisioner user.
pub const KEYRING_SERVICE: &str = "net.provdesk.Provdesk.redirect";

/// Set to `1` to skip the keyring and use the file, e.g. for tests and headless scripts.
pub const NO_KEYRING_ENV: &str = "PROVDESK_NO_KEYRING";

/// The settings file's name, next to the inventory.
pub const ACCOUNT_FILE: &str = "redirect-account.json";

/// Everything a call to the redirect server needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub endpoint: String,
    pub user: String,
    pub password: Secret,
    /// Take a plain `http://` endpoint on another machine, sending the password in clear (a
    /// lab server). Off unless a face passes the user's explicit choice; never saved.
    pub allow_http: bool,
}

impl Account {
    pub fn new(endpoint: impl Into<String>, user: impl Into<String>, password: Secret) -> Self {
        Self {
            endpoint: endpoint.into(),
            user: user.into(),
            password,
            allow_http: false,
        }
    }

    /// The same account, with plain `http://` to another machine allowed or not.
    pub fn allowing_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }
}

/// Where a saved password went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordHome {
    Keyring,
    /// No keyring service answered; the password is in this user-only file.
    File {
        path: PathBuf,
        why: String,
    },
}

impl PasswordHome {
    /// The warning to show when the password is not in the keyring, in words: what the
    /// keyring library said is [`Self::why`], for whoever asks.
    pub fn warning(&self) -> Option<String> {
        match self {
            Self::Keyring => None,
            Self::File { path, .. } => Some(format!(
                "no keyring service answered, so the redirect password is kept in {}, readable only by you",
                path.display()
            )),
        }
    }

    /// Why the keyring was not used, as its library said it.
    pub fn why(&self) -> Option<&str> {
        match self {
            Self::Keyring => None,
            Self::File { why, .. } => Some(why),
        }
    }
}

#[derive(Debug, Error)]
pub enum AccountError {
    #[error("cannot use the account file {path}: {source}; check the folder's permissions")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the account file {path} is damaged ({reason}); delete it and save the account again")]
    Damaged { path: PathBuf, reason: String },
    #[error("the provisioner user name is empty: type the user name Gigaset gave you")]
    EmptyUser,
}

/// What the settings file holds. `password` only when there is no keyring.
#[derive(Debug, Default, Serialize, Deserialize)]
struct AccountFile {
    endpoint: String,
    user: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password: Option<String>,
}

/// Saves and loads the account in a data folder.
#[derive(Debug, Clone)]
pub struct AccountStore {
    file: PathBuf,
    use_keyring: bool,
}

impl AccountStore {
    /// Keyring first, the file as fallback; [`NO_KEYRING_ENV`] forces the file.
    pub fn new(data_dir: &Path) -> Self {
        let forced_off = std::env::var(NO_KEYRING_ENV).is_ok_and(|v| v == "1");
        Self {
            file: data_dir.join(ACCOUNT_FILE),
            use_keyring: !forced_off,
        }
    }

    /// Never touches the keyring.
    pub fn file_only(data_dir: &Path) -> Self {
        Self {
            file: data_dir.join(ACCOUNT_FILE),
            use_keyring: false,
        }
    }

    pub fn file_path(&self) -> &Path {
        &self.file
    }

    /// The saved account, if any; the password is empty when none is stored.
    pub fn load(&self) -> Result<Option<Account>, AccountError> {
        let Some(file) = self.read()? else {
            return Ok(None);
        };
        let password = match file.password {
            Some(password) => Some(Secret::new(password)),
            None => self.keyring_password(&file.user),
        };
        Ok(Some(Account::new(
            file.endpoint,
            file.user,
            password.unwrap_or_default(),
        )))
    }

    /// The stored password of `user`, from the keyring or the file.
    pub fn password(&self, user: &str) -> Result<Option<Secret>, AccountError> {
        if let Some(file) = self.read()?
            && file.user == user
            && let Some(password) = file.password
        {
            return Ok(Some(Secret::new(password)));
        }
        Ok(self.keyring_password(user))
    }

    /// Saves the account; says where the password went.
    pub fn save(&self, account: &Account) -> Result<PasswordHome, AccountError> {
        let user = account.user.trim();
        if user.is_empty() {
            return Err(AccountError::EmptyUser);
        }
        let endpoint = match account.endpoint.trim() {
            "" => DEFAULT_ENDPOINT.to_string(),
            endpoint => endpoint.to_string(),
        };
        let (home, in_file) = match self.keyring_save(user, &account.password) {
            Ok(()) => (PasswordHome::Keyring, None),
            Err(why) => (
                PasswordHome::File {
                    path: self.file.clone(),
                    why,
                },
                Some(account.password.expose().to_string()),
            ),
        };
        self.write(&AccountFile {
            endpoint,
            user: user.to_string(),
            password: in_file,
        })?;
        Ok(home)
    }

    fn keyring_password(&self, user: &str) -> Option<Secret> {
        if !self.use_keyring {
            return None;
        }
        let entry = keyring::Entry::new(KEYRING_SERVICE, user).ok()?;
        entry.get_password().ok().map(Secret::new)
    }

    /// Stores in the keyring, or says why it could not.
    fn keyring_save(&self, user: &str, password: &Secret) -> Result<(), String> {
        if !self.use_keyring {
            return Err(format!("{NO_KEYRING_ENV}=1"));
        }
        keyring::Entry::new(KEYRING_SERVICE, user)
            .and_then(|entry| entry.set_password(password.expose()))
            .map_err(|e| e.to_string())
    }

    fn read(&self) -> Result<Option<AccountFile>, AccountError> {
        match std::fs::read_to_string(&self.file) {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| AccountError::Damaged {
                    path: self.file.clone(),
                    reason: e.to_string(),
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(AccountError::Io {
                path: self.file.clone(),
                source,
            }),
        }
    }

    fn write(&self, file: &AccountFile) -> Result<(), AccountError> {
        let io = |source| AccountError::Io {
            path: self.file.clone(),
            source,
        };
        let text = serde_json::to_string_pretty(file).map_err(|e| AccountError::Damaged {
            path: self.file.clone(),
            reason: e.to_string(),
        })?;
        write_private(&self.file, text.as_bytes()).map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_keyring_the_password_goes_to_a_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = AccountStore::file_only(dir.path());
        let home = store
            .save(&Account::new("", "gigaset", Secret::new("aptest")))
            .unwrap();
        let warning = home.warning().unwrap();
        assert!(warning.contains("readable only by you"), "{warning}");
        assert!(
            !warning.contains(home.why().unwrap()),
            "the library's words stay out of the sentence: {warning}"
        );
        let loaded = store.load().unwrap().unwrap();
        assert_eq!(loaded.endpoint, DEFAULT_ENDPOINT);
        assert_eq!(loaded.password.expose(), "aptest");
        assert_eq!(store.password("someone else").unwrap(), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.file_path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_missing_data_folder_is_created_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("new").join("provdesk");
        AccountStore::file_only(&data)
            .save(&Account::new("", "gigaset", Secret::new("aptest")))
            .unwrap();
        for folder in [&data, &dir.path().join("new")] {
            let mode = std::fs::metadata(folder).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700, "{}", folder.display());
        }
    }

    #[test]
    fn an_empty_user_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = AccountStore::file_only(dir.path());
        assert!(matches!(
            store.save(&Account::new("", " ", Secret::new("x"))),
            Err(AccountError::EmptyUser)
        ));
    }
}
