//! The devices a server can never hand their file: with neither a MAC password nor a digest
//! user and password there is nothing to check a phone's answer against, so every request
//! gets `401`. Said when serving starts, before the first phone is refused for it.

use crate::device::Mac;
use crate::inventory::{DeviceQuery, Inventory, InventoryError};

/// How many MACs the warning names; the count says the rest.
const NAMED: usize = 3;

/// Of the devices served, those without credentials.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// The devices served: the inventory's, or one site's.
    pub devices: usize,
    /// Those with neither a MAC password nor a digest user and password, by MAC.
    pub without_credentials: Vec<Mac>,
}

impl Coverage {
    /// Reads the devices served (`site`'s only, when given) and finds those without
    /// credentials.
    pub fn of(inventory: &Inventory, site: Option<&str>) -> Result<Self, InventoryError> {
        let query = DeviceQuery {
            site: site.map(str::to_string),
            ..DeviceQuery::default()
        };
        let devices = inventory.query_devices(&query)?.devices;
        let without_credentials = devices
            .iter()
            .filter(|d| d.usable_mac_password().is_none() && d.digest_credentials().is_none())
            .map(|d| d.mac)
            .collect();
        Ok(Self {
            devices: devices.len(),
            without_credentials,
        })
    }

    /// What the user should know and do, when some device has no credentials.
    pub fn warning(&self) -> Option<String> {
        let count = self.without_credentials.len();
        if count == 0 {
            return None;
        }
        let mut named: Vec<String> = self
            .without_credentials
            .iter()
            .take(NAMED)
            .map(Mac::macd)
            .collect();
        if count > NAMED {
            named.push("…".into());
        }
        Some(format!(
            "{count} of {} device(s) have neither a MAC password nor a digest user and password, \
             so their phones will be refused ({}). Register them with the redirect server (its \
             answer brings the MAC password), or give them or their site a digest user and \
             password.",
            self.devices,
            named.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{MacPassword, NewDevice};
    use crate::inventory::SiteDraft;
    use crate::secret::Secret;

    fn device(n: u32) -> NewDevice {
        NewDevice::with_mac(Mac::parse(&format!("7C2F80{n:06X}")).unwrap())
    }

    /// A MAC password, own digest credentials or the site's each make a device servable; a
    /// user without a password does not.
    #[test]
    fn only_devices_with_nothing_to_check_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let mut inventory = Inventory::open(&dir.path().join("inventory.sqlite3")).unwrap();
        inventory
            .save_site(&SiteDraft {
                name: "Lobby".into(),
                digest_username: Some("site".into()),
                digest_password: Some(Secret::new("site-secret")),
                ..SiteDraft::default()
            })
            .unwrap();
        let mut with_mac_password = device(1);
        with_mac_password.mac_password = Some(MacPassword::parse("2EE3EECC82C4").unwrap());
        let mut with_own = device(2);
        with_own.digest_username = Some("own".into());
        with_own.digest_password = Some(Secret::new("own-secret"));
        let mut with_site = device(3);
        with_site.site = Some("Lobby".into());
        let mut user_only = device(4);
        user_only.digest_username = Some("half".into());
        inventory
            .add_devices(&[with_mac_password, with_own, with_site, user_only, device(5)])
            .unwrap();

        let coverage = Coverage::of(&inventory, None).unwrap();
        assert_eq!(coverage.devices, 5);
        let named: Vec<String> = coverage.without_credentials.iter().map(Mac::macd).collect();
        assert_eq!(named, ["7C2F80000004", "7C2F80000005"]);
        let warning = coverage.warning().unwrap();
        assert!(
            warning.starts_with("2 of 5 device(s) have neither"),
            "{warning}"
        );
        assert!(
            warning.contains("(7C2F80000004, 7C2F80000005)"),
            "{warning}"
        );

        let lobby = Coverage::of(&inventory, Some("Lobby")).unwrap();
        assert_eq!(lobby.devices, 1);
        assert_eq!(lobby.warning(), None, "the site's credentials cover it");
    }

    #[test]
    fn the_warning_names_three_and_counts_the_rest() {
        let coverage = Coverage {
            devices: 9,
            without_credentials: (1..=5)
                .map(|n| Mac::parse(&format!("7C2F80{n:06X}")).unwrap())
                .collect(),
        };
        let warning = coverage.warning().unwrap();
        assert!(warning.starts_with("5 of 9 device(s)"), "{warning}");
        assert!(
            warning.contains("(7C2F80000001, 7C2F80000002, 7C2F80000003, …)"),
            "{warning}"
        );
    }
}
