//! What the window remembers between runs (eframe's storage, in the app's data folder): the
//! panel, the theme, the inventory's sort and the last test-fetch setting without its secrets.
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
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Remembered {
    pub section: Section,
    pub theme: Theme,
    pub sort: Sort,
    pub fetch: FetchSetting,
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
        };
        let mut storage = Memory::default();
        kept.save(&mut storage);
        assert_eq!(Remembered::load(Some(&storage)), kept);
    }

    #[test]
    fn nothing_or_garbage_kept_gives_the_defaults() {
        assert_eq!(Remembered::load(None), Remembered::default());
        let mut storage = Memory::default();
        eframe::Storage::set_string(&mut storage, KEY, "not ron at all (".into());
        assert_eq!(Remembered::load(Some(&storage)), Remembered::default());
    }
}
