//! What the window remembers between runs (eframe's storage, in the app's data folder): the
//! panel, the theme, the inventory's sort, the last test-fetch setting without its secrets and
//! where the Serve panel last served.
//! The window's size and the table's column widths are kept by eframe and egui themselves.

use serde::{Deserialize, Serialize};

use crate::inventory::SortKey;
use crate::ui::section::Section;
use crate::ui::widgets::style::Theme;

const KEY: &str = "provdesk";

/// The inventory table's order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

/// The test fetch's setting, never a password: a URL is kept only when it carries none.
/// Fields added later default when an older file lacks them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FetchSetting {
    pub url: String,
    pub model: String,
    pub firmware: String,
    pub mac: String,
    pub username: String,
    pub accept_invalid_certs: bool,
    pub ca_file: String,
    pub client_cert: String,
    pub client_key: String,
    /// Seconds to wait for each answer, as typed; empty for the default.
    pub timeout: String,
}

/// Where the Serve panel listened, by kind: the laptop's address in a site's network changes
/// from site to site, the choice of serving that network does not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Listen {
    /// Loopback: the first run's choice, which exposes nothing.
    #[default]
    ThisLaptop,
    LocalNetwork,
    EveryInterface,
}

/// The Serve panel's setting: without it, every start went back to loopback, and the first
/// start at a site served no phone until the warning was noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServeSetting {
    pub listen: Listen,
    pub port: String,
    pub realm: String,
    pub https: bool,
    pub basic: bool,
    /// Serve only this site's devices; empty: every site.
    pub site: String,
    /// Lock a client out after `lockout_after` refused answers, for `lockout_seconds`.
    pub lockout: bool,
    pub lockout_after: String,
    pub lockout_seconds: String,
    /// Seconds a nonce is good for.
    pub nonce_lifetime: String,
    /// Append one JSON object per request to this file; empty: no JSON log.
    pub log_json: String,
}

impl Default for ServeSetting {
    fn default() -> Self {
        Self {
            listen: Listen::ThisLaptop,
            port: "8631".into(),
            realm: crate::serve::DEFAULT_REALM.into(),
            https: false,
            basic: false,
            site: String::new(),
            lockout: false,
            lockout_after: "5".into(),
            lockout_seconds: "300".into(),
            nonce_lifetime: "300".into(),
            log_json: String::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Remembered {
    pub section: Section,
    pub theme: Theme,
    pub sort: Sort,
    pub fetch: FetchSetting,
    pub serve: ServeSetting,
}

impl Remembered {
    /// What the last run kept; the defaults when nothing (or something unreadable) was kept.
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Self {
        storage
            .and_then(|storage| eframe::get_value(storage, KEY))
            .unwrap_or_default()
    }

    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, KEY, self);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[derive(Default)]
    struct Memory(HashMap<String, String>);

    impl eframe::Storage for Memory {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }

        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_string(), value);
        }

        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }

        fn flush(&mut self) {}
    }

    #[test]
    fn what_is_saved_comes_back() {
        let kept = Remembered {
            section: Section::Redirect,
            theme: Theme::Light,
            sort: Sort {
                key: SortKey::LastFetch,
                descending: true,
            },
            fetch: FetchSetting {
                url: "https://p.example/%MACD.xml".into(),
                model: "N720 DM PRO".into(),
                ..FetchSetting::default()
            },
            serve: ServeSetting {
                listen: Listen::LocalNetwork,
                port: "8080".into(),
                site: "Bench".into(),
                lockout: true,
                nonce_lifetime: "120".into(),
                log_json: "/tmp/serve.jsonl".into(),
                ..ServeSetting::default()
            },
        };
        let mut storage = Memory::default();
        kept.save(&mut storage);
        assert_eq!(Remembered::load(Some(&storage)), kept);
    }

    /// A file kept before the Serve setting was: the rest comes back, the Serve panel starts
    /// as it always did.
    #[test]
    fn an_older_file_without_the_serve_setting_keeps_the_rest() {
        let mut storage = Memory::default();
        eframe::Storage::set_string(
            &mut storage,
            KEY,
            "(section: Redirect, theme: Light)".into(),
        );
        let loaded = Remembered::load(Some(&storage));
        assert_eq!(loaded.section, Section::Redirect);
        assert_eq!(loaded.serve.port, "8631");
        assert_eq!(loaded.serve.realm, "provdesk");
        assert_eq!(loaded.serve.nonce_lifetime, "300");
        assert!(!loaded.serve.lockout && loaded.serve.site.is_empty());
    }

    #[test]
    fn nothing_or_garbage_kept_gives_the_defaults() {
        assert_eq!(Remembered::load(None), Remembered::default());
        let mut storage = Memory::default();
        eframe::Storage::set_string(&mut storage, KEY, "not ron at all (".into());
        assert_eq!(Remembered::load(Some(&storage)), Remembered::default());
    }
}
