//! Whether new digest credentials fit the devices that will carry them in their files: a model
//! takes credentials up to a length (the catalogue's `max_len`), and a file that breaks it
//! cannot be rendered, so the phone gets 500 and keeps its old credentials. The rule is the
//! device form's ([`too_long`]); a rollout and a site's change check it before they write.

use std::collections::BTreeMap;

use super::InventoryError;
use crate::device::{Device, too_long};
use crate::secret::Secret;

/// How many MACs a refusal names before it counts the rest.
const NAMED: usize = 5;

/// Which devices take the new credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Inherits {
    /// Their own change: they take both.
    Both,
    /// Their site's change: each takes the parts it has none of its own of.
    FromSite,
}

/// Refuses `user`/`password` when any of `devices` has a model that takes less, naming the
/// models, the limit and the devices; the password only by its length.
pub(super) fn check_fit(
    devices: &[&Device],
    inherits: Inherits,
    user: Option<&str>,
    password: Option<&Secret>,
) -> Result<(), InventoryError> {
    let mut refused: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for device in devices {
        let site = inherits == Inherits::FromSite;
        let user = user.filter(|_| !site || device.digest_username.is_none());
        let password = password.filter(|_| !site || device.digest_password.is_none());
        for (_, message) in too_long(device.model_spec(), user, password) {
            refused.entry(message).or_default().push(device.mac.macd());
        }
    }
    if refused.is_empty() {
        return Ok(());
    }
    let problems: Vec<String> = refused
        .into_iter()
        .map(|(message, macs)| {
            let total = macs.len();
            format!(
                "{message} ({}: {})",
                crate::words::count(total, "device"),
                crate::words::some_of(macs.into_iter().take(NAMED), total)
            )
        })
        .collect();
    Err(InventoryError::CredentialsTooLong {
        problems: problems.join("; "),
    })
}

/// The models of `devices` with how many of each, most first: `2 × N510 IP PRO, 1 × Maxwell 3`.
pub(super) fn models_of(devices: &[&Device]) -> Vec<(String, usize)> {
    let mut counted: BTreeMap<String, usize> = BTreeMap::new();
    for device in devices {
        let name = match device.model_spec() {
            Some(model) => model.name.to_string(),
            None => device
                .model
                .clone()
                .unwrap_or_else(|| "model not known".into()),
        };
        *counted.entry(name).or_default() += 1;
    }
    let mut models: Vec<(String, usize)> = counted.into_iter().collect();
    models.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    models
}

/// [`models_of`]'s answer as words.
pub fn models_text(models: &[(String, usize)]) -> String {
    models
        .iter()
        .map(|(model, count)| format!("{count} × {model}"))
        .collect::<Vec<_>>()
        .join(", ")
}
