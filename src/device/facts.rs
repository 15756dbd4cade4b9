//! A row's facts in words, each beside its source: what the catalogue view, `provdesk models`
//! and the notes of a render or a fetch show.

use serde::Serialize;

use super::model::{AuthAttempt, ManualEntry, ModelSpec, UrlCredentials};
use super::source::{Fact, Source, Sourced};

/// One fact of a model, in words, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactRow {
    pub fact: Fact,
    pub value: String,
    pub source: Source,
}

/// The facts a render of a file for this model relies on.
pub const RENDER_FACTS: &[Fact] = &[
    Fact::ConfigFormat,
    Fact::ProductId,
    Fact::ProfileName,
    Fact::CredentialParams,
    Fact::PasswordRequires,
];

/// The facts a test fetch playing this model relies on.
pub const FETCH_FACTS: &[Fact] = &[
    Fact::AuthLadder,
    Fact::DigestAlgorithms,
    Fact::BasicAccepted,
    Fact::UrlCredentials,
    Fact::UserAgent,
];

impl ModelSpec {
    /// Every fact's source, the groups flattened.
    pub fn sourced(&self) -> impl Iterator<Item = &'static Sourced> {
        self.sources.iter().flat_map(|group| group.iter())
    }

    /// Where `fact` comes from; `None` when the model has no such fact (a ProviderFrame model
    /// has no productID).
    pub fn source(&self, fact: Fact) -> Option<Source> {
        self.sourced()
            .find(|sourced| sourced.fact == fact)
            .map(|sourced| sourced.source)
    }

    /// Every fact the model has, in words, with its source.
    pub fn facts(&self) -> Vec<FactRow> {
        self.sourced()
            .filter_map(|sourced| {
                self.describe(sourced.fact).map(|value| FactRow {
                    fact: sourced.fact,
                    value,
                    source: sourced.source,
                })
            })
            .collect()
    }

    /// The unconfirmed facts among `used`, with why each is unconfirmed: a render or a fetch
    /// names them in a note.
    pub fn unconfirmed_among(&self, used: &[Fact]) -> Vec<(Fact, &'static str)> {
        used.iter()
            .filter_map(|&fact| match self.source(fact)? {
                Source::Unconfirmed { why } => Some((fact, why)),
                _ => None,
            })
            .collect()
    }

    /// One note naming the unconfirmed facts among `used`; `None` when all are documented.
    pub fn unconfirmed_note(&self, used: &[Fact]) -> Option<String> {
        let unconfirmed = self.unconfirmed_among(used);
        (!unconfirmed.is_empty()).then(|| {
            let list: Vec<String> = unconfirmed
                .iter()
                .map(|(fact, why)| format!("{} ({why})", fact.label()))
                .collect();
            format!(
                "{}: unconfirmed catalogue facts used: {}",
                self.name,
                list.join("; ")
            )
        })
    }

    /// The value of `fact` in words; `None` when the model has no such fact.
    pub fn describe(&self, fact: Fact) -> Option<String> {
        Some(match fact {
            Fact::ConfigFormat => self.config_format.spec().name.to_string(),
            Fact::ProductId => self.product_id?.to_string(),
            Fact::ProfileName => self.profile_name?.to_string(),
            Fact::CredentialParams => {
                let params = self.credentials?;
                let limit = params
                    .max_len
                    .map(|limit| format!(" (at most {limit} characters)"))
                    .unwrap_or_default();
                format!(
                    "{} / {}{limit}",
                    params.username_param, params.password_param
                )
            }
            Fact::PasswordRequires => {
                let required = self.password_requires?;
                format!("{} = {}", required.param, required.value)
            }
            Fact::AuthLadder => describe_ladder(self.auth_ladder),
            Fact::DigestAlgorithms => self
                .digest_algorithms
                .iter()
                .map(|algorithm| algorithm.name())
                .collect::<Vec<_>>()
                .join(", "),
            Fact::ManualEntry => describe_manual_entry(self.manual_entry),
            Fact::BasicAccepted => if self.basic_accepted {
                "accepted"
            } else {
                "refused: digest only"
            }
            .to_string(),
            Fact::UrlCredentials => match self.url_credentials {
                UrlCredentials::No => "not taken".to_string(),
                UrlCredentials::FromFirmware(firmware) => format!("from firmware {firmware}"),
                UrlCredentials::Always => "taken".to_string(),
            },
            Fact::MinDigestFirmware => self.min_digest_firmware?.to_string(),
            Fact::Dvid => self.dvid?.to_string(),
            Fact::UserAgent => {
                let shape = self.user_agent?;
                shape.header(shape.known_firmware, Some("<MAC>"))
            }
            Fact::FolderFile => format!("{}, then <MAC>.xml", self.folder_file?),
            Fact::SipAccounts => self.sip_accounts.to_string(),
            Fact::SipParams => {
                let params = self.sip_params?;
                let names: Vec<String> = params
                    .params
                    .iter()
                    .map(|param| params.name(param, 1))
                    .collect();
                format!("{} (account 1)", names.join(", "))
            }
        })
    }
}

fn describe_ladder(ladder: &[AuthAttempt]) -> String {
    ladder
        .iter()
        .map(|attempt| match attempt {
            AuthAttempt::Anonymous => "no credentials",
            AuthAttempt::MacPassword => "MAC / MAC password",
            AuthAttempt::Configured => "configured credentials",
            AuthAttempt::Manual => "typed on the device",
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

fn describe_manual_entry(entry: ManualEntry) -> String {
    match entry {
        ManualEntry::None => "none: the fetch fails".to_string(),
        ManualEntry::Display {
            tries,
            idle_timeout_s,
            from_firmware,
        } => format!(
            "on the display, {tries} tries, closes {idle_timeout_s} s after the last key (from {from_firmware})"
        ),
        ManualEntry::Notification { tries } => format!("a notification opens it, {tries} tries"),
        ManualEntry::OneTry { from_firmware } => {
            format!("one try; an empty entry tries once too (from {from_firmware})")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{CATALOGUE, find_model};

    /// Every fact a row has carries exactly one source, and no source stands for a fact the
    /// row lacks.
    #[test]
    fn every_fact_of_every_model_has_one_source() {
        let all = [
            Fact::ConfigFormat,
            Fact::ProductId,
            Fact::ProfileName,
            Fact::CredentialParams,
            Fact::PasswordRequires,
            Fact::AuthLadder,
            Fact::DigestAlgorithms,
            Fact::ManualEntry,
            Fact::BasicAccepted,
            Fact::UrlCredentials,
            Fact::MinDigestFirmware,
            Fact::Dvid,
            Fact::UserAgent,
            Fact::FolderFile,
            Fact::SipAccounts,
            Fact::SipParams,
        ];
        for model in CATALOGUE {
            for fact in all {
                let sources = model.sourced().filter(|s| s.fact == fact).count();
                let present = model.describe(fact).is_some();
                assert_eq!(
                    sources,
                    usize::from(present),
                    "{}: {fact:?} has {sources} sources but is {}",
                    model.name,
                    if present { "present" } else { "absent" }
                );
            }
        }
    }

    #[test]
    fn unconfirmed_facts_are_named_with_their_reason() {
        let de900 = find_model("DE900").unwrap();
        let note = de900.unconfirmed_note(RENDER_FACTS).unwrap();
        assert!(note.contains("digest credential parameters"), "{note}");
        assert!(note.contains("not published"), "{note}");
        let de410 = find_model("DE410").unwrap();
        assert!(
            de410
                .unconfirmed_among(RENDER_FACTS)
                .iter()
                .all(|(fact, _)| *fact != Fact::ProfileName),
            "the DE410's PROFILE_NAME is published"
        );
        assert!(
            find_model("N510")
                .unwrap()
                .unconfirmed_note(&[Fact::CredentialParams])
                .is_none()
        );
    }

    #[test]
    fn sip_account_counts_are_sourced_and_n510_has_six() {
        let n510 = find_model("N510").unwrap();
        assert_eq!(n510.sip_accounts, 6);
        assert!(!n510.source(Fact::SipAccounts).unwrap().is_unconfirmed());
        assert_eq!(find_model("N720").unwrap().sip_accounts, 100);
        let maxwell = find_model("Maxwell 3").unwrap();
        assert!(maxwell.source(Fact::SipAccounts).unwrap().is_unconfirmed());
        let n870 = find_model("N870").unwrap();
        assert_eq!(
            n870.describe(Fact::SipParams).unwrap(),
            "SipAccount.00001.AuthName, SipAccount.00001.AuthPassword, SipAccount.00001.UserName, SipAccount.00001.DisplayName (account 1)"
        );
        for model in CATALOGUE {
            assert!(model.sip_accounts > 0, "{}", model.name);
        }
    }

    #[test]
    fn facts_read_as_words() {
        let n720 = find_model("N720").unwrap();
        let rows = n720.facts();
        let value = |fact| {
            rows.iter()
                .find(|row| row.fact == fact)
                .map(|row| row.value.clone())
        };
        assert_eq!(
            value(Fact::PasswordRequires).as_deref(),
            Some("I_PHONE_SYSTEM = 5")
        );
        assert_eq!(
            value(Fact::AuthLadder).as_deref(),
            Some("no credentials → MAC / MAC password → configured credentials")
        );
        assert_eq!(
            value(Fact::UserAgent).as_deref(),
            Some("Gigaset N720 DM PRO/70.089.00.000.000;<MAC>")
        );
    }
}
