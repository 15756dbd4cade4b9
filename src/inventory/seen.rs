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
    pub fn record_sighting(&mut self, sighting: &Sighting<'_>) -> Result<bool, InventoryError> {
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE devices SET seen_at = ?1, seen_verdict = ?2,
                     seen_firmware = coalesce(?3, seen_firmware),
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
}
