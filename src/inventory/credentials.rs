//! Which devices have nothing a server could check a phone's digest answer against: neither a
//! MAC password nor a digest user and password (their own, else their site's). Read as three
//! columns, not whole devices: the Serve panel asks again after every change while it serves,
//! and reading 100,000 whole devices took most of a second of the shared worker.

use rusqlite::params;

use super::query::mac_column;
use super::{Inventory, InventoryError};
use crate::device::Mac;

/// Of the devices looked at, how many there are and which lack credentials.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CredentialGaps {
    pub devices: usize,
    /// By MAC.
    pub without_credentials: Vec<Mac>,
}

impl Inventory {
    /// The devices (`site`'s only, when given) that have neither a MAC password nor a digest
    /// user and password, as [`Device::usable_mac_password`](crate::device::Device) and
    /// `digest_credentials` decide it.
    pub fn credential_gaps(&self, site: Option<&str>) -> Result<CredentialGaps, InventoryError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.mac,
                 coalesce(d.mac_password, '') = ''
                 AND (coalesce(d.digest_username, s.digest_username, '') = ''
                      OR coalesce(d.digest_password, s.digest_password, '') = '')
             FROM devices d LEFT JOIN sites s ON s.id = d.site_id
             WHERE ?1 IS NULL OR s.name = ?1 COLLATE NOCASE
             ORDER BY d.mac",
        )?;
        let mut gaps = CredentialGaps::default();
        let mut rows = stmt.query(params![site])?;
        while let Some(row) = rows.next()? {
            gaps.devices += 1;
            if row.get::<_, bool>(1)? {
                gaps.without_credentials.push(mac_column(row, 0)?);
            }
        }
        Ok(gaps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{MacPassword, NewDevice};
    use crate::inventory::SiteDraft;
    use crate::secret::Secret;

    fn secret(text: &str) -> Option<Secret> {
        Some(Secret::new(text))
    }

    /// Every mix of a MAC password, own and site credentials, and empty values: the three
    /// columns decide as whole devices do.
    #[test]
    fn the_gaps_are_what_whole_devices_say() {
        let dir = tempfile::tempdir().unwrap();
        let mut inventory = Inventory::open(&dir.path().join("inventory.sqlite3")).unwrap();
        for (name, user, password) in [
            ("Both", Some("site"), secret("site-secret")),
            ("UserOnly", Some("site"), None),
            ("PasswordOnly", None, secret("site-secret")),
        ] {
            inventory
                .save_site(&SiteDraft {
                    name: name.into(),
                    digest_username: user.map(Into::into),
                    digest_password: password,
                    ..SiteDraft::default()
                })
                .unwrap();
        }
        let mut devices = Vec::new();
        let mut n = 0;
        for site in [None, Some("Both"), Some("UserOnly"), Some("PasswordOnly")] {
            for user in [None, Some(""), Some("own")] {
                for password in [None, secret(""), secret("own-secret")] {
                    for mac_password in [None, Some("2EE3EECC82C4")] {
                        n += 1;
                        let mac = Mac::parse(&format!("7C2F80{n:06X}")).unwrap();
                        let mut device = NewDevice::with_mac(mac);
                        device.site = site.map(Into::into);
                        device.digest_username = user.map(Into::into);
                        device.digest_password = password.clone();
                        device.mac_password = mac_password.map(|p| MacPassword::parse(p).unwrap());
                        devices.push(device);
                    }
                }
            }
        }
        inventory.add_devices(&devices).unwrap();
        let whole = inventory.all_devices().unwrap();
        let mut expected: Vec<Mac> = whole
            .iter()
            .filter(|d| d.usable_mac_password().is_none() && d.digest_credentials().is_none())
            .map(|d| d.mac)
            .collect();
        expected.sort();
        let gaps = inventory.credential_gaps(None).unwrap();
        assert_eq!(gaps.devices, whole.len());
        assert_eq!(gaps.without_credentials, expected);
        assert!(!expected.is_empty() && expected.len() < whole.len());

        let both = inventory.credential_gaps(Some("both")).unwrap();
        assert_eq!(
            both.devices, 18,
            "the site's devices only, its name in any case"
        );
        assert!(
            both.without_credentials.len() < 9,
            "the site's credentials cover most of them: {both:?}"
        );
    }
}
