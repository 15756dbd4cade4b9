//! Whether a phone that never answers its challenge can be given credentials as `user:pass@`
//! in its provisioning URL: the model table says which models read them (some from a firmware
//! on), so the fix named is one that works for this phone. Saying it to an N510, which never
//! reads them, sent installers editing URLs to no effect.

use serde::Serialize;

use crate::device::{UrlCredentials, find_model, firmware_at_least};

/// What the model table says of `user:pass@` in this phone's URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlCredentialsHint {
    /// Neither the phone's User-Agent nor the inventory names a model the table knows.
    ModelUnknown,
    /// The model reads them (the phone's firmware is new enough where that matters).
    Reads { model: String },
    /// The model reads them from firmware `minimum` on; the phone's is `older`, or could not be
    /// compared (`older` false: not known, or numbered differently).
    FromFirmware {
        model: String,
        minimum: String,
        older: bool,
    },
    /// The model does not read them.
    Never { model: String },
}

impl UrlCredentialsHint {
    /// The hint for a phone of `model` (a catalogue name or alias) running `firmware`.
    pub fn for_phone(model: Option<&str>, firmware: Option<&str>) -> Self {
        let Some(spec) = model.and_then(find_model) else {
            return Self::ModelUnknown;
        };
        let model = spec.name.to_string();
        match spec.url_credentials {
            UrlCredentials::Always => Self::Reads { model },
            UrlCredentials::No => Self::Never { model },
            UrlCredentials::FromFirmware(minimum) => {
                match firmware.and_then(|firmware| firmware_at_least(firmware, minimum)) {
                    Some(true) => Self::Reads { model },
                    known => Self::FromFirmware {
                        model,
                        minimum: minimum.to_string(),
                        older: known == Some(false),
                    },
                }
            }
        }
    }

    /// The end of the sentence that starts "Register it with the redirect server (it then
    /// knows its MAC password)".
    pub fn sentence_end(&self) -> String {
        match self {
            Self::ModelUnknown => {
                " or put user:pass@ in its URL where the model reads it".to_string()
            }
            Self::Reads { model } => {
                format!(" or put user:pass@ in its URL: the {model} reads credentials there")
            }
            Self::FromFirmware {
                model,
                minimum,
                older: true,
            } => format!(
                ". The {model} reads user:pass@ in its URL only from firmware {minimum} on: update it first to give them that way"
            ),
            Self::FromFirmware { model, minimum, .. } => format!(
                " or, with firmware {minimum} or later on the {model}, put user:pass@ in its URL"
            ),
            Self::Never { model } => format!(
                ". The {model} does not read user:pass@ in its URL, so registering is the way"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_that_never_reads_url_credentials_is_not_told_to_use_them() {
        let hint = UrlCredentialsHint::for_phone(Some("N510 IP PRO"), Some("42.250"));
        assert_eq!(
            hint,
            UrlCredentialsHint::Never {
                model: "N510 IP PRO".into()
            }
        );
        let end = hint.sentence_end();
        assert!(end.contains("does not read user:pass@"), "{end}");
        assert!(!end.contains("put user:pass@"), "{end}");
    }

    #[test]
    fn a_model_that_reads_them_from_a_firmware_is_told_by_the_phone_s_firmware() {
        let new = UrlCredentialsHint::for_phone(Some("N870"), Some("83.V2.53.1"));
        assert!(matches!(new, UrlCredentialsHint::Reads { .. }), "{new:?}");
        assert!(new.sentence_end().contains("put user:pass@ in its URL"));
        let old = UrlCredentialsHint::for_phone(Some("N870"), Some("83.V2.11.0"));
        assert!(
            old.sentence_end().contains("only from firmware 2.53 on"),
            "{}",
            old.sentence_end()
        );
        let unknown = UrlCredentialsHint::for_phone(Some("N870"), None);
        assert!(
            unknown
                .sentence_end()
                .contains("with firmware 2.53 or later"),
            "{}",
            unknown.sentence_end()
        );
    }

    #[test]
    fn a_model_that_always_reads_them_or_an_unknown_one_keeps_the_url_fix() {
        let spectralink = UrlCredentialsHint::for_phone(Some("Spectralink IP-DECT Server"), None);
        assert!(matches!(spectralink, UrlCredentialsHint::Reads { .. }));
        let unknown = UrlCredentialsHint::for_phone(Some("Fax 3000"), None);
        assert_eq!(unknown, UrlCredentialsHint::ModelUnknown);
        assert!(unknown.sentence_end().contains("where the model reads it"));
    }
}
