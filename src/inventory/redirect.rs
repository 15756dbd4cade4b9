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

use rusqlite::{CachedStatement, Transaction, params};

use super::query::mac_column;
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
        let now = Now::read(&tx)?;
        let mut recorded = 0;
        let mut audit_entries = AuditEntries::default();
        {
            let mut writer = Writer::prepare(&tx, &now)?;
            for (mac, update) in updates {
                let macd = mac.as_str();
                let (changed, news) = match update {
                    RedirectUpdate::Registered {
                        provider,
                        url,
                        date,
                        mac_password,
                    } => {
                        let news = News::Registered {
                            provider,
                            url,
                            mac_password: mac_password.is_some(),
                        };
                        let password = mac_password.as_ref().map(|p| p.secret().expose());
                        let changed =
                            writer.registered(macd, (provider, url), date.as_deref(), password)?;
                        (changed, news)
                    }
                    RedirectUpdate::NotRegistered => {
                        let changed = writer.not_registered(macd, None)?;
                        (changed, News::NotRegistered { error: "" })
                    }
                    RedirectUpdate::Lost { error } => {
                        let changed = writer.not_registered(macd, Some(error))?;
                        (changed, News::NotRegistered { error })
                    }
                    RedirectUpdate::Failed { error } => {
                        let changed = writer.failed(macd, error)?;
                        (changed, News::Failed { error })
                    }
                };
                if changed > 0 {
                    audit_entries.add(news, macd);
                    recorded += 1;
                }
            }
        }
        audit_entries.write(&tx)?;
        tx.commit()?;
        Ok(recorded)
    }

    /// Every device, for those who need them all, not a page.
    pub fn all_devices(&self) -> Result<Vec<Device>, InventoryError> {
        Ok(self.query_devices(&super::DeviceQuery::default())?.devices)
    }

    /// Every device as a sync plan sees it. Four columns instead of a whole [`Device`]'s
    /// forty (and no SIP accounts): for 10,000 devices, reading whole ones was most of the
    /// plan's time.
    pub fn sync_devices(&self) -> Result<Vec<SyncDevice>, InventoryError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.mac, d.mac_id, coalesce(d.provider, s.provider), coalesce(d.url, s.url_pattern)
             FROM devices d LEFT JOIN sites s ON s.id = d.site_id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(SyncDevice {
                mac: mac_column(row, 0)?,
                mac_id: row.get(1)?,
                provider: row.get(2)?,
                url: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every device as the Redirect panel's picker lists it, by MAC.
    pub fn pickable_devices(&self) -> Result<Vec<PickableDevice>, InventoryError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.mac, d.mac_id, s.name, d.model, d.provider,
                 coalesce(d.provider, s.provider), coalesce(d.url, s.url_pattern),
                 d.redirect_status
             FROM devices d LEFT JOIN sites s ON s.id = d.site_id ORDER BY d.mac",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(PickableDevice {
                mac: mac_column(row, 0)?,
                mac_id: row.get(1)?,
                site: row.get(2)?,
                model: row.get(3)?,
                provider: row.get(4)?,
                effective_provider: row.get(5)?,
                effective_url: row.get(6)?,
                redirect_status: row.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// A device as the Redirect panel's picker lists it and searches it. Eight columns instead of
/// a whole [`Device`]: the panel holds every device, and 100,000 whole ones, each row laid
/// out, took most of a gigabyte and every frame's time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickableDevice {
    pub mac: Mac,
    /// As stored (normalised on the way in, see [`SyncDevice::mac_id`]).
    pub mac_id: Option<String>,
    pub site: Option<String>,
    pub model: Option<String>,
    /// The device's own provider, as the search looks at it.
    pub provider: Option<String>,
    /// The provider and URL pattern it registers with: its own, else its site's.
    pub effective_provider: Option<String>,
    pub effective_url: Option<String>,
    pub redirect_status: Option<String>,
}

/// A device as a sync compares it with the redirect server: what the server is told and
/// the provider and URL pattern the device uses (its own, else its site's, as
/// `Device::effective_provider` and `Device::effective_url` say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncDevice {
    pub mac: Mac,
    /// As stored: the inventory writes a MAC-ID only through [`MacId`](crate::device::MacId),
    /// normalised, so it is not parsed again here (parsing and printing it back was a third
    /// of reading 10,000).
    pub mac_id: Option<String>,
    pub provider: Option<String>,
    pub url: Option<String>,
}

/// The time a batch is recorded at, read once: SQLite's `strftime` per row was a fifth of
/// the recording's time.
struct Now {
    /// When the server was last asked (`redirect_checked_at`).
    checked_at: String,
    /// The registration date when the server gave none (`redirect_date`).
    date: String,
}

impl Now {
    fn read(tx: &Transaction) -> Result<Self, InventoryError> {
        Ok(tx
            .prepare_cached(
                "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%d %H:%M', 'now')",
            )?
            .query_row([], |row| {
                Ok(Self {
                    checked_at: row.get(0)?,
                    date: row.get(1)?,
                })
            })?)
    }
}

/// What one device's audit entry says, borrowed from its update. Devices with equal news
/// share an entry, and its detail is written once per entry rather than once per device
/// (formatting and masking the URL per device was a tenth of the recording's time).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum News<'a> {
    Registered {
        provider: &'a str,
        url: &'a str,
        /// Whether this registration issued a MAC password (else the stored one is kept).
        mac_password: bool,
    },
    /// Not registered (any more); the error when an update lost the old registration.
    NotRegistered {
        error: &'a str,
    },
    Failed {
        error: &'a str,
    },
}

impl News<'_> {
    fn action(self) -> &'static str {
        match self {
            News::Registered { .. } => "redirect.registered",
            News::NotRegistered { .. } => "redirect.not_registered",
            News::Failed { .. } => "redirect.failed",
        }
    }

    /// The audit detail; the MAC password only as "set" or "kept".
    fn detail(self) -> String {
        match self {
            News::Registered {
                provider,
                url,
                mac_password,
            } => format!(
                "provider={provider} url={} mac_password={}",
                mask_url_password(url),
                if mac_password { "set" } else { "kept" }
            ),
            News::NotRegistered { error } | News::Failed { error } => error.to_string(),
        }
    }
}

/// The audit entries of one [`Inventory::record_redirect`]: per news, the MACs it applies
/// to, in the order first seen.
#[derive(Default)]
struct AuditEntries<'a> {
    index: HashMap<News<'a>, usize>,
    entries: Vec<(News<'a>, String)>,
}

impl<'a> AuditEntries<'a> {
    fn add(&mut self, news: News<'a>, macd: &str) {
        // A batch's devices mostly share their news: the last entry is checked before the
        // index is hashed.
        if let Some((last, macs)) = self.entries.last_mut()
            && *last == news
        {
            macs.push(' ');
            macs.push_str(macd);
            return;
        }
        let next = self.entries.len();
        match self.index.entry(news) {
            Entry::Occupied(entry) => {
                let macs = &mut self.entries[*entry.get()].1;
                macs.push(' ');
                macs.push_str(macd);
            }
            Entry::Vacant(entry) => {
                self.entries.push((news, macd.to_string()));
                entry.insert(next);
            }
        }
    }

    fn write(self, tx: &Transaction) -> Result<(), InventoryError> {
        for (news, macs) in &self.entries {
            audit::record(tx, news.action(), macs, &news.detail())?;
        }
        Ok(())
    }
}

/// The three updates of a batch, prepared once for it: looking each up in the statement
/// cache per device cost a tenth of the recording.
struct Writer<'t> {
    now: &'t Now,
    registered: CachedStatement<'t>,
    not_registered: CachedStatement<'t>,
    failed: CachedStatement<'t>,
}

impl<'t> Writer<'t> {
    fn prepare(tx: &'t Transaction, now: &'t Now) -> Result<Self, InventoryError> {
        Ok(Self {
            now,
            registered: tx.prepare_cached(
                "UPDATE devices SET redirect_status = ?1, redirect_provider = ?2,
                     redirect_url = ?3, redirect_date = ?4, redirect_checked_at = ?5,
                     redirect_error = NULL,
                     mac_password = coalesce(?6, mac_password)
                 WHERE mac = ?7",
            )?,
            not_registered: tx.prepare_cached(
                "UPDATE devices SET redirect_status = ?1, redirect_provider = NULL,
                     redirect_url = NULL, redirect_date = NULL, redirect_checked_at = ?2,
                     redirect_error = ?3
                 WHERE mac = ?4",
            )?,
            failed: tx.prepare_cached(
                "UPDATE devices SET redirect_error = ?1, redirect_checked_at = ?2 WHERE mac = ?3",
            )?,
        })
    }

    /// A registration: its provider, URL and date, and the MAC password where one was
    /// issued. Returns how many rows changed.
    fn registered(
        &mut self,
        macd: &str,
        (provider, url): (&str, &str),
        date: Option<&str>,
        mac_password: Option<&str>,
    ) -> Result<usize, InventoryError> {
        Ok(self.registered.execute(params![
            STATUS_REGISTERED,
            provider,
            url,
            date.unwrap_or(&self.now.date),
            self.now.checked_at,
            mac_password,
            macd
        ])?)
    }

    /// Not registered (any more); `error` when an update lost the old registration. Returns
    /// how many rows changed.
    fn not_registered(&mut self, macd: &str, error: Option<&str>) -> Result<usize, InventoryError> {
        Ok(self.not_registered.execute(params![
            STATUS_NOT_REGISTERED,
            self.now.checked_at,
            error,
            macd
        ])?)
    }

    /// The call failed: the status stays, the error is kept. Returns how many rows changed.
    fn failed(&mut self, macd: &str, error: &str) -> Result<usize, InventoryError> {
        Ok(self
            .failed
            .execute(params![error, self.now.checked_at, macd])?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{MacId, NewDevice, ProvisioningUrl};
    use crate::inventory::SiteDraft;

    fn device(n: u32, site: Option<&str>, provider: Option<&str>, url: Option<&str>) -> NewDevice {
        let mut device = NewDevice::with_mac(Mac::parse(&format!("7C2F80{n:06X}")).unwrap());
        device.mac_id = Some(MacId::parse(&format!("7C2F80{n:06X}-{n:04X}")).unwrap());
        device.site = site.map(Into::into);
        device.provider = provider.map(Into::into);
        device.url = url.map(|u| ProvisioningUrl::parse(u).unwrap());
        device
    }

    /// The plan's four columns say what whole devices say: own values first, then the
    /// site's, nothing where neither has one.
    #[test]
    fn sync_and_pickable_devices_use_the_site_defaults_as_devices_do() {
        let dir = tempfile::tempdir().unwrap();
        let mut inventory = Inventory::open(&dir.path().join("inventory.sqlite3")).unwrap();
        inventory
            .save_site(&SiteDraft {
                name: "Lobby".into(),
                provider: Some("Site".into()),
                url_pattern: Some("http://site.example/%MACD.xml".into()),
                ..SiteDraft::default()
            })
            .unwrap();
        inventory
            .add_devices(&[
                device(1, None, Some("Own"), Some("http://own.example/x")),
                device(2, Some("Lobby"), None, None),
                device(3, Some("Lobby"), Some("Own"), None),
                device(4, None, None, None),
            ])
            .unwrap();
        let mut slim = inventory.sync_devices().unwrap();
        slim.sort_by_key(|d| d.mac);
        let mut whole = inventory.all_devices().unwrap();
        whole.sort_by_key(|d| d.mac);
        let expected: Vec<SyncDevice> = whole
            .iter()
            .map(|d| SyncDevice {
                mac: d.mac,
                mac_id: d.mac_id.as_ref().map(ToString::to_string),
                provider: d.effective_provider().map(Into::into),
                url: d.effective_url().map(Into::into),
            })
            .collect();
        assert_eq!(slim, expected);
        assert_eq!(slim[1].provider.as_deref(), Some("Site"));
        assert_eq!(
            slim[2].url.as_deref(),
            Some("http://site.example/%MACD.xml")
        );
        assert_eq!(slim[3].provider, None);
        let pickable = inventory.pickable_devices().unwrap();
        let expected: Vec<PickableDevice> = whole
            .iter()
            .map(|d| PickableDevice {
                mac: d.mac,
                mac_id: d.mac_id.as_ref().map(ToString::to_string),
                site: d.site.clone(),
                model: d.model.clone(),
                provider: d.provider.clone(),
                effective_provider: d.effective_provider().map(Into::into),
                effective_url: d.effective_url().map(Into::into),
                redirect_status: d.redirect.status.clone(),
            })
            .collect();
        assert_eq!(pickable, expected, "by MAC, as whole devices say");
    }
}
