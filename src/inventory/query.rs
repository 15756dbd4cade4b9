//! Reading devices: search, site filter, sort and paging in one query.

use rusqlite::Row;
use rusqlite::types::Value;

use super::sip_accounts::attach_sip_accounts;
use super::{Inventory, InventoryError};
use crate::device::{
    Device, FetchState, Mac, MacId, RedirectState, RolloutState, SeenState, SipTestState,
    SipTransport, SiteDefaults,
};
use crate::secret::Secret;

/// The columns every device read selects, in the order [`device_from_row`] reads them.
macro_rules! device_columns {
    () => {
        "SELECT d.id, d.mac, d.mac_id, d.mac_password, d.model,
        s.name, d.provider, d.url, d.digest_username, d.digest_password, d.notes,
        s.provider, s.url_pattern, s.digest_username, s.digest_password,
        d.redirect_status, d.redirect_provider, d.redirect_url, d.redirect_date,
        d.redirect_checked_at, d.redirect_error, d.fetch_status, d.fetch_at, d.fetch_diagnosis,
        d.created_at, d.updated_at, d.seen_at, d.seen_firmware, d.seen_verdict, d.seen_credential,
        d.rollout_started_at, d.rollout_old_username, d.rollout_old_password,
        s.sip_registrar, s.sip_port, s.sip_transport,
        d.sip_test_status, d.sip_test_at, d.sip_test_diagnosis, d.rollout_interim,
        d.rollout_cancelled_at"
    };
}

macro_rules! device_from {
    () => {
        " FROM devices d LEFT JOIN sites s ON s.id = d.site_id"
    };
}

/// Reads whole devices; append a WHERE clause.
pub(super) const DEVICE_SELECT: &str = concat!(device_columns!(), device_from!());

/// As [`DEVICE_SELECT`], with the number of matching rows in one more column, so that a filtered
/// page and its total come from one scan.
const DEVICE_SELECT_WITH_TOTAL: &str =
    concat!(device_columns!(), ", count(*) OVER ()", device_from!());

/// Where the total column sits in [`DEVICE_SELECT_WITH_TOTAL`].
const TOTAL_COLUMN: usize = 41;

/// The MAC in column `index`, as the inventory stores it.
pub(super) fn mac_column(row: &Row<'_>, index: usize) -> rusqlite::Result<Mac> {
    let text: String = row.get(index)?;
    Mac::parse(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(super) fn device_from_row(row: &Row<'_>) -> rusqlite::Result<Device> {
    let mac = mac_column(row, 1)?;
    let secret = |index: usize| -> rusqlite::Result<Option<Secret>> {
        Ok(row.get::<_, Option<String>>(index)?.map(Secret::new))
    };
    Ok(Device {
        id: row.get(0)?,
        mac,
        mac_id: row
            .get::<_, Option<String>>(2)?
            .and_then(|text| MacId::parse(&text).ok()),
        mac_password: secret(3)?,
        model: row.get(4)?,
        site: row.get(5)?,
        provider: row.get(6)?,
        url: row.get(7)?,
        digest_username: row.get(8)?,
        digest_password: secret(9)?,
        notes: row.get(10)?,
        site_defaults: SiteDefaults {
            provider: row.get(11)?,
            url: row.get(12)?,
            digest_username: row.get(13)?,
            digest_password: secret(14)?,
            sip_registrar: row.get(33)?,
            sip_port: row.get(34)?,
            // The schema allows only udp, tcp and tls.
            sip_transport: row
                .get::<_, Option<String>>(35)?
                .and_then(|text| text.parse::<SipTransport>().ok()),
        },
        redirect: RedirectState {
            status: row.get(15)?,
            provider: row.get(16)?,
            url: row.get(17)?,
            date: row.get(18)?,
            checked_at: row.get(19)?,
            error: row.get(20)?,
        },
        fetch: FetchState {
            status: row.get(21)?,
            at: row.get(22)?,
            diagnosis: row.get(23)?,
        },
        sip_test: SipTestState {
            status: row.get(36)?,
            at: row.get(37)?,
            diagnosis: row.get(38)?,
        },
        sip_accounts: Vec::new(),
        created_at: row.get(24)?,
        updated_at: row.get(25)?,
        seen: SeenState {
            at: row.get(26)?,
            firmware: row.get(27)?,
            verdict: row.get(28)?,
            credential: row.get(29)?,
        },
        rollout: RolloutState {
            started_at: row.get(30)?,
            old_username: row.get(31)?,
            old_password: secret(32)?,
            interim: interim_from(row.get(39)?),
            cancelled_at: row.get(40)?,
        },
    })
}

/// The interim credentials of a rollout as stored ([`interim_to`]); text that does not read as
/// such (written by hand) holds none.
fn interim_from(text: Option<String>) -> Vec<(String, Secret)> {
    text.and_then(|text| serde_json::from_str::<Vec<(String, String)>>(&text).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|(user, password)| (user, Secret::new(password)))
        .collect()
}

/// The interim credentials of a rollout as the `rollout_interim` column holds them: a JSON
/// array of `[user, password]` pairs, or NULL for none.
pub(super) fn interim_to(pairs: &[(String, Secret)]) -> Option<String> {
    let plain: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(user, password)| (user.as_str(), password.expose()))
        .collect();
    (!plain.is_empty()).then(|| serde_json::to_string(&plain).expect("strings serialise"))
}

/// The column a device list is sorted by; the window remembers it between runs.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum SortKey {
    #[default]
    Mac,
    MacId,
    Model,
    Site,
    Provider,
    Redirect,
    LastFetch,
    LastSeen,
    Firmware,
    Updated,
    SipTest,
}

impl SortKey {
    fn column(self) -> &'static str {
        match self {
            SortKey::Mac => "d.mac",
            SortKey::MacId => "d.mac_id",
            SortKey::Model => "d.model",
            SortKey::Site => "s.name",
            SortKey::Provider => "coalesce(d.provider, s.provider)",
            SortKey::Redirect => "d.redirect_status",
            SortKey::LastFetch => "d.fetch_at",
            SortKey::LastSeen => "d.seen_at",
            SortKey::Firmware => "d.seen_firmware",
            SortKey::Updated => "d.updated_at",
            SortKey::SipTest => "d.sip_test_status",
        }
    }
}

/// What to list: a search text, a site, an order and a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceQuery {
    /// Case-insensitive substring of the MAC (in any notation), MAC-ID, site, model or notes.
    pub search: String,
    /// Only devices of this site (by name, case-insensitive).
    pub site: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
    /// At most this many devices; `None` for all.
    pub limit: Option<usize>,
    pub offset: usize,
}

/// One page of devices and how many match in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DevicePage {
    pub devices: Vec<Device>,
    pub total: usize,
}

/// Escapes LIKE wildcards so that a search for `50%` or `a_b` means those characters.
fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The search text as MAC digits when it could be part of a MAC in any notation
/// (`7c:2f:80` → `7c2f80`), so the stored 12-digit form matches it.
fn mac_fragment(search: &str) -> Option<String> {
    let digits: String = search
        .chars()
        .filter(|c| !matches!(c, ':' | '-' | '.' | ' '))
        .collect();
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| digits.to_ascii_lowercase())
}

impl DeviceQuery {
    /// The WHERE clause and its parameters.
    ///
    /// The text search runs over the indexed `search_text` column (MAC, MAC-ID, model, notes)
    /// as an index-only scan, plus the devices of sites whose name matches; only the matching
    /// rows are then read whole.
    fn filter(&self) -> (String, Vec<Value>) {
        let mut clauses = Vec::new();
        let mut values = Vec::new();
        let search = self.search.trim();
        if !search.is_empty() {
            let needle = search.to_ascii_lowercase();
            let mac_needle = mac_fragment(search).unwrap_or_else(|| needle.clone());
            values.push(Value::Text(needle));
            values.push(Value::Text(mac_needle));
            values.push(Value::Text(like_pattern(search)));
            let (text, mac, site) = (values.len() - 2, values.len() - 1, values.len());
            clauses.push(format!(
                "d.id IN (SELECT id FROM devices INDEXED BY devices_search \
                          WHERE instr(search_text, ?{text}) > 0 OR instr(search_text, ?{mac}) > 0 \
                          UNION ALL \
                          SELECT id FROM devices WHERE site_id IN \
                              (SELECT id FROM sites WHERE name LIKE ?{site} ESCAPE '\\'))"
            ));
        }
        if let Some(site) = self.site.as_deref().filter(|s| !s.trim().is_empty()) {
            values.push(Value::Text(site.trim().to_string()));
            clauses.push(format!("s.name = ?{} COLLATE NOCASE", values.len()));
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        (sql, values)
    }

    /// ORDER BY: the chosen column with empty values last, then the MAC so the order is stable.
    /// The MAC itself is never empty, so sorting by it can walk its unique index.
    fn order(&self) -> String {
        let direction = if self.descending { "DESC" } else { "ASC" };
        match self.sort {
            SortKey::Mac => format!("d.mac {direction}"),
            other => {
                let column = other.column();
                format!("{column} IS NULL, {column} {direction}, d.mac {direction}")
            }
        }
    }
}

impl Inventory {
    /// Lists the devices the query selects, and how many match in all.
    pub fn query_devices(&self, query: &DeviceQuery) -> Result<DevicePage, InventoryError> {
        let (filter, values) = query.filter();
        let paged = query.limit.is_some() || query.offset > 0;
        // A filtered page counts its matches in the same scan; an unfiltered one counts the
        // table, which SQLite does from its smallest index.
        let total_in_row = paged && !filter.is_empty();
        let select = if total_in_row {
            DEVICE_SELECT_WITH_TOTAL
        } else {
            DEVICE_SELECT
        };
        let limit = query.limit.map_or(-1, |l| l as i64);
        let sql = format!(
            "{select}{filter} ORDER BY {} LIMIT {limit} OFFSET {}",
            query.order(),
            query.offset
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut total_seen = None;
        let mut devices = stmt
            .query_map(rusqlite::params_from_iter(values.iter()), |row| {
                if total_in_row && total_seen.is_none() {
                    total_seen = Some(row.get::<_, i64>(TOTAL_COLUMN)? as usize);
                }
                device_from_row(row)
            })?
            .collect::<Result<Vec<_>, _>>()?;
        attach_sip_accounts(&self.conn, &mut devices)?;
        let total = if !paged {
            devices.len()
        } else if let Some(total) = total_seen {
            total
        } else {
            self.count_matches(&filter, &values)?
        };
        Ok(DevicePage { devices, total })
    }

    /// How many devices a WHERE clause selects.
    fn count_matches(&self, filter: &str, values: &[Value]) -> Result<usize, InventoryError> {
        let sql = format!("SELECT count(*){}{filter}", device_from!());
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(values.iter()), |row| {
                row.get::<_, i64>(0)
            })? as usize)
    }

    /// The ids of the devices the query selects, in its order, its page only when it has one:
    /// what a window that pages needs for a selection over rows it has not loaded.
    pub fn device_ids(&self, query: &DeviceQuery) -> Result<Vec<i64>, InventoryError> {
        let (filter, values) = query.filter();
        let limit = query.limit.map_or(-1, |l| l as i64);
        let sql = format!(
            "SELECT d.id{}{filter} ORDER BY {} LIMIT {limit} OFFSET {}",
            device_from!(),
            query.order(),
            query.offset
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = stmt
            .query_map(rusqlite::params_from_iter(values.iter()), |row| row.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(ids)
    }

    /// The devices with these ids, in the order of `ids`; ids no longer present are left out.
    pub fn devices_by_ids(&self, ids: &[i64]) -> Result<Vec<Device>, InventoryError> {
        // Chunks stay well under SQLite's limit on bound parameters.
        const CHUNK: usize = 500;
        let mut found = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(CHUNK) {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!("{DEVICE_SELECT} WHERE d.id IN ({marks})");
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(chunk.iter()), device_from_row)?;
            for device in rows {
                let device = device?;
                found.insert(device.id, device);
            }
        }
        let mut devices: Vec<Device> = ids.iter().filter_map(|id| found.remove(id)).collect();
        attach_sip_accounts(&self.conn, &mut devices)?;
        Ok(devices)
    }

    /// Which of these MACs the inventory already holds.
    pub fn existing_macs(
        &self,
        macs: &[Mac],
    ) -> Result<std::collections::HashSet<Mac>, InventoryError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM devices WHERE mac = ?1")?;
        let mut found = std::collections::HashSet::new();
        for mac in macs {
            if stmt.exists([mac.macd()])? {
                found.insert(*mac);
            }
        }
        Ok(found)
    }

    /// The number of devices in the inventory.
    pub fn device_count(&self) -> Result<usize, InventoryError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM devices", [], |row| {
                row.get::<_, i64>(0)
            })? as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mac_fragments_accept_any_notation() {
        assert_eq!(mac_fragment("7c:2f:80").as_deref(), Some("7c2f80"));
        assert_eq!(mac_fragment("2F-80").as_deref(), Some("2f80"));
        assert_eq!(mac_fragment("lobby"), None);
        assert_eq!(mac_fragment("::"), None);
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_pattern("50%_a"), "%50\\%\\_a%");
    }
}
