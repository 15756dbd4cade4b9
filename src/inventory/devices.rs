//! Writing devices: add, update, delete and restore, each in one transaction with its audit entry.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Statement, Transaction, params, params_from_iter};

use super::query::{DEVICE_SELECT, device_from_row, interim_to};
use super::sip_accounts::{
    attach_sip_accounts, audit_detail as sip_audit_detail, replace_accounts, store_given_accounts,
};
use super::sites::ensure_site;
use super::{Inventory, InventoryError, audit};
use crate::device::{Device, Mac, NewDevice, ProvisioningUrl, mask_url_password};
use crate::secret::Secret;

/// Maps SQLite's unique-constraint failures to errors that name the device.
pub(super) fn constraint_error(error: rusqlite::Error, device: &NewDevice) -> InventoryError {
    if let rusqlite::Error::SqliteFailure(code, Some(message)) = &error
        && code.code == rusqlite::ErrorCode::ConstraintViolation
    {
        if message.contains("devices.mac_id") {
            return InventoryError::DuplicateMacId {
                mac_id: device
                    .mac_id
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            };
        }
        if message.contains("devices.mac") {
            return InventoryError::DuplicateMac {
                mac: device.mac.macd(),
            };
        }
    }
    InventoryError::Sqlite(error)
}

/// The audit detail of a device: every field but the secrets, which are only said to be set.
fn audit_detail(device: &NewDevice) -> String {
    let set = |present: bool| if present { "set" } else { "none" };
    let sip = device
        .sip_accounts
        .as_deref()
        .map(|accounts| format!(" sip_accounts=[{}]", sip_audit_detail(accounts)))
        .unwrap_or_default();
    format!(
        "mac_id={} model={} site={} provider={} url={} digest_username={} mac_password={} digest_password={}{sip}",
        device
            .mac_id
            .as_ref()
            .map_or_else(String::new, ToString::to_string),
        device.model.map_or("", |m| m.name),
        device.site.as_deref().unwrap_or(""),
        device.provider.as_deref().unwrap_or(""),
        device
            .url
            .as_ref()
            .map_or_else(String::new, ToString::to_string),
        device.digest_username.as_deref().unwrap_or(""),
        set(device.mac_password.is_some()),
        set(device.digest_password.is_some()),
    )
}

/// The MAC of the device with this id, for the audit entry of a change by id.
fn mac_of(tx: &Connection, id: i64) -> Result<String, InventoryError> {
    tx.prepare_cached("SELECT mac FROM devices WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()?
        .ok_or(InventoryError::DeviceIdNotFound(id))
}

pub(super) fn site_id(tx: &Connection, site: Option<&str>) -> Result<Option<i64>, InventoryError> {
    site.map(|name| ensure_site(tx, name)).transpose()
}

/// The columns a user edits, in the order [`editable_values`] binds them as `?1`…`?10`.
macro_rules! editable_columns {
    () => {
        "mac, mac_id, mac_password, model, site_id, provider, url, digest_username, \
         digest_password, notes"
    };
}

const INSERT_SQL: &str = concat!(
    "INSERT INTO devices (",
    editable_columns!(),
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
);

/// As [`INSERT_SQL`], but a MAC already present is left alone (changes nothing, no error),
/// and the batch's one timestamp is bound as `?11` instead of being formatted per row.
const INSERT_NEW_MAC_SQL: &str = concat!(
    "INSERT INTO devices (",
    editable_columns!(),
    ", created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11) \
     ON CONFLICT(mac) DO NOTHING"
);

const UPDATE_SQL: &str = concat!(
    "UPDATE devices SET (",
    editable_columns!(),
    ") = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10), \
     updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?11"
);

/// A device's values for `editable_columns!()`.
fn editable_values(device: &NewDevice, site_id: Option<i64>) -> [Value; 10] {
    let text = |value: Option<&str>| value.map_or(Value::Null, |v| Value::Text(v.to_string()));
    [
        Value::Text(device.mac.macd()),
        text(device.mac_id.as_ref().map(ToString::to_string).as_deref()),
        text(device.mac_password.as_ref().map(|p| p.secret().expose())),
        text(device.model.map(|m| m.name)),
        site_id.map_or(Value::Null, Value::Integer),
        text(device.provider.as_deref()),
        text(device.url.as_ref().map(|u| u.expose())),
        text(device.digest_username.as_deref()),
        text(device.digest_password.as_ref().map(Secret::expose)),
        Value::Text(device.notes.clone()),
    ]
}

/// The insert of a batch's new devices: one statement prepared once, each device's values
/// bound from its own fields (per row, `prepare_cached` would hash the SQL text and
/// [`editable_values`] copy every text value). A MAC already present is left alone.
pub(super) struct NewDeviceInsert<'c> {
    statement: Statement<'c>,
    /// When the batch was written, as the schema's defaults would say it.
    now: String,
}

impl<'c> NewDeviceInsert<'c> {
    pub(super) fn new(tx: &'c Connection) -> Result<Self, InventoryError> {
        Ok(Self {
            statement: tx.prepare(INSERT_NEW_MAC_SQL)?,
            now: tx.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", [], |row| {
                row.get(0)
            })?,
        })
    }

    /// Inserts `device` unless its MAC is present; says whether it was inserted. No audit
    /// entry: the batch has one.
    pub(super) fn insert(
        &mut self,
        device: &NewDevice,
        site_id: Option<i64>,
    ) -> Result<bool, InventoryError> {
        let changed = self
            .statement
            .execute(params![
                device.mac.macd(),
                device.mac_id.as_ref().map(ToString::to_string),
                device.mac_password.as_ref().map(|p| p.secret().expose()),
                device.model.map(|m| m.name),
                site_id,
                device.provider,
                device.url.as_ref().map(|u| u.expose()),
                device.digest_username,
                device.digest_password.as_ref().map(Secret::expose),
                device.notes,
                self.now,
            ])
            .map_err(|e| constraint_error(e, device))?;
        Ok(changed == 1)
    }
}

/// Inserts one device with its audit entry.
fn insert(tx: &Transaction<'_>, device: &NewDevice) -> Result<i64, InventoryError> {
    let site_id = site_id(tx, device.site.as_deref())?;
    tx.prepare_cached(INSERT_SQL)?
        .execute(params_from_iter(editable_values(device, site_id)))
        .map_err(|e| constraint_error(e, device))?;
    let id = tx.last_insert_rowid();
    store_given_accounts(tx, id, device)?;
    audit::record(tx, "device.add", &device.mac.macd(), &audit_detail(device))?;
    Ok(id)
}

fn device_by_id(conn: &Connection, id: i64) -> Result<Device, InventoryError> {
    let mut device = conn
        .prepare_cached(&format!("{DEVICE_SELECT} WHERE d.id = ?1"))?
        .query_row([id], device_from_row)
        .optional()?
        .ok_or(InventoryError::DeviceIdNotFound(id))?;
    attach_sip_accounts(conn, std::slice::from_mut(&mut device))?;
    Ok(device)
}

impl Inventory {
    /// Adds one device. Fails, changing nothing, when its MAC or MAC-ID is already present.
    pub fn add_device(&mut self, device: &NewDevice) -> Result<Device, InventoryError> {
        let tx = self.write()?;
        let id = insert(&tx, device)?;
        tx.commit()?;
        device_by_id(&self.conn, id)
    }

    /// Adds many devices in one transaction: all of them, or none when any row fails (the
    /// error names the 1-based row).
    pub fn add_devices(&mut self, devices: &[NewDevice]) -> Result<usize, InventoryError> {
        let tx = self.write()?;
        for (index, device) in devices.iter().enumerate() {
            insert(&tx, device).map_err(|source| InventoryError::Row {
                row: index + 1,
                source: Box::new(source),
            })?;
        }
        tx.commit()?;
        Ok(devices.len())
    }

    /// Replaces a device's own fields, and its SIP accounts when `device` gives them, in one
    /// transaction. Inherited site defaults stay inherited.
    pub fn update_device(&mut self, id: i64, device: &NewDevice) -> Result<Device, InventoryError> {
        self.store_device(id, device, None)
    }

    /// Like [`Self::update_device`], over `base`, the device as the form that edited `device`
    /// loaded it. Refused with [`InventoryError::DeviceChangedElsewhere`] when the stored device
    /// is no longer `base` (its `updated_at`, which every change of its values and SIP accounts
    /// sets, or its values within that second): the form's old values of every field would
    /// otherwise go back over what the CLI or a script stored meanwhile.
    pub fn update_device_over(
        &mut self,
        device: &NewDevice,
        base: &Device,
    ) -> Result<Device, InventoryError> {
        self.store_device(base.id, device, Some(base))
    }

    fn store_device(
        &mut self,
        id: i64,
        device: &NewDevice,
        base: Option<&Device>,
    ) -> Result<Device, InventoryError> {
        let tx = self.write()?;
        if let Some(base) = base {
            let stored = device_by_id(&tx, id)?;
            if stored.updated_at != base.updated_at || stored.to_draft() != base.to_draft() {
                return Err(InventoryError::DeviceChangedElsewhere {
                    mac: stored.mac.macd(),
                });
            }
        }
        let site_id = site_id(&tx, device.site.as_deref())?;
        let values = editable_values(device, site_id)
            .into_iter()
            .chain([Value::Integer(id)]);
        let changed = tx
            .execute(UPDATE_SQL, params_from_iter(values))
            .map_err(|e| constraint_error(e, device))?;
        if changed == 0 {
            return Err(InventoryError::DeviceIdNotFound(id));
        }
        store_given_accounts(&tx, id, device)?;
        audit::record(
            &tx,
            "device.update",
            &device.mac.macd(),
            &audit_detail(device),
        )?;
        tx.commit()?;
        device_by_id(&self.conn, id)
    }

    /// Stores the outcome of the last test fetch: the final status (or the transport failure)
    /// and the main diagnosis code, for the inventory's "last fetch" column.
    pub fn record_fetch(
        &mut self,
        mac: Mac,
        status: &str,
        diagnosis: &str,
    ) -> Result<(), InventoryError> {
        let tx = self.write()?;
        let changed = tx.execute(
            "UPDATE devices SET fetch_status = ?1, fetch_diagnosis = ?2,
                 fetch_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE mac = ?3",
            rusqlite::params![status, diagnosis, mac.macd()],
        )?;
        if changed == 0 {
            return Err(InventoryError::DeviceNotFound { mac: mac.macd() });
        }
        audit::record(
            &tx,
            "device.fetch",
            &mac.macd(),
            &format!("{status} {diagnosis}"),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Gives these devices `url` as their own provisioning URL, e.g. the one `provdesk serve`
    /// shows. Returns how many changed.
    pub fn use_url(&mut self, ids: &[i64], url: &ProvisioningUrl) -> Result<usize, InventoryError> {
        let tx = self.write()?;
        let mut changed = 0;
        for &id in ids {
            let mac = mac_of(&tx, id)?;
            changed += tx
                .prepare_cached(
                    "UPDATE devices SET url = ?1,
                         updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?2",
                )?
                .execute(params![url.expose(), id])?;
            audit::record(
                &tx,
                "device.url",
                &mac,
                &format!("url={}", mask_url_password(url.expose())),
            )?;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Puts these devices in the site called `site` (created when new), or in none; in one
    /// transaction, each change audited. Returns how many devices changed. Refused whole when
    /// the site's credentials are too long for a moved device's model.
    pub fn set_site(&mut self, ids: &[i64], site: Option<&str>) -> Result<usize, InventoryError> {
        let tx = self.write()?;
        super::site_move::check_move_fit(&tx, ids, site)?;
        let site_id = site_id(&tx, site)?;
        let mut changed = 0;
        for &id in ids {
            let mac = mac_of(&tx, id)?;
            let updated = tx
                .prepare_cached(
                    "UPDATE devices SET site_id = ?1,
                         updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                     WHERE id = ?2 AND site_id IS NOT ?1",
                )?
                .execute(params![site_id, id])?;
            if updated > 0 {
                let detail = format!("site={}", site.map(str::trim).unwrap_or(""));
                audit::record(&tx, "device.site", &mac, &detail)?;
                changed += 1;
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    pub fn device_by_mac(&self, mac: Mac) -> Result<Option<Device>, InventoryError> {
        let mut device = self
            .conn
            .prepare_cached(&format!("{DEVICE_SELECT} WHERE d.mac = ?1"))?
            .query_row([mac.macd()], device_from_row)
            .optional()?;
        if let Some(device) = &mut device {
            attach_sip_accounts(&self.conn, std::slice::from_mut(device))?;
        }
        Ok(device)
    }

    /// Deletes the devices with these ids and returns them whole, so the caller can offer undo.
    pub fn delete_devices(&mut self, ids: &[i64]) -> Result<Vec<Device>, InventoryError> {
        let tx = self.write()?;
        let mut deleted = Vec::with_capacity(ids.len());
        for &id in ids {
            let device = device_by_id(&tx, id)?;
            tx.prepare_cached("DELETE FROM devices WHERE id = ?1")?
                .execute([id])?;
            audit::record(&tx, "device.delete", &device.mac.macd(), "")?;
            deleted.push(device);
        }
        tx.commit()?;
        Ok(deleted)
    }
    /// Puts deleted devices back exactly as they were: same id, timestamps and status columns.
    /// Fails, restoring none, if a MAC was meanwhile added again.
    pub fn restore_devices(&mut self, devices: &[Device]) -> Result<usize, InventoryError> {
        let tx = self.write()?;
        for device in devices {
            let site_id = site_id(&tx, device.site.as_deref())?;
            tx.prepare_cached(
                "INSERT INTO devices (id, mac, mac_id, mac_password, model, site_id, provider, url,
                        digest_username, digest_password, notes, created_at, updated_at,
                        redirect_status, redirect_provider, redirect_url, redirect_date,
                        redirect_checked_at, redirect_error, fetch_status, fetch_at, fetch_diagnosis,
                        seen_at, seen_firmware, seen_verdict, seen_credential,
                        rollout_started_at, rollout_old_username, rollout_old_password,
                        sip_test_status, sip_test_at, sip_test_diagnosis, rollout_interim)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                         ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30,
                         ?31, ?32, ?33)",
            )?
            .execute(params![
                device.id,
                device.mac.macd(),
                device.mac_id.as_ref().map(ToString::to_string),
                device.mac_password.as_ref().map(Secret::expose),
                device.model,
                site_id,
                device.provider,
                device.url,
                device.digest_username,
                device.digest_password.as_ref().map(Secret::expose),
                device.notes,
                device.created_at,
                device.updated_at,
                device.redirect.status,
                device.redirect.provider,
                device.redirect.url,
                device.redirect.date,
                device.redirect.checked_at,
                device.redirect.error,
                device.fetch.status,
                device.fetch.at,
                device.fetch.diagnosis,
                device.seen.at,
                device.seen.firmware,
                device.seen.verdict,
                device.seen.credential,
                device.rollout.started_at,
                device.rollout.old_username,
                device.rollout.old_password.as_ref().map(Secret::expose),
                device.sip_test.status,
                device.sip_test.at,
                device.sip_test.diagnosis,
                interim_to(&device.rollout.interim),
            ])
            .map_err(|e| {
                let mut probe = NewDevice::with_mac(device.mac);
                probe.mac_id = device.mac_id.clone();
                constraint_error(e, &probe)
            })?;
            replace_accounts(&tx, device.id, &device.sip_accounts)?;
            let detail = device
                .url
                .as_deref()
                .map(|u| format!("url={}", mask_url_password(u)))
                .unwrap_or_default();
            audit::record(&tx, "device.restore", &device.mac.macd(), &detail)?;
        }
        tx.commit()?;
        Ok(devices.len())
    }
}
