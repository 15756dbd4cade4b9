//! One device as the Redirect panel's picker lists it, its texts made once.

use crate::device::{Mac, mask_url_password, names_this_computer};
use crate::inventory::PickableDevice;

/// One device as the picker lists it, its texts made once when the devices load: the tab
/// holds every device, and each frame lays out only the rows in view.
pub(super) struct PickerRow {
    pub(super) mac: Mac,
    /// The MAC-ID, else the MAC.
    pub(super) label: String,
    /// "provider · URL" (a password in the URL masked), or why there is none.
    pub(super) target: String,
    /// Whether it has a provider and URL to register with (its own or its site's).
    pub(super) registrable: bool,
    /// Whether that URL names this computer, which no phone can reach.
    pub(super) loopback: bool,
    pub(super) status: Option<String>,
    /// What the search looks in besides the MAC, lower-cased: MAC-ID, site, model, provider.
    pub(super) haystack: String,
}

impl PickerRow {
    pub(super) fn new(device: PickableDevice) -> Self {
        let (target, registrable) = match (&device.effective_provider, &device.effective_url) {
            (Some(provider), Some(url)) => {
                (format!("{provider} · {}", mask_url_password(url)), true)
            }
            _ => ("no provider or URL".to_string(), false),
        };
        let haystack = [
            &device.mac_id,
            &device.site,
            &device.model,
            &device.provider,
        ]
        .into_iter()
        .flatten()
        .map(|text| text.to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
        Self {
            mac: device.mac,
            label: device.mac_id.unwrap_or_else(|| device.mac.macd()),
            target,
            registrable,
            loopback: device
                .effective_url
                .as_deref()
                .is_some_and(names_this_computer),
            status: device.redirect_status.map(|s| s.replace('_', " ")),
            haystack,
        }
    }

    /// Whether the search shows this device: `needle` lower-cased, `compact` its letters and
    /// digits upper-cased (a MAC in any notation).
    pub(super) fn matches(&self, needle: &str, compact: &str) -> bool {
        needle.is_empty()
            || (!compact.is_empty() && self.mac.as_str().contains(compact))
            || self.haystack.contains(needle)
    }
}

/// A device as the picker's tests list it: a MAC-ID, a site, the provider given (else the
/// site's) and a URL with a password in it.
#[cfg(test)]
pub(super) fn example(mac: &str, site: &str, provider: Option<&str>) -> PickableDevice {
    let mac = Mac::parse(mac).unwrap();
    PickableDevice {
        mac,
        mac_id: Some(format!("{mac}-55DF")),
        site: Some(site.into()),
        model: Some("N510 IP PRO".into()),
        provider: provider.map(Into::into),
        effective_provider: provider.map(Into::into).or(Some("Site".into())),
        effective_url: Some("http://user:secret@p.example/%MACD.xml".into()),
        redirect_status: Some("not_registered".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_masks_the_url_password_and_reads_its_status() {
        let row = PickerRow::new(example("7C2F80820EC0", "Lobby", Some("Daryna")));
        assert_eq!(row.label, "7C2F80820EC0-55DF");
        assert!(!row.target.contains("secret"), "{}", row.target);
        assert!(row.target.starts_with("Daryna · "), "{}", row.target);
        assert_eq!(row.status.as_deref(), Some("not registered"));
    }
}
