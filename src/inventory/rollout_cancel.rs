//! Cancelling a rollout started by mistake (wrong site, a typo in the password): the devices
//! and, for a site-wide one, the site get their old credentials back as their configured ones.
//!
//! A phone learns credentials only from a file it fetched, so it may already hold the new
//! ones (it fetched its file since the rollout started, and perhaps came back with them) or
//! an in-between pair (the rollout was started again). Forgetting those would lock it out.
//! So a cancel never forgets a pair a phone may hold: such a device stays in a rollout, the
//! other way round — its next file carries the old credentials again, and the pairs it may
//! hold are accepted until that rollout back is enforced (it is marked as going back, with
//! when, so that the faces say so). Only a device whose phone cannot hold anything but the
//! old credentials leaves the rollout outright. A device already going back is left alone:
//! "cancelling" its way back would be a rollout to the cancelled credentials, which is a start.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use super::query::{DEVICE_SELECT, device_from_row, interim_to};
use super::rollout::{RolloutScope, devices_in, scope_subject};
use super::{Inventory, InventoryError, audit};
use crate::device::Device;
use crate::secret::Secret;
use crate::words;

/// What cancelling a rollout did, or would do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RolloutCancel {
    /// Devices back on their old credentials, the new ones forgotten.
    pub restored: usize,
    /// Devices whose phones may hold the new (or in-between) credentials: those stay accepted
    /// and their next file carries the old ones again, a rollout back to enforce later.
    pub rolled_back: usize,
    /// Of `rolled_back`, the phones that had already come back with the new credentials.
    pub switched: usize,
    /// Sites whose own credentials were given back.
    pub sites: Vec<String>,
    /// Devices in scope already going back (a rollout cancelled before), left as they are:
    /// cancelling the way back would be a new rollout to the cancelled credentials.
    pub already_back: usize,
}

impl RolloutCancel {
    /// What happened, the same words in both faces.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "{} back on the old credentials",
            words::count(self.restored, "device")
        );
        if self.rolled_back > 0 {
            text.push_str(&format!(
                "; {} ({} already switched) may hold the new ones: accepted until you enforce, {} next file carries the old ones",
                words::count(self.rolled_back, "device"),
                self.switched,
                words::agree(self.rolled_back, "its", "their"),
            ));
        }
        if !self.sites.is_empty() {
            text.push_str(&format!(
                "; site {} has its old credentials again",
                self.sites.join(", ")
            ));
        }
        if self.already_back > 0 {
            text.push_str(&format!(
                "; {} already going back left as {}",
                words::count(self.already_back, "device"),
                words::agree(self.already_back, "it was", "they were"),
            ));
        }
        text
    }

    /// Whether the cancel changes nothing but found rollouts back: the faces then say that
    /// these are going back already, instead of "0 devices back on the old credentials".
    pub fn only_going_back(&self) -> bool {
        self.restored == 0
            && self.rolled_back == 0
            && self.sites.is_empty()
            && self.already_back > 0
    }
}

impl Inventory {
    /// What [`Self::cancel_rollout`] would do with the same scope, changing nothing: the
    /// same steps in a transaction that is rolled back, so the preview cannot differ.
    pub fn plan_cancel_rollout(
        &mut self,
        scope: &RolloutScope,
    ) -> Result<RolloutCancel, InventoryError> {
        let tx = self.write()?;
        let cancel = cancel(&tx, scope)?;
        tx.rollback()?;
        Ok(cancel)
    }

    /// Cancels the rollouts in `scope`: configured credentials go back to those from before
    /// the rollout (the site's too, for a site-wide one), and a pair a phone may hold stays
    /// accepted (see the module's notes). In one transaction, audited.
    pub fn cancel_rollout(
        &mut self,
        scope: &RolloutScope,
    ) -> Result<RolloutCancel, InventoryError> {
        let tx = self.write()?;
        let cancel = cancel(&tx, scope)?;
        audit::record(
            &tx,
            "rollout.cancel",
            &scope_subject(scope, cancel.restored + cancel.rolled_back),
            &cancel.summary(),
        )?;
        tx.commit()?;
        Ok(cancel)
    }
}

/// A device's effective user name and password, when it has both.
type Pair = (String, Secret);

fn pair_of(device: &Device) -> Option<Pair> {
    Some((
        device.effective_digest_username()?.to_string(),
        device.effective_digest_password()?.clone(),
    ))
}

fn same(a: &Pair, b: &Pair) -> bool {
    a.0 == b.0 && a.1.expose() == b.1.expose()
}

/// Whether the phone was served since its rollout started (its file carried the new pair).
fn seen_since_start(device: &Device) -> bool {
    matches!((&device.seen.at, &device.rollout.started_at), (Some(seen), Some(start)) if seen >= start)
}

fn cancel(tx: &Transaction<'_>, scope: &RolloutScope) -> Result<RolloutCancel, InventoryError> {
    let (back, mut devices): (Vec<Device>, Vec<Device>) = devices_in(tx, scope)?
        .into_iter()
        .filter(|device| device.rollout.is_on())
        .partition(|device| device.rollout.is_back());
    let sites = sites_to_restore(tx, scope)?;
    // A site's devices that take its credentials change with it, in the rollout or not (added
    // to the site since it started, say).
    for (site_id, _) in &sites {
        let mut statement = tx.prepare_cached(&format!("{DEVICE_SELECT} WHERE d.site_id = ?1"))?;
        for device in statement.query_map([site_id], device_from_row)? {
            let device = device?;
            if devices.iter().all(|known| known.id != device.id) {
                devices.push(device);
            }
        }
    }
    for (site_id, _) in &sites {
        tx.prepare_cached(
            "UPDATE sites SET digest_username = rollout_old_username,
                 digest_password = rollout_old_password, rollout_started_at = NULL,
                 rollout_old_username = NULL, rollout_old_password = NULL,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
        )?
        .execute([site_id])?;
    }
    let mut done = RolloutCancel {
        sites: sites.into_iter().map(|(_, name)| name).collect(),
        already_back: back.len(),
        ..RolloutCancel::default()
    };
    for device in &devices {
        if device.rollout.is_on() {
            restore_own(tx, device)?;
        }
        let after = pair_of(&reread(tx, device.id)?);
        let accepted = still_accepted(device, after.as_ref());
        let Some((first, rest)) = accepted.split_first() else {
            if device.rollout.is_on() {
                tx.prepare_cached(
                    "UPDATE devices SET rollout_started_at = NULL, rollout_old_username = NULL,
                         rollout_old_password = NULL, rollout_interim = NULL,
                         rollout_cancelled_at = NULL WHERE id = ?1",
                )?
                .execute([device.id])?;
                done.restored += 1;
            }
            continue;
        };
        tx.prepare_cached(
            "UPDATE devices SET rollout_started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                 rollout_cancelled_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                 rollout_old_username = ?1, rollout_old_password = ?2, rollout_interim = ?3
             WHERE id = ?4",
        )?
        .execute(params![
            first.0,
            first.1.expose(),
            interim_to(rest),
            device.id
        ])?;
        done.rolled_back += 1;
        if seen_since_start(device) && device.seen.credential.as_deref() == Some("configured") {
            done.switched += 1;
        }
    }
    Ok(done)
}

/// The sites whose site-wide rollout `scope` cancels, with their names: a device scope
/// cancels none. A site that is not there was refused by [`devices_in`] already.
fn sites_to_restore(
    tx: &Connection,
    scope: &RolloutScope,
) -> Result<Vec<(i64, String)>, InventoryError> {
    let (sql, name) = match scope {
        RolloutScope::Site(name) => (
            "SELECT id, name FROM sites WHERE rollout_started_at IS NOT NULL AND name = ?1",
            Some(name.trim()),
        ),
        RolloutScope::All => (
            "SELECT id, name FROM sites WHERE rollout_started_at IS NOT NULL AND ?1 IS NULL",
            None,
        ),
        RolloutScope::Devices(_) => return Ok(Vec::new()),
    };
    let mut statement = tx.prepare(sql)?;
    let rows = statement.query_map([name], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Gives a device in a rollout its old credentials back as its own, except a part its site
/// now holds the same: that part it takes from the site again, as before the rollout.
fn restore_own(tx: &Connection, device: &Device) -> Result<(), InventoryError> {
    let site: Option<(Option<String>, Option<String>)> = match &device.site {
        Some(name) => tx
            .query_row(
                "SELECT digest_username, digest_password FROM sites WHERE name = ?1",
                [name],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?,
        None => None,
    };
    let (site_user, site_password) = site.unwrap_or_default();
    let old_user = device.rollout.old_username.clone();
    let old_password = device
        .rollout
        .old_password
        .as_ref()
        .map(|password| password.expose().to_string());
    let user = old_user.filter(|user| Some(user) != site_user.as_ref());
    let password = old_password.filter(|password| Some(password) != site_password.as_ref());
    tx.prepare_cached(
        "UPDATE devices SET digest_username = ?1, digest_password = ?2,
             updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?3",
    )?
    .execute(params![user, password, device.id])?;
    Ok(())
}

fn reread(tx: &Connection, id: i64) -> Result<Device, InventoryError> {
    Ok(tx
        .prepare_cached(&format!("{DEVICE_SELECT} WHERE d.id = ?1"))?
        .query_row([id], device_from_row)?)
}

/// The pairs `device`'s phone may hold, as it was before the cancel, other than `after`
/// (what its next file carries): each must stay accepted, oldest first.
fn still_accepted(device: &Device, after: Option<&Pair>) -> Vec<Pair> {
    let mut may_hold: Vec<Pair> = Vec::new();
    let present = pair_of(device);
    if device.rollout.is_on() {
        let old = device
            .rollout
            .old_username
            .clone()
            .zip(device.rollout.old_password.clone());
        may_hold.extend(old);
        may_hold.extend(device.rollout.interim.iter().cloned());
        if seen_since_start(device) {
            may_hold.extend(present);
        }
    } else {
        may_hold.extend(present);
    }
    let mut kept: Vec<Pair> = Vec::new();
    for pair in may_hold {
        let known = kept.iter().any(|k| same(k, &pair)) || after.is_some_and(|a| same(a, &pair));
        if !known {
            kept.push(pair);
        }
    }
    kept
}
