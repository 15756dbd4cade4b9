//! What `provdesk serve` saw of each device, kept for the inventory's *Last seen* and
//! *Firmware* columns and the rollout's progress.

use rusqlite::params;

use super::{Inventory, InventoryError};
use crate::device::Mac;

/// One request of a device, as the server records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting<'a> {
    pub mac: Mac,
    /// RFC 3339 UTC.
    pub at: &'a str,
    /// From the User-Agent; `None` keeps what was known.
    pub firmware: Option<&'a str>,
    pub verdict: &'a str,
    /// The credentials it was served to; `None` (refused) keeps the last ones.
    pub credential: Option<&'a str>,
}

impl Inventory {
    /// Records a request of a device. No audit row: a phone asking is not a change anybody
    /// made, and a busy bench would bury the audit log in them. Returns whether the device is
    /// in the inventory.
    ///
    /// Anyone on the LAN can send a request without credentials, so such a request (or a
    /// refused one) is noted only for a device never served: that is how a phone without
    /// credentials, or with a firmware too old for digest, shows up at all. Once a device was
    /// served, only a served request moves its *Last seen*, verdict and *Firmware*: one GET
    /// would otherwise set its firmware, or move *Last seen* past a rollout's start while the
    /// credential noted is the one from before, counting the phone as switched.
    pub fn record_sighting(&mut self, sighting: &Sighting<'_>) -> Result<bool, InventoryError> {
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE devices SET
                     seen_at = CASE WHEN ?4 IS NOT NULL OR seen_credential IS NULL
                         THEN ?1 ELSE seen_at END,
                     seen_verdict = CASE WHEN ?4 IS NOT NULL OR seen_credential IS NULL
                         THEN ?2 ELSE seen_verdict END,
                     seen_firmware = CASE WHEN ?4 IS NOT NULL OR seen_credential IS NULL
                         THEN coalesce(?3, seen_firmware) ELSE seen_firmware END,
                     seen_credential = coalesce(?4, seen_credential)
                 WHERE mac = ?5",
            )?
            .execute(params![
                sighting.at,
                sighting.verdict,
                sighting.firmware,
                sighting.credential,
                sighting.mac.macd()
            ])?;
        Ok(changed > 0)
    }

    /// Whether `text` is a password the inventory holds for any device or site (MAC, digest,
    /// a rollout's, SIP): `provdesk serve` asks before it quotes a user name no device has, so
    /// a password typed into a phone's user field is not logged. One query, run by SQLite over
    /// the password columns, asked only for an answer already refused.
    pub fn holds_password(&self, text: &str) -> Result<bool, InventoryError> {
        if text.is_empty() {
            return Ok(false);
        }
        let found = self.conn.prepare_cached(
            "SELECT EXISTS (
                 SELECT 1 FROM devices
                     WHERE ?1 IN (mac_password, digest_password, rollout_old_password)
                 UNION ALL SELECT 1 FROM sites WHERE ?1 IN (digest_password, rollout_old_password)
                 UNION ALL SELECT 1 FROM sip_accounts WHERE password = ?1
                 UNION ALL SELECT 1 FROM devices d, json_each(
                         CASE WHEN json_valid(d.rollout_interim) THEN d.rollout_interim ELSE '[]' END
                     ) pair
                     WHERE json_extract(pair.value, '$[1]') = ?1
             )",
        )?
        .query_row(params![text], |row| row.get(0))?;
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{MacPassword, NewDevice};
    use crate::secret::Secret;

    /// A request without credentials (anyone's) is noted for a device never served, and
    /// changes nothing once it was: not its firmware, not *Last seen*, not its verdict.
    #[test]
    fn a_request_without_credentials_does_not_overwrite_a_served_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut inventory = Inventory::open(&dir.path().join("x.sqlite3")).unwrap();
        let mac = Mac::parse("7C2F80820EC0").unwrap();
        inventory.add_device(&NewDevice::with_mac(mac)).unwrap();
        let sighting = |at, firmware, verdict, credential| Sighting {
            mac,
            at,
            firmware,
            verdict,
            credential,
        };
        let seen = |inventory: &Inventory| inventory.device_by_mac(mac).unwrap().unwrap().seen;
        let unauthenticated =
            sighting("2026-12-07T10:00:00Z", Some("40.1"), "no_credentials", None);
        assert!(inventory.record_sighting(&unauthenticated).unwrap());
        let before = seen(&inventory);
        assert_eq!(
            before.verdict.as_deref(),
            Some("no_credentials"),
            "a phone never served shows up"
        );
        assert_eq!(before.firmware.as_deref(), Some("40.1"));

        let served = sighting(
            "2026-12-07T10:01:00Z",
            Some("42.245"),
            "served",
            Some("mac_password"),
        );
        inventory.record_sighting(&served).unwrap();
        let forged = sighting(
            "2026-12-07T11:00:00Z",
            Some("99999"),
            "no_credentials",
            None,
        );
        assert!(
            inventory.record_sighting(&forged).unwrap(),
            "still in the inventory"
        );
        let after = seen(&inventory);
        assert_eq!(after.at.as_deref(), Some("2026-12-07T10:01:00Z"));
        assert_eq!(after.verdict.as_deref(), Some("served"));
        assert_eq!(after.firmware.as_deref(), Some("42.245"));
        assert_eq!(after.credential.as_deref(), Some("mac_password"));
    }

    /// Every column a password lives in is looked at, a damaged rollout column reads as none,
    /// and a user name that is no password is not taken for one.
    #[test]
    fn every_stored_password_is_found_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let mut inventory = Inventory::open(&dir.path().join("x.sqlite3")).unwrap();
        let mut device = NewDevice::with_mac(Mac::parse("7C2F80820EC0").unwrap());
        device.mac_password = Some(MacPassword::parse("123456789012").unwrap());
        device.digest_username = Some("prov".into());
        device.digest_password = Some(Secret::new("Dig3stPW&<\"x"));
        inventory.add_device(&device).unwrap();
        inventory
            .conn
            .execute_batch(
                "INSERT INTO sites (name, digest_password) VALUES ('Bench', 'SitePW');
                 UPDATE devices SET rollout_old_password = 'OldPW',
                     rollout_interim = '[[\"u\",\"InterimPW\"]]';
                 INSERT INTO devices (mac, rollout_interim) VALUES ('7C2F80820EC1', 'not json');
                 INSERT INTO sip_accounts (device_id, idx, user, password)
                     VALUES (1, 1, '100', 'SipPW');",
            )
            .unwrap();
        for password in [
            "123456789012",
            "Dig3stPW&<\"x",
            "SitePW",
            "OldPW",
            "InterimPW",
            "SipPW",
        ] {
            assert!(inventory.holds_password(password).unwrap(), "{password}");
        }
        for user in ["prov", "7C2F80820EC0", "u", "100", "", "not json"] {
            assert!(!inventory.holds_password(user).unwrap(), "{user}");
        }
    }
}
