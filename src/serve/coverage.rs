//! The devices a server can never hand their file, said when serving starts, before the first
//! phone is refused for it: with neither a MAC password nor a digest user and password there is
//! nothing to check a phone's answer against, so every request gets `401`; and a file that
//! cannot be rendered (no model, a template value the model refuses, a password longer than it
//! takes) gets `500` after the phone answered its challenge right.

use std::collections::BTreeSet;

use thiserror::Error;

use crate::device::Mac;
use crate::inventory::{
    CredentialGaps, DeviceQuery, Inventory, InventoryError, TemplateStoreError,
};
use crate::templates::RenderSettings;
use crate::words;

/// Devices read per query while files are tried, so that a large inventory is never held
/// whole.
const PAGE: usize = 500;

/// Why the files could not be tried.
#[derive(Debug, Error)]
pub enum CoverageError {
    #[error(transparent)]
    Inventory(#[from] InventoryError),
    #[error(transparent)]
    Templates(#[from] TemplateStoreError),
}

/// The devices served whose file cannot be rendered, with why, by MAC.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderFailures {
    /// How many devices were tried.
    pub devices: usize,
    pub failed: Vec<(Mac, String)>,
}

/// Renders every device of `site` (all when `None`) as the server would answer it, with the
/// templates in use now.
pub fn render_failures(
    inventory: &Inventory,
    site: Option<&str>,
) -> Result<RenderFailures, CoverageError> {
    let templates = inventory.template_set()?;
    let mut failures = RenderFailures::default();
    let settings = RenderSettings::default();
    loop {
        let page = inventory.query_devices(&DeviceQuery {
            site: site.map(str::to_string),
            limit: Some(PAGE),
            offset: failures.devices,
            ..DeviceQuery::default()
        })?;
        for device in &page.devices {
            if let Err(error) = templates.render(device, &settings) {
                // On one line: the problem may name the rendered file's line on a line of its own.
                let why: Vec<String> = error
                    .problem
                    .to_string()
                    .lines()
                    .map(|line| line.trim().to_string())
                    .collect();
                failures.failed.push((device.mac, why.join(" ")));
            }
        }
        failures.devices += page.devices.len();
        if page.devices.len() < PAGE {
            return Ok(failures);
        }
    }
}

/// What the user should know and do, when some device's file cannot be rendered: the count,
/// the first few MACs, and the first reason (one template mistake usually fails them all).
pub fn render_warning(failures: &RenderFailures) -> Option<String> {
    let count = failures.failed.len();
    let (first, first_why) = failures.failed.first()?;
    let named = words::some_of(
        failures
            .failed
            .iter()
            .take(NAMED)
            .map(|(mac, _)| mac.macd()),
        count,
    );
    let reasons: BTreeSet<&str> = failures
        .failed
        .iter()
        .map(|(_, why)| why.as_str())
        .collect();
    let others = match reasons.len() - 1 {
        0 => String::new(),
        n => format!("; {} among the rest", words::count(n, "other reason")),
    };
    let which = if count == 1 {
        format!("{named}: {first_why}")
    } else {
        format!("{named}; {}: {first_why}{others}", first.macd())
    };
    Some(format!(
        "{count} of {} {} a file that cannot be rendered, so {} will get 500 ({which}). Fix \
         the template (Templates) or the {} values, then {} next request gets the file.",
        words::count(failures.devices, "device"),
        words::agree(count, "has", "have"),
        words::agree(count, "its phone", "their phones"),
        words::agree(count, "device's", "devices'"),
        words::agree(count, "its", "their"),
    ))
}

/// How many MACs the warning names; the count says the rest.
const NAMED: usize = 3;

/// What the user should know and do, when some device served has no credentials.
pub fn credentials_warning(gaps: &CredentialGaps) -> Option<String> {
    let count = gaps.without_credentials.len();
    if count == 0 {
        return None;
    }
    let named = words::some_of(
        gaps.without_credentials.iter().take(NAMED).map(Mac::macd),
        count,
    );
    Some(format!(
        "{count} of {} {} neither a MAC password nor a digest user and password, so {} will be \
         refused ({}). Register {} with the redirect server (its answer brings the MAC \
         password), or give {} a digest user and password.",
        words::count(gaps.devices, "device"),
        words::agree(count, "has", "have"),
        words::agree(count, "its phone", "their phones"),
        named,
        words::agree(count, "it", "them"),
        words::agree(count, "it or its site", "them or their site")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failures(devices: usize, whys: &[&str]) -> RenderFailures {
        RenderFailures {
            devices,
            failed: (1..)
                .zip(whys)
                .map(|(n, why)| {
                    (
                        Mac::parse(&format!("7C2F80{n:06X}")).unwrap(),
                        why.to_string(),
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn the_render_warning_names_the_devices_and_the_first_reason() {
        assert_eq!(render_warning(&failures(3, &[])), None);
        let one = render_warning(&failures(3, &["no model"])).unwrap();
        assert!(
            one.starts_with(
                "1 of 3 devices has a file that cannot be rendered, so its phone will get 500 \
                 (7C2F80000001: no model). Fix the template (Templates) or the device's values"
            ),
            "{one}"
        );
        let two = render_warning(&failures(3, &["too long", "no model", "too long"])).unwrap();
        assert!(
            two.contains(
                "(7C2F80000001, 7C2F80000002, 7C2F80000003; 7C2F80000001: too long; 1 other \
                 reason among the rest)"
            ),
            "{two}"
        );
    }

    fn gaps(devices: usize, without: u32) -> CredentialGaps {
        CredentialGaps {
            devices,
            without_credentials: (1..=without)
                .map(|n| Mac::parse(&format!("7C2F80{n:06X}")).unwrap())
                .collect(),
        }
    }

    #[test]
    fn the_warning_names_three_and_counts_the_rest() {
        let warning = credentials_warning(&gaps(9, 5)).unwrap();
        assert!(warning.starts_with("5 of 9 devices have"), "{warning}");
        assert!(
            warning.contains("(7C2F80000001, 7C2F80000002, 7C2F80000003, …)"),
            "{warning}"
        );
        let warning = credentials_warning(&gaps(9, 2)).unwrap();
        assert!(
            warning.contains("(7C2F80000001, 7C2F80000002)"),
            "{warning}"
        );
    }

    #[test]
    fn no_gap_no_warning() {
        assert_eq!(credentials_warning(&gaps(9, 0)), None);
    }
}
