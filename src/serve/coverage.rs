//! The devices a server can never hand their file: with neither a MAC password nor a digest
//! user and password there is nothing to check a phone's answer against, so every request
//! gets `401`. Said when serving starts, before the first phone is refused for it.

use crate::device::Mac;
use crate::inventory::CredentialGaps;
use crate::words;

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
