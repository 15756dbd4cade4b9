//! Changing the digest credentials of phones in the field without locking any out: a rollout
//! in two phases. While it is on, a device's configured credentials are the new ones (they are
//! in the file it downloads) and its old ones are still accepted by `provdesk serve`; a phone
//! that fetched its new file answers with the new ones from then on. Enforcing ends the old.
//!
//! The old credentials are kept per device, whatever they came from (the device itself or its
//! site), so a site's change and a handful of devices' changes work the same way.

use rusqlite::{Transaction, params};
use serde::Serialize;

use super::query::{DEVICE_SELECT, device_from_row};
use super::{Inventory, InventoryError, audit};
use crate::device::{Device, Mac};
use crate::secret::Secret;

/// Which devices a rollout starts or ends for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RolloutScope {
    /// The site's own credentials change; its devices that use them enter the rollout.
    Site(String),
    /// These devices' own credentials change.
    Devices(Vec<Mac>),
    /// Every device in a rollout (for enforce and progress).
    All,
}

/// What starting a rollout did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RolloutStarted {
    /// Devices now in the rollout.
    pub devices: usize,
    /// Devices of the site left alone because they have credentials of their own.
    pub own_credentials: Vec<String>,
}

/// How far a rollout has come, per site. "Since the rollout started" compares the times as
/// text, so both are written with milliseconds (`…T12:00:05.250Z`), as the server's events are. (`None`: devices without a site).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RolloutProgress {
    pub site: Option<String>,
    pub devices: usize,
    /// Devices served with their new credentials since the rollout started.
    pub switched: usize,
    /// Devices last served with their old credentials.
    pub on_old: usize,
}

impl RolloutProgress {
    /// Devices that would be locked out if the rollout were enforced now.
    pub fn pending(&self) -> usize {
        self.devices - self.switched
    }

    /// Devices not served since the rollout started.
    pub fn unseen(&self) -> usize {
        self.devices - self.switched - self.on_old
    }
}

impl Inventory {
    /// Starts a rollout to `username`/`password` for the devices in `scope`. A device already
    /// in a rollout keeps its oldest credentials as the old ones, so a second change before
    /// enforcing does not lock out phones that have not fetched the first.
    pub fn start_rollout(
        &mut self,
        scope: &RolloutScope,
        username: &str,
        password: &Secret,
    ) -> Result<RolloutStarted, InventoryError> {
        let username = username.trim();
        if username.is_empty() || password.is_empty() {
            return Err(InventoryError::RolloutCredentials);
        }
        let tx = self.write()?;
        let devices = devices_in(&tx, scope)?;
        let mut started = RolloutStarted {
            devices: 0,
            own_credentials: Vec::new(),
        };
        for device in &devices {
            if matches!(scope, RolloutScope::Site(_)) && device.digest_username.is_some() {
                started.own_credentials.push(device.mac.macd());
                continue;
            }
            if !device.rollout.is_on() {
                tx.prepare_cached(
                    "UPDATE devices SET rollout_started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                         rollout_old_username = ?1, rollout_old_password = ?2 WHERE id = ?3",
                )?
                .execute(params![
                    device.effective_digest_username(),
                    device.effective_digest_password().map(Secret::expose),
                    device.id
                ])?;
            }
            if let RolloutScope::Devices(_) = scope {
                tx.prepare_cached(
                    "UPDATE devices SET digest_username = ?1, digest_password = ?2,
                         updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?3",
                )?
                .execute(params![username, password.expose(), device.id])?;
            }
            started.devices += 1;
        }
        let subject = match scope {
            RolloutScope::Site(name) => {
                tx.execute(
                    "UPDATE sites SET digest_username = ?1, digest_password = ?2,
                         updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE name = ?3",
                    params![username, password.expose(), name.trim()],
                )?;
                format!("site {}", name.trim())
            }
            _ => crate::words::count(started.devices, "device"),
        };
        audit::record(
            &tx,
            "rollout.start",
            &subject,
            &format!(
                "new user {username}; {}",
                crate::words::count(started.devices, "device")
            ),
        )?;
        tx.commit()?;
        Ok(started)
    }

    /// Ends the rollout for the devices in `scope`: their old credentials are forgotten and no
    /// longer accepted. Returns how many devices left the rollout.
    pub fn enforce_rollout(&mut self, scope: &RolloutScope) -> Result<usize, InventoryError> {
        let tx = self.write()?;
        let devices = devices_in(&tx, scope)?;
        let mut ended = 0;
        for device in devices.iter().filter(|device| device.rollout.is_on()) {
            tx.prepare_cached(
                "UPDATE devices SET rollout_started_at = NULL, rollout_old_username = NULL,
                     rollout_old_password = NULL WHERE id = ?1",
            )?
            .execute([device.id])?;
            ended += 1;
        }
        audit::record(
            &tx,
            "rollout.enforce",
            &scope_subject(scope),
            &crate::words::count(ended, "device"),
        )?;
        tx.commit()?;
        Ok(ended)
    }

    /// How many devices in a rollout have switched, per site.
    pub fn rollout_progress(&self) -> Result<Vec<RolloutProgress>, InventoryError> {
        let mut statement = self.conn.prepare(
            "SELECT s.name, count(*),
                    sum(d.seen_credential = 'configured' AND d.seen_at >= d.rollout_started_at),
                    sum(d.seen_credential = 'old_configured' AND d.seen_at >= d.rollout_started_at)
             FROM devices d LEFT JOIN sites s ON s.id = d.site_id
             WHERE d.rollout_started_at IS NOT NULL
             GROUP BY s.name ORDER BY s.name COLLATE NOCASE",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(RolloutProgress {
                site: row.get(0)?,
                devices: row.get::<_, i64>(1)? as usize,
                switched: row.get::<_, Option<i64>>(2)?.unwrap_or(0) as usize,
                on_old: row.get::<_, Option<i64>>(3)?.unwrap_or(0) as usize,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn scope_subject(scope: &RolloutScope) -> String {
    match scope {
        RolloutScope::Site(name) => format!("site {}", name.trim()),
        RolloutScope::Devices(macs) => crate::words::count(macs.len(), "device"),
        RolloutScope::All => "all devices".into(),
    }
}

/// The devices a scope names; a site or MAC that is not there is an error, so that a typo does
/// not quietly change nothing.
fn devices_in(tx: &Transaction<'_>, scope: &RolloutScope) -> Result<Vec<Device>, InventoryError> {
    match scope {
        RolloutScope::Site(name) => {
            let exists: bool = tx.query_row(
                "SELECT count(*) > 0 FROM sites WHERE name = ?1",
                [name.trim()],
                |row| row.get(0),
            )?;
            if !exists {
                return Err(InventoryError::SiteNotFound {
                    name: name.trim().to_string(),
                });
            }
            let mut statement = tx.prepare(&format!("{DEVICE_SELECT} WHERE s.name = ?1"))?;
            let rows = statement.query_map([name.trim()], device_from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        }
        RolloutScope::Devices(macs) => {
            let mut statement = tx.prepare_cached(&format!("{DEVICE_SELECT} WHERE d.mac = ?1"))?;
            macs.iter()
                .map(|mac| {
                    statement.query_row([mac.macd()], device_from_row).map_err(
                        |error| match error {
                            rusqlite::Error::QueryReturnedNoRows => {
                                InventoryError::DeviceNotFound { mac: mac.macd() }
                            }
                            other => other.into(),
                        },
                    )
                })
                .collect()
        }
        RolloutScope::All => {
            let mut statement = tx.prepare(&format!(
                "{DEVICE_SELECT} WHERE d.rollout_started_at IS NOT NULL"
            ))?;
            let rows = statement.query_map([], device_from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        }
    }
}
