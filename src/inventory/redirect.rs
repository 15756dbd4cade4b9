//! What the redirect server said about each device: registered or not, provider, URL, date,
//! last check, last error, and the MAC password it issued.
//!
//! Written per batch of a sync, in one transaction. The audit log gets one entry per kind of
//! news in the batch, naming its devices: a batch of 100 registrations under one provider and
//! URL says the same thing 100 times, and an entry per device cost as much as the update
//! itself. The MAC password is stored (the test fetch's first digest attempt uses it) but
//! audited only as "set".

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rusqlite::{Transaction, params};

use super::{Inventory, InventoryError, audit};
use crate::device::{Device, Mac, MacPassword, mask_url_password};

/// The `redirect_status` values.
pub const STATUS_REGISTERED: &str = "registered";
pub const STATUS_NOT_REGISTERED: &str = "not_registered";

/// One device's news from the redirect server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectUpdate {
    /// Registered with this provider and URL pattern; the date when the server gave one; the
    /// MAC password when a registration issued one (an existing one is kept otherwise).
    Registered {
        provider: String,
        url: String,
        date: Option<String>,
        mac_password: Option<MacPassword>,
    },
    NotRegistered,
    /// The call failed; the status stays what it was, the error is kept for the user.
    Failed {
        error: String,
    },
    /// An update removed the old registration, then the new one failed: not registered now.
    Lost {
        error: String,
    },
}

impl Inventory {
    /// Records the server's news for these devices in one transaction. Devices the inventory
    /// does not hold (e.g. remote-only registrations) are skipped; returns how many were
    /// recorded. Devices with the same news share one audit entry, whose subject lists their
    /// MACs in the order given.
    pub fn record_redirect(
        &mut self,
        updates: &[(Mac, RedirectUpdate)],
    ) -> Result<usize, InventoryError> {
        let tx = self.write()?;
        let mut recorded = 0;
        let mut audit_entries = AuditEntries::default();
        for (mac, update) in updates {
            let (changed, action, detail) = match update {
                RedirectUpdate::Registered {
                    provider,
                    url,
                    date,
                    mac_password,
                } => record_registered(&tx, *mac, provider, url, date.as_deref(), mac_password)?,
                RedirectUpdate::NotRegistered => record_not_registered(&tx, *mac, None)?,
                RedirectUpdate::Lost { error } => record_not_registered(&tx, *mac, Some(error))?,
                RedirectUpdate::Failed { error } => {
                    let changed = tx
                        .prepare_cached(
                            "UPDATE devices SET redirect_error = ?1,
                                 redirect_checked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                             WHERE mac = ?2",
                        )?
                        .execute(params![error, mac.macd()])?;
                    (changed, "redirect.failed", error.clone())
                }
            };
            if changed > 0 {
                audit_entries.add(action, detail, *mac);
                recorded += 1;
            }
        }
        audit_entries.write(&tx)?;
        tx.commit()?;
        Ok(recorded)
    }

    /// Every device, for a sync plan (which needs them all, not a page).
    pub fn all_devices(&self) -> Result<Vec<Device>, InventoryError> {
        Ok(self.query_devices(&super::DeviceQuery::default())?.devices)
    }
}

/// How many rows changed, the audit action and its detail.
type Recorded = (usize, &'static str, String);

/// The audit entries of one [`Inventory::record_redirect`]: per action and detail, the MACs
/// it applies to, in the order first seen.
#[derive(Default)]
struct AuditEntries {
    index: HashMap<(&'static str, String), usize>,
    entries: Vec<(&'static str, String, String)>,
}

impl AuditEntries {
    fn add(&mut self, action: &'static str, detail: String, mac: Mac) {
        let next = self.entries.len();
        match self.index.entry((action, detail)) {
            Entry::Occupied(entry) => {
                let macs = &mut self.entries[*entry.get()].2;
                macs.push(' ');
                macs.push_str(&mac.macd());
            }
            Entry::Vacant(entry) => {
                self.entries
                    .push((action, entry.key().1.clone(), mac.macd()));
                entry.insert(next);
            }
        }
    }

    fn write(self, tx: &Transaction) -> Result<(), InventoryError> {
        for (action, detail, macs) in &self.entries {
            audit::record(tx, action, macs, detail)?;
        }
        Ok(())
    }
}

/// A registration: its provider, URL and date, and the MAC password where one was issued.
fn record_registered(
    tx: &Transaction,
    mac: Mac,
    provider: &str,
    url: &str,
    date: Option<&str>,
    mac_password: &Option<MacPassword>,
) -> Result<Recorded, InventoryError> {
    let changed = tx
        .prepare_cached(
            "UPDATE devices SET redirect_status = ?1, redirect_provider = ?2,
                 redirect_url = ?3,
                 redirect_date = coalesce(?4, strftime('%Y-%m-%d %H:%M', 'now')),
                 redirect_checked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
                 redirect_error = NULL,
                 mac_password = coalesce(?5, mac_password)
             WHERE mac = ?6",
        )?
        .execute(params![
            STATUS_REGISTERED,
            provider,
            url,
            date,
            mac_password.as_ref().map(|p| p.secret().expose()),
            mac.macd()
        ])?;
    let password = if mac_password.is_some() {
        "set"
    } else {
        "kept"
    };
    let detail = format!(
        "provider={provider} url={} mac_password={password}",
        mask_url_password(url)
    );
    Ok((changed, "redirect.registered", detail))
}

/// Not registered (any more); `error` when an update lost the old registration.
fn record_not_registered(
    tx: &Transaction,
    mac: Mac,
    error: Option<&str>,
) -> Result<Recorded, InventoryError> {
    let changed = tx
        .prepare_cached(
            "UPDATE devices SET redirect_status = ?1, redirect_provider = NULL,
                 redirect_url = NULL, redirect_date = NULL,
                 redirect_checked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
                 redirect_error = ?2
             WHERE mac = ?3",
        )?
        .execute(params![STATUS_NOT_REGISTERED, error, mac.macd()])?;
    let detail = error.unwrap_or_default().to_string();
    Ok((changed, "redirect.not_registered", detail))
}
