//! The default template of each configuration format, shipped in `assets/templates/` and built
//! into the binary, so a fresh install renders without any set-up and "reset to default" always
//! has something to go back to.

use serde::Serialize;

use crate::device::{CATALOGUE, ConfigFormat};

/// A built-in template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DefaultTemplate {
    /// The name templates are known by, in the database and on the command line.
    pub name: &'static str,
    pub format: ConfigFormat,
    /// The file name in `assets/templates/`.
    pub asset: &'static str,
    pub text: &'static str,
}

impl DefaultTemplate {
    /// The catalogue models that read this format.
    pub fn models(&self) -> Vec<&'static str> {
        CATALOGUE
            .iter()
            .filter(|spec| spec.config_format == self.format)
            .map(|spec| spec.name)
            .collect()
    }
}

/// One template per format, in the order `template list` shows them.
pub static DEFAULT_TEMPLATES: &[DefaultTemplate] = &[
    DefaultTemplate {
        name: "provider-frame",
        format: ConfigFormat::ProviderFrame,
        asset: "provider-frame.xml",
        text: include_str!("../../assets/templates/provider-frame.xml"),
    },
    DefaultTemplate {
        name: "provisioning-1.1",
        format: ConfigFormat::Provisioning11,
        asset: "provisioning-1.1.xml",
        text: include_str!("../../assets/templates/provisioning-1.1.xml"),
    },
    DefaultTemplate {
        name: "dx800-patch",
        format: ConfigFormat::PatchFile,
        asset: "dx800-patch.cfg",
        text: include_str!("../../assets/templates/dx800-patch.cfg"),
    },
    DefaultTemplate {
        name: "spectralink",
        format: ConfigFormat::SpectralinkXml,
        asset: "spectralink.xml",
        text: include_str!("../../assets/templates/spectralink.xml"),
    },
    DefaultTemplate {
        name: "plain-text",
        format: ConfigFormat::PlainText,
        asset: "plain-text.txt",
        text: include_str!("../../assets/templates/plain-text.txt"),
    },
];

/// The built-in template the format table names for a format. Every format has one (a unit
/// test holds it to that).
pub fn default_for(format: ConfigFormat) -> &'static DefaultTemplate {
    find_default(format.spec().default_template).unwrap_or(&DEFAULT_TEMPLATES[0])
}

/// Finds a built-in template by name, ignoring case.
pub fn find_default(name: &str) -> Option<&'static DefaultTemplate> {
    DEFAULT_TEMPLATES
        .iter()
        .find(|template| template.name.eq_ignore_ascii_case(name.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_format_has_its_own_default() {
        for spec in CATALOGUE {
            assert_eq!(
                default_for(spec.config_format).format,
                spec.config_format,
                "{}",
                spec.name
            );
        }
        assert_eq!(
            find_default("Provider-Frame").map(|t| t.name),
            Some("provider-frame")
        );
        assert!(find_default("nope").is_none());
    }
}
