//! Finding a model by the name people type: its catalogue name or an alias, ignoring case,
//! blanks, `-` and `_`.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::catalogue::CATALOGUE;
use super::model::ModelSpec;

/// Lower-cases and drops blanks, `-` and `_` so `n510 ip pro`, `N510-IP-PRO` and `N510IPPRO` meet.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every folded name and alias, built once: an import resolves a model on every row.
static BY_FOLDED_NAME: LazyLock<HashMap<String, &'static ModelSpec>> = LazyLock::new(|| {
    CATALOGUE
        .iter()
        .flat_map(|spec| {
            std::iter::once(spec.name)
                .chain(spec.aliases.iter().copied())
                .map(move |name| (fold(name), spec))
        })
        .collect()
});

/// Finds a model by its name or an alias, ignoring case, blanks, `-` and `_`.
pub fn find_model(name: &str) -> Option<&'static ModelSpec> {
    BY_FOLDED_NAME.get(&fold(name)).copied()
}

/// Why a model name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("model \"{0}\" is not in the catalogue; known models: {known}", known = model_names().join(", "))]
pub struct UnknownModel(pub String);

/// Resolves a model name the user typed to the catalogue row.
pub fn resolve_model(name: &str) -> Result<&'static ModelSpec, UnknownModel> {
    find_model(name).ok_or_else(|| UnknownModel(name.trim().to_string()))
}

/// The model a fetch or a render plays when none is given: the most common Gigaset DECT base.
pub const DEFAULT_MODEL: &str = "N510 IP PRO";

/// The catalogue row used when a device has no model.
pub fn default_model() -> &'static ModelSpec {
    resolve_model(DEFAULT_MODEL).expect("the default model is in the catalogue")
}

pub fn model_names() -> Vec<&'static str> {
    CATALOGUE.iter().map(|spec| spec.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{AuthAttempt, ManualEntry, UrlCredentials};

    #[test]
    fn aliases_resolve_to_catalogue_names() {
        for (typed, expected) in [
            ("N510", "N510 IP PRO"),
            ("n510 ip pro", "N510 IP PRO"),
            ("N510-IP-PRO", "N510 IP PRO"),
            ("Maxwell3", "Maxwell 3"),
            ("maxwell basic", "Maxwell Basic"),
            ("n870", "N610/N670/N870 IP PRO"),
            ("de900", "DE900 IP PRO"),
            ("DE310", "DE310 IP PRO"),
            ("DE410/DE310 IP PRO", "DE410 IP PRO"),
            ("DE900/DE700 IP PRO", "DE900 IP PRO"),
            ("N720 SPK PRO", "N720 IP PRO"),
            ("generic", "Generic SIP device"),
        ] {
            assert_eq!(find_model(typed).map(|m| m.name), Some(expected), "{typed}");
        }
    }

    #[test]
    fn the_default_model_is_a_catalogue_row() {
        assert_eq!(default_model().name, DEFAULT_MODEL);
    }

    #[test]
    fn unknown_models_are_refused_with_the_list() {
        assert!(find_model("").is_none());
        let err = resolve_model("N999").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("\"N999\""));
        assert!(message.contains("Maxwell 3"));
    }

    #[test]
    fn names_and_aliases_are_unique_across_the_catalogue() {
        let mut seen = std::collections::HashSet::new();
        for spec in CATALOGUE {
            for name in std::iter::once(&spec.name).chain(spec.aliases.iter()) {
                assert!(seen.insert(fold(name)), "{name} appears twice");
            }
        }
    }

    #[test]
    fn gigaset_facts_from_the_field_notes() {
        let n510 = find_model("N510").unwrap();
        assert_eq!(n510.credentials.unwrap().username_param, "S_PROV_USERNAME");
        assert_eq!(n510.credentials.unwrap().max_len, Some(50));
        assert_eq!(n510.manual_entry, ManualEntry::None);
        assert_eq!(
            n510.auth_ladder,
            &[
                AuthAttempt::Anonymous,
                AuthAttempt::MacPassword,
                AuthAttempt::Configured
            ]
        );
        let maxwell = find_model("Maxwell 3").unwrap();
        assert_eq!(
            maxwell.credentials.unwrap().password_param,
            "System.Security.HTTPAuthPassword"
        );
        assert!(matches!(
            maxwell.manual_entry,
            ManualEntry::Display { tries: 3, .. }
        ));
        assert_eq!(
            maxwell.url_credentials,
            UrlCredentials::FromFirmware("2.25")
        );
        assert!(find_model("DE900").unwrap().basic_accepted);
        assert!(!n510.basic_accepted);
    }
}
