//! The values a render needs that the inventory does not hold: provider-level SIP settings and
//! the file version.

use std::collections::BTreeMap;

use thiserror::Error;

use super::variables::{VARIABLES, Variable};

/// Values a render needs that the inventory does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderSettings {
    /// Provider-level SIP values by variable name (`sip_domain`, `sip_server`, `sip_port`,
    /// `sip_outbound_proxy`).
    values: BTreeMap<&'static str, String>,
    /// `{{version}}`: DDMMYYHHMM. ProviderFrame devices apply only a newer version, so it
    /// defaults to the time of the render (UTC).
    pub version: String,
}

impl Default for RenderSettings {
    fn default() -> Self {
        Self {
            values: BTreeMap::new(),
            version: chrono::Utc::now().format("%d%m%y%H%M").to_string(),
        }
    }
}

/// A render setting that no variable reads.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("\"{0}\" is not a render setting; settings are: {known}", known = setting_names().join(", "))]
pub struct UnknownSetting(pub String);

fn setting_names() -> Vec<&'static str> {
    VARIABLES
        .iter()
        .filter_map(|spec| spec.variable.setting_key())
        .collect()
}

impl RenderSettings {
    /// Sets a provider-level value, e.g. `sip_domain`.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), UnknownSetting> {
        let key = Variable::from_name(key.trim())
            .and_then(Variable::setting_key)
            .ok_or_else(|| UnknownSetting(key.to_string()))?;
        self.values.insert(key, value.to_string());
        Ok(())
    }

    /// The provider-level value a variable reads, if it was given.
    pub(super) fn value(&self, variable: Variable) -> Option<&str> {
        self.values.get(variable.name()).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_settings_are_taken() {
        let mut settings = RenderSettings::default();
        assert!(settings.set("sip_domain", "sip.example.com").is_ok());
        assert!(settings.set("mac", "x").is_err());
        assert_eq!(settings.version.len(), 10);
    }
}
