//! The format table: one row of facts per configuration file format, beside the model
//! catalogue that says which model reads which format.
//!
//! The template syntax, the validator, the renderer and the exporter all need to know how a
//! format's file looks (its root element, its encoding, how a setting is written, its file
//! name); they read this row instead of each keeping its own `match`, so correcting a fact is
//! correcting a row. Sources: `shared/reference/FACTS.md` §3 for ProviderFrame and provisioning
//! 1.1; the other rows hold what provdesk has always written for them.

use serde::Serialize;

/// The configuration file format the model fetches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ConfigFormat {
    /// `<ProviderFrame><Provider>…` with `S_`/`I_`/`SYMB_ITEM` elements, ISO-8859-1.
    ProviderFrame,
    /// `<provisioning version="1.1">` with `<nvm><param name value/>`.
    Provisioning11,
    /// A patch file of `BS_IP_Data…=` lines (DX800A).
    PatchFile,
    /// The Spectralink IP-DECT server's own configuration.
    SpectralinkXml,
    /// Any text the user writes.
    PlainText,
}

impl ConfigFormat {
    /// The format's row in [`FORMATS`].
    pub fn spec(self) -> &'static FormatSpec {
        FORMATS
            .iter()
            .find(|row| row.format == self)
            .expect("every format has a row in FORMATS")
    }
}

/// The character encoding a format's file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Encoding {
    Latin1,
    Utf8,
}

impl Encoding {
    /// The name an XML declaration gives it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Latin1 => "ISO-8859-1",
            Encoding::Utf8 => "UTF-8",
        }
    }

    /// A rendered file's bytes as text, read in this encoding (for previews; never fails).
    pub fn decode(self, bytes: &[u8]) -> String {
        match self {
            Encoding::Latin1 => bytes.iter().map(|&b| char::from(b)).collect(),
            Encoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
        }
    }
}

/// How one setting is written inside the settings element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamStyle {
    /// An element named after the parameter: `<S_PROV_USERNAME class="string" value="…"/>`.
    Element,
    /// `<param name="…" value="…"/>`.
    NameValue,
}

/// Where an XML format keeps its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SettingsElement {
    /// The root's child that holds the settings.
    pub element: &'static str,
    /// Where the settings live, in words, for a file that lacks the element.
    pub described: &'static str,
    pub style: ParamStyle,
}

/// How a file of the format reaches the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Delivery {
    /// The device downloads it from its provisioning URL.
    Downloaded,
    /// Someone loads it into the device once by hand; serving it achieves nothing.
    LoadedByHand {
        /// How, in words, for the template editor and the render's note.
        how: &'static str,
    },
}

/// The facts of one configuration file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FormatSpec {
    pub format: ConfigFormat,
    /// The format's name as people read it.
    pub name: &'static str,
    /// XML formats are scanned for where each value stands and checked as XML.
    pub xml: bool,
    /// The root element a file must have; `None` where provdesk checks none.
    pub root: Option<&'static str>,
    /// Where the settings, the digest credentials among them, are written; `None` for formats
    /// that carry no credential elements.
    pub settings: Option<SettingsElement>,
    /// Every line is one `NAME=VALUE` setting.
    pub setting_lines: bool,
    pub encoding: Encoding,
    /// The file name's extension when no provisioning URL names the file.
    pub extension: &'static str,
    /// The name of the built-in template for the format.
    pub default_template: &'static str,
    pub delivery: Delivery,
}

/// Every format, in the order of [`ConfigFormat`].
pub static FORMATS: &[FormatSpec] = &[
    FormatSpec {
        format: ConfigFormat::ProviderFrame,
        name: "ProviderFrame",
        xml: true,
        root: Some("ProviderFrame"),
        settings: Some(SettingsElement {
            element: "Provider",
            described: "a ProviderFrame holds its settings in one <Provider>",
            style: ParamStyle::Element,
        }),
        setting_lines: false,
        encoding: Encoding::Latin1,
        extension: "xml",
        default_template: "provider-frame",
        delivery: Delivery::Downloaded,
    },
    FormatSpec {
        format: ConfigFormat::Provisioning11,
        name: "provisioning 1.1",
        xml: true,
        root: Some("provisioning"),
        settings: Some(SettingsElement {
            element: "nvm",
            described: "a provisioning 1.1 file holds its settings in <nvm>",
            style: ParamStyle::NameValue,
        }),
        setting_lines: false,
        encoding: Encoding::Utf8,
        extension: "xml",
        default_template: "provisioning-1.1",
        delivery: Delivery::Downloaded,
    },
    FormatSpec {
        format: ConfigFormat::PatchFile,
        name: "patch file",
        xml: false,
        root: None,
        settings: None,
        setting_lines: true,
        encoding: Encoding::Utf8,
        extension: "cfg",
        default_template: "dx800-patch",
        // Gigaset wiki, "Gigaset Redirect server" (seed 002) and FACTS.md §3.
        delivery: Delivery::LoadedByHand {
            how: "a restore file: load it once through the DX800A's web UI (restore function) to enable the redirect server; the device never downloads it",
        },
    },
    FormatSpec {
        format: ConfigFormat::SpectralinkXml,
        name: "Spectralink XML",
        xml: true,
        root: None,
        settings: None,
        setting_lines: false,
        encoding: Encoding::Utf8,
        extension: "xml",
        default_template: "spectralink",
        delivery: Delivery::Downloaded,
    },
    FormatSpec {
        format: ConfigFormat::PlainText,
        name: "plain text",
        xml: false,
        root: None,
        settings: None,
        setting_lines: false,
        encoding: Encoding::Utf8,
        extension: "txt",
        default_template: "plain-text",
        delivery: Delivery::Downloaded,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::CATALOGUE;

    #[test]
    fn a_file_reads_back_in_its_own_encoding() {
        assert_eq!(Encoding::Latin1.decode(b"M\xfcller"), "Müller");
        assert_eq!(Encoding::Utf8.decode("Müller".as_bytes()), "Müller");
        assert_eq!(Encoding::Utf8.decode(b"M\xfcller"), "M\u{fffd}ller");
    }

    #[test]
    fn every_format_of_the_catalogue_has_exactly_one_row() {
        for model in CATALOGUE {
            let rows = FORMATS
                .iter()
                .filter(|row| row.format == model.config_format)
                .count();
            assert_eq!(rows, 1, "{}", model.name);
        }
    }

    #[test]
    fn settings_and_roots_belong_to_xml_formats() {
        for row in FORMATS {
            assert!(
                row.xml || (row.root.is_none() && row.settings.is_none()),
                "{}",
                row.name
            );
        }
    }
}
