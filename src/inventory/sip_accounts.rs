//! A device's SIP accounts: set as a whole list (one transaction, one audit entry without the
//! passwords), read as stored or as the device uses them (its site's defaults filled in), and
//! the verdict of its last SIP registration test.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, Row, Transaction, TransactionBehavior, params};

use super::{Inventory, InventoryError, audit};
use crate::device::{
    Device, Mac, NewDevice, SipAccount, SipField, SipFieldError, SipTransport, sip_account_limit,
};
use crate::secret::Secret;

const SELECT_ACCOUNTS: &str = "SELECT device_id, idx, registrar, port, transport, user, auth_user,
        password, display_name, outbound_proxy FROM sip_accounts";

fn account_from_row(row: &Row<'_>) -> rusqlite::Result<(i64, SipAccount)> {
    let transport: Option<String> = row.get(4)?;
    Ok((
        row.get(0)?,
        SipAccount {
            index: row.get(1)?,
            registrar: row.get(2)?,
            port: row.get(3)?,
            // The schema allows only udp, tcp and tls.
            transport: transport.and_then(|text| text.parse::<SipTransport>().ok()),
            user: row.get(5)?,
            auth_user: row.get(6)?,
            password: row.get::<_, Option<String>>(7)?.map(Secret::new),
            display_name: row.get(8)?,
            outbound_proxy: row.get(9)?,
        },
    ))
}

/// Fills in the stored SIP accounts of `devices`, ordered by index: one query per 500 devices,
/// none when no device has an account.
pub(super) fn attach_sip_accounts(
    conn: &Connection,
    devices: &mut [Device],
) -> Result<(), InventoryError> {
    if devices.is_empty()
        || !conn
            .prepare_cached("SELECT 1 FROM sip_accounts LIMIT 1")?
            .exists([])?
    {
        return Ok(());
    }
    const CHUNK: usize = 500;
    let position: HashMap<i64, usize> = devices
        .iter()
        .enumerate()
        .map(|(at, device)| (device.id, at))
        .collect();
    let ids: Vec<i64> = devices.iter().map(|device| device.id).collect();
    for chunk in ids.chunks(CHUNK) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!("{SELECT_ACCOUNTS} WHERE device_id IN ({marks}) ORDER BY device_id, idx");
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(chunk.iter()), account_from_row)?;
        for row in rows {
            let (device_id, account) = row?;
            if let Some(&at) = position.get(&device_id) {
                devices[at].sip_accounts.push(account);
            }
        }
    }
    Ok(())
}

/// Replaces the device's accounts with `accounts` inside the caller's transaction.
pub(super) fn replace_accounts(
    tx: &Connection,
    device_id: i64,
    accounts: &[SipAccount],
) -> Result<(), InventoryError> {
    tx.prepare_cached("DELETE FROM sip_accounts WHERE device_id = ?1")?
        .execute([device_id])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO sip_accounts (device_id, idx, registrar, port, transport, user, auth_user,
                password, display_name, outbound_proxy)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for account in accounts {
        insert.execute(params![
            device_id,
            account.index,
            account.registrar,
            account.port,
            account.transport.map(SipTransport::as_str),
            account.user,
            account.auth_user,
            account.password.as_ref().map(Secret::expose),
            account.display_name,
            account.outbound_proxy,
        ])?;
    }
    Ok(())
}

/// Stores the accounts `device` gives (when it gives them) as the whole list of the stored
/// device `id`, inside the caller's transaction: checked against its model's number of
/// accounts, every refused field named, nothing written when one is refused.
pub(super) fn store_given_accounts(
    tx: &Connection,
    id: i64,
    device: &NewDevice,
) -> Result<(), InventoryError> {
    let Some(accounts) = &device.sip_accounts else {
        return Ok(());
    };
    let limit = sip_account_limit(device.model);
    checked_replace(tx, id, &device.mac, accounts.clone(), limit)
}

/// Merges the accounts an import gives into the stored device `id`, the way the import fills
/// the device's other fields: an account's empty fields keep their stored value (so a
/// re-imported export, which carries no passwords, keeps them) and accounts the import does
/// not name stay. Checked against the model the device has after the merge.
pub(super) fn merge_given_accounts(
    tx: &Connection,
    id: i64,
    device: &NewDevice,
) -> Result<(), InventoryError> {
    let Some(given) = &device.sip_accounts else {
        return Ok(());
    };
    let model: Option<String> = tx
        .prepare_cached("SELECT model FROM devices WHERE id = ?1")?
        .query_row([id], |row| row.get(0))?;
    let limit = sip_account_limit(model.as_deref().and_then(crate::device::find_model));
    let mut merged = stored_by_id(tx, id)?;
    for account in given {
        match merged
            .iter_mut()
            .find(|stored| stored.index == account.index)
        {
            Some(stored) => *stored = account_over(account, stored),
            None => merged.push(account.clone()),
        }
    }
    checked_replace(tx, id, &device.mac, merged, limit)
}

/// `given` with the values it leaves open taken from `stored`.
fn account_over(given: &SipAccount, stored: &SipAccount) -> SipAccount {
    SipAccount {
        index: given.index,
        registrar: given.registrar.clone().or_else(|| stored.registrar.clone()),
        port: given.port.or(stored.port),
        transport: given.transport.or(stored.transport),
        user: given.user.clone(),
        auth_user: given.auth_user.clone().or_else(|| stored.auth_user.clone()),
        password: given.password.clone().or_else(|| stored.password.clone()),
        display_name: given
            .display_name
            .clone()
            .or_else(|| stored.display_name.clone()),
        outbound_proxy: given
            .outbound_proxy
            .clone()
            .or_else(|| stored.outbound_proxy.clone()),
    }
}

fn checked_replace(
    tx: &Connection,
    id: i64,
    mac: &Mac,
    mut accounts: Vec<SipAccount>,
    limit: u8,
) -> Result<(), InventoryError> {
    let errors = sip_account_problems(&accounts, limit);
    if !errors.is_empty() {
        return Err(InventoryError::SipAccounts {
            mac: mac.macd(),
            errors,
        });
    }
    accounts.sort_by_key(|account| account.index);
    replace_accounts(tx, id, &accounts)
}

fn stored_by_id(conn: &Connection, id: i64) -> Result<Vec<SipAccount>, InventoryError> {
    let sql = format!("{SELECT_ACCOUNTS} WHERE device_id = ?1 ORDER BY idx");
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([id], account_from_row)?
        .map(|row| row.map(|(_, account)| account))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Every rule the list breaks for a device of a model with `limit` accounts: each account's
/// own, and an index given twice.
pub fn sip_account_problems(accounts: &[SipAccount], limit: u8) -> Vec<SipFieldError> {
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    for account in accounts {
        found.extend(account.problems(limit));
        if !seen.insert(account.index) {
            found.push(SipFieldError::new(
                SipField::Index,
                account.index,
                format!("account {} is given twice: keep one of them", account.index),
            ));
        }
    }
    found
}

/// The audit detail of an account list: every field but the passwords, which are only said
/// to be set.
pub(super) fn audit_detail(accounts: &[SipAccount]) -> String {
    if accounts.is_empty() {
        return "none".into();
    }
    accounts
        .iter()
        .map(|account| {
            format!(
                "{}: user={} auth_user={} registrar={} port={} transport={} display_name={} outbound_proxy={} password={}",
                account.index,
                account.user,
                account.auth_user.as_deref().unwrap_or(""),
                account.registrar.as_deref().unwrap_or(""),
                account.port.map(|port| port.to_string()).unwrap_or_default(),
                account.transport.map_or("", SipTransport::as_str),
                account.display_name.as_deref().unwrap_or(""),
                account.outbound_proxy.as_deref().unwrap_or(""),
                if account.password.is_some() { "set" } else { "none" },
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn device_id_and_limit(conn: &Connection, mac: &Mac) -> Result<(i64, u8), InventoryError> {
    let (id, model): (i64, Option<String>) = conn
        .prepare_cached("SELECT id, model FROM devices WHERE mac = ?1")?
        .query_row([mac.macd()], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(|error| match error {
            rusqlite::Error::QueryReturnedNoRows => {
                InventoryError::DeviceNotFound { mac: mac.macd() }
            }
            other => other.into(),
        })?;
    let model = model.as_deref().and_then(crate::device::find_model);
    Ok((id, sip_account_limit(model)))
}

impl Inventory {
    /// Replaces the device's SIP accounts with `accounts` (in any order), all or nothing:
    /// every refused field is named at once and nothing is stored. An empty list removes the
    /// device's accounts.
    pub fn set_sip_accounts(
        &mut self,
        mac: &Mac,
        accounts: &[SipAccount],
    ) -> Result<Vec<SipAccount>, InventoryError> {
        let tx = self.write()?;
        let (id, limit) = device_id_and_limit(&tx, mac)?;
        checked_replace(&tx, id, mac, accounts.to_vec(), limit)?;
        let stored = stored_by_id(&tx, id)?;
        tx.execute(
            "UPDATE devices SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
            [id],
        )?;
        audit::record(
            &tx,
            "device.sip_accounts",
            &mac.macd(),
            &audit_detail(&stored),
        )?;
        tx.commit()?;
        Ok(stored)
    }

    /// The device's SIP accounts as stored (what it leaves open is `None`), ordered by index.
    pub fn stored_sip_accounts(&self, mac: &Mac) -> Result<Vec<SipAccount>, InventoryError> {
        let (id, _) = device_id_and_limit(&self.conn, mac)?;
        stored_by_id(&self.conn, id)
    }

    /// The device's SIP accounts as it uses them: registrar, port and transport it leaves open
    /// come from its site (then the transport's default port), ordered by index.
    pub fn sip_accounts(&self, mac: &Mac) -> Result<Vec<SipAccount>, InventoryError> {
        let device = self
            .device_by_mac(*mac)?
            .ok_or_else(|| InventoryError::DeviceNotFound { mac: mac.macd() })?;
        Ok(device.effective_sip_accounts())
    }

    /// Stores the verdict of the device's last SIP registration test (`ok`,
    /// `credentials_rejected`…) and its diagnosis, for the inventory's "SIP test" column.
    pub fn record_sip_test(
        &self,
        mac: &Mac,
        status: &str,
        diagnosis: Option<&str>,
    ) -> Result<(), InventoryError> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE devices SET sip_test_status = ?1, sip_test_diagnosis = ?2,
                 sip_test_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE mac = ?3",
            params![status, diagnosis, mac.macd()],
        )?;
        if changed == 0 {
            return Err(InventoryError::DeviceNotFound { mac: mac.macd() });
        }
        audit::record(
            &tx,
            "device.sip_test",
            &mac.macd(),
            &format!("{status} {}", diagnosis.unwrap_or("")),
        )?;
        tx.commit()?;
        Ok(())
    }
}
