//! Changing the digest credentials of phones in the field without locking any out: a rollout
//! in two phases. While it is on, a device's configured credentials are the new ones (they are
//! in the file it downloads) and its old ones are still accepted by `provdesk serve`; a phone
//! that fetched its new file answers with the new ones from then on. Enforcing ends the old.
//!
//! The old credentials are kept per device, whatever they came from (the device itself or its
//! site), so a site's change and a handful of devices' changes work the same way.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::fit::{Inherits, check_fit, models_of};
use super::query::{DEVICE_SELECT, device_from_row, interim_to};
use super::{Inventory, InventoryError, audit};
use crate::device::{Device, Mac};
use crate::secret::Secret;
use crate::templates::generate_password_for;
use crate::words;

/// Which devices a rollout starts or ends for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RolloutScope {
    /// The site's own credentials change; its devices that use them enter the rollout.
    Site(String),
    /// These devices' own credentials change.
    Devices(Vec<Mac>),
    /// Every device in a rollout, and every site rolled out as a whole (for enforce, cancel
    /// and progress).
    All,
}

/// What starting a rollout does, asked before (to confirm it) or answered after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RolloutPlan {
    /// Devices whose files carry the new credentials.
    pub devices: usize,
    /// Their models with how many of each, most first.
    pub models: Vec<(String, usize)>,
    /// Devices of the site left alone because they have a user name and password of their own.
    pub own_credentials: Vec<String>,
    /// Of `devices`, those already in a rollout not yet enforced: the credentials it gave
    /// them stay accepted too.
    pub again: usize,
}

impl RolloutPlan {
    /// The models as words: `2 × N510 IP PRO, 1 × Maxwell 3`.
    pub fn models_text(&self) -> String {
        super::fit::models_text(&self.models)
    }

    /// For a rollout started again: what stays accepted and when its devices count as
    /// switched, the same words in both faces.
    pub fn again_note(&self) -> Option<String> {
        let again = self.again;
        (again > 0).then(|| {
            format!(
                "{} already in a rollout: the credentials {} had stay accepted too, and {} as switched only once {} with the new ones",
                words::count(again, "device") + words::agree(again, " was", " were"),
                words::agree(again, "it", "they"),
                words::agree(again, "it counts", "they count"),
                words::agree(again, "it answers", "they answer"),
            )
        })
    }
}

impl Inventory {
    /// What [`Self::start_rollout`] would do with the same arguments, or why it would refuse,
    /// changing nothing: what a face shows before the user confirms.
    pub fn plan_rollout(
        &self,
        scope: &RolloutScope,
        username: &str,
        password: &Secret,
    ) -> Result<RolloutPlan, InventoryError> {
        Ok(plan(&self.conn, scope, username, password)?.0)
    }

    /// Starts a rollout to `username`/`password` for the devices in `scope`, after checking
    /// that every model among them takes credentials that long (refused whole otherwise).
    ///
    /// A device already in a rollout (started again before it was enforced, say to fix a
    /// typo) keeps every pair configured since the last enforce acceptable: its oldest, and
    /// each interim one. Keeping only the oldest locks out a phone that fetched the interim
    /// file; keeping only the interim one locks out a phone that has not fetched since the
    /// first start. Nothing tells which pair a phone holds, so every one stays. The rollout's
    /// clock restarts, so that a phone counts as switched only once it answers with the
    /// newest pair, and enforcing stays safe by the progress it reports.
    pub fn start_rollout(
        &mut self,
        scope: &RolloutScope,
        username: &str,
        password: &Secret,
    ) -> Result<RolloutPlan, InventoryError> {
        let username = username.trim();
        let tx = self.write()?;
        let (plan, devices) = plan(&tx, scope, username, password)?;
        for device in &devices {
            if device.rollout.is_on() {
                tx.prepare_cached(
                    "UPDATE devices SET rollout_started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                         rollout_interim = ?1, rollout_cancelled_at = NULL WHERE id = ?2",
                )?
                .execute(params![
                    interim_to(&interim_after(device, username, password)),
                    device.id
                ])?;
            } else {
                tx.prepare_cached(
                    "UPDATE devices SET rollout_started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                         rollout_old_username = ?1, rollout_old_password = ?2,
                         rollout_interim = NULL, rollout_cancelled_at = NULL WHERE id = ?3",
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
        }
        if let RolloutScope::Site(name) = scope {
            // Started again, the site keeps the credentials it had before the first start:
            // those are what a cancel gives it back.
            tx.execute(
                "UPDATE sites SET
                     rollout_old_username = CASE WHEN rollout_started_at IS NULL
                         THEN digest_username ELSE rollout_old_username END,
                     rollout_old_password = CASE WHEN rollout_started_at IS NULL
                         THEN digest_password ELSE rollout_old_password END,
                     rollout_started_at = coalesce(rollout_started_at,
                         strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
                     digest_username = ?1, digest_password = ?2,
                     updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE name = ?3",
                params![username, password.expose(), name.trim()],
            )?;
        }
        audit::record(
            &tx,
            "rollout.start",
            &scope_subject(scope, plan.devices),
            &format!(
                "new user {username}; {} ({}); {} already in a rollout",
                crate::words::count(plan.devices, "device"),
                plan.models_text(),
                plan.again
            ),
        )?;
        tx.commit()?;
        Ok(plan)
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
                     rollout_old_password = NULL, rollout_interim = NULL,
                     rollout_cancelled_at = NULL WHERE id = ?1",
            )?
            .execute([device.id])?;
            ended += 1;
        }
        end_site_rollouts(&tx, scope)?;
        audit::record(
            &tx,
            "rollout.enforce",
            &scope_subject(scope, devices.len()),
            &crate::words::count(ended, "device"),
        )?;
        tx.commit()?;
        Ok(ended)
    }

    /// A strong password for a rollout of `scope`: one that every model among its devices
    /// accepts, so that [`Self::plan_rollout`] takes it. The user sees it once, to write down.
    pub fn generate_rollout_password(
        &self,
        scope: &RolloutScope,
    ) -> Result<Secret, InventoryError> {
        let devices = devices_in(&self.conn, scope)?;
        generate_password_for(devices.iter().map(Device::model_spec))
            .map_err(InventoryError::Random)
    }
}

/// Forgets the credentials sites had before their rollouts in `scope` (a device scope names
/// no site): enforced, there is nothing to go back to.
fn end_site_rollouts(tx: &Connection, scope: &RolloutScope) -> Result<(), InventoryError> {
    let clear = "UPDATE sites SET rollout_started_at = NULL, rollout_old_username = NULL,
                     rollout_old_password = NULL";
    match scope {
        RolloutScope::Site(name) => {
            tx.execute(&format!("{clear} WHERE name = ?1"), [name.trim()])?;
        }
        RolloutScope::All => {
            tx.execute(clear, [])?;
        }
        RolloutScope::Devices(_) => {}
    }
    Ok(())
}

/// What the audit log names as a rollout's subject; `devices`: how many a device scope holds.
pub(super) fn scope_subject(scope: &RolloutScope, devices: usize) -> String {
    match scope {
        RolloutScope::Site(name) => format!("site {}", name.trim()),
        RolloutScope::Devices(_) => crate::words::count(devices, "device"),
        RolloutScope::All => "all devices".into(),
    }
}

/// What a rollout to `username`/`password` for `scope` does, and the devices it gives them;
/// refused when a credential is empty or too long for a model among them.
fn plan(
    conn: &Connection,
    scope: &RolloutScope,
    username: &str,
    password: &Secret,
) -> Result<(RolloutPlan, Vec<Device>), InventoryError> {
    let username = username.trim();
    if username.is_empty() || password.is_empty() {
        return Err(InventoryError::RolloutCredentials);
    }
    let site = matches!(scope, RolloutScope::Site(_));
    // A site's device with only a user name of its own still takes the site's password, so
    // the site's change reaches it: it is in the rollout.
    let (own, devices): (Vec<Device>, Vec<Device>) =
        devices_in(conn, scope)?.into_iter().partition(|device| {
            site && device.digest_username.is_some() && device.digest_password.is_some()
        });
    let affected: Vec<&Device> = devices.iter().collect();
    let inherits = if site {
        Inherits::FromSite
    } else {
        Inherits::Both
    };
    check_fit(&affected, inherits, Some(username), Some(password))?;
    let plan = RolloutPlan {
        devices: devices.len(),
        models: models_of(&affected),
        own_credentials: own.iter().map(|device| device.mac.macd()).collect(),
        again: devices.iter().filter(|d| d.rollout.is_on()).count(),
    };
    Ok((plan, devices))
}

/// The interim credentials of a device in a rollout once it is started again to
/// `username`/`password`: those it had, and its present ones unless they are already kept or
/// are the new ones.
fn interim_after(device: &Device, username: &str, password: &Secret) -> Vec<(String, Secret)> {
    let mut interim = device.rollout.interim.clone();
    let (Some(user), Some(present)) = (
        device.effective_digest_username(),
        device.effective_digest_password(),
    ) else {
        return interim;
    };
    let same = |u: &str, p: &Secret| u == user && p.expose() == present.expose();
    let kept = device
        .rollout
        .old_username
        .as_deref()
        .zip(device.rollout.old_password.as_ref())
        .is_some_and(|(u, p)| same(u, p))
        || interim.iter().any(|(u, p)| same(u, p))
        || same(username, password);
    if !kept {
        interim.push((user.to_string(), present.clone()));
    }
    interim
}

/// The devices a scope names; a site or MAC that is not there is an error, so that a typo does
/// not quietly change nothing.
pub(super) fn devices_in(
    tx: &Connection,
    scope: &RolloutScope,
) -> Result<Vec<Device>, InventoryError> {
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
