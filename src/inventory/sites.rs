//! Sites: where devices are installed, and the defaults their devices inherit.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Inventory, InventoryError, audit};
use crate::device::{
    DeviceDraft, NAME_MAX, ProvisioningUrl, SipAccount, SipTransport, line_problem, notes_problem,
};
use crate::secret::Secret;

/// A site as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub id: i64,
    pub name: String,
    pub provider: Option<String>,
    pub url_pattern: Option<String>,
    pub digest_username: Option<String>,
    pub digest_password: Option<Secret>,
    pub notes: String,
    /// The registrar, port and transport of the site's SIP accounts where an account leaves
    /// them open.
    pub sip_registrar: Option<String>,
    pub sip_port: Option<u16>,
    pub sip_transport: Option<SipTransport>,
    /// How many devices belong to the site.
    pub device_count: usize,
}

/// A site's name and defaults as the user gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteDraft {
    pub name: String,
    pub provider: Option<String>,
    pub url_pattern: Option<String>,
    pub digest_username: Option<String>,
    pub digest_password: Option<Secret>,
    pub notes: String,
    pub sip_registrar: Option<String>,
    pub sip_port: Option<u16>,
    pub sip_transport: Option<SipTransport>,
}

impl Site {
    /// The fields of `draft` the site fills in because they are empty, as words for people.
    pub fn fills_in(&self, draft: &DeviceDraft) -> Vec<&'static str> {
        [
            (
                "provider",
                draft.provider.trim().is_empty() && self.provider.is_some(),
            ),
            (
                "provisioning URL",
                draft.url.trim().is_empty() && self.url_pattern.is_some(),
            ),
            (
                "digest user name",
                draft.digest_username.trim().is_empty() && self.digest_username.is_some(),
            ),
            (
                "digest password",
                draft.digest_password.is_empty() && self.digest_password.is_some(),
            ),
        ]
        .into_iter()
        .filter_map(|(field, filled)| filled.then_some(field))
        .collect()
    }
}

impl SiteDraft {
    /// Everything that is wrong with the site as given, in words with what to do; `None` when
    /// it can be stored. The faces may check fields as they are typed; this is the rule.
    pub fn problem(&self) -> Option<String> {
        let mut problems = Vec::new();
        for (label, text) in [
            ("name", Some(self.name.as_str())),
            ("provider", self.provider.as_deref()),
            ("digest user name", self.digest_username.as_deref()),
        ] {
            if let Some(problem) = text.and_then(|text| line_problem(text.trim(), NAME_MAX)) {
                problems.push(format!("{label} {problem}"));
            }
        }
        if let Some(Err(error)) = self.url_pattern.as_deref().map(ProvisioningUrl::parse) {
            problems.push(error.to_string());
        }
        if let Some(problem) = notes_problem(&self.notes) {
            problems.push(format!("notes {problem}"));
        }
        problems.extend(self.sip_problem());
        (!problems.is_empty()).then(|| problems.join("; "))
    }

    /// What is wrong with the SIP defaults, in words with what to do; `None` when they are fine.
    pub fn sip_problem(&self) -> Option<String> {
        let probe = SipAccount {
            index: 1,
            registrar: self.sip_registrar.clone(),
            port: self.sip_port,
            user: "probe".into(),
            ..SipAccount::default()
        };
        let problems: Vec<String> = probe
            .problems(1)
            .into_iter()
            .map(|problem| format!("SIP {}: {}", problem.field.label(), problem.message))
            .collect();
        (!problems.is_empty()).then(|| problems.join("; "))
    }
}

/// Returns the id of the site called `name`, creating an empty site if there is none.
pub(super) fn ensure_site(conn: &Connection, name: &str) -> Result<i64, InventoryError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(InventoryError::EmptySiteName);
    }
    let existing = conn
        .prepare_cached("SELECT id FROM sites WHERE name = ?1")?
        .query_row([name], |row| row.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    conn.prepare_cached("INSERT INTO sites (name) VALUES (?1)")?
        .execute([name])?;
    let id = conn.last_insert_rowid();
    audit::record(conn, "site.add", name, "")?;
    Ok(id)
}

impl Inventory {
    /// All sites by name, with their device counts.
    pub fn sites(&self) -> Result<Vec<Site>, InventoryError> {
        let mut stmt = self.conn.prepare(
            "SELECT s.id, s.name, s.provider, s.url_pattern, s.digest_username, s.digest_password,
                    s.notes, (SELECT count(*) FROM devices d WHERE d.site_id = s.id),
                    s.sip_registrar, s.sip_port, s.sip_transport
             FROM sites s ORDER BY s.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(Site {
                id: row.get(0)?,
                name: row.get(1)?,
                provider: row.get(2)?,
                url_pattern: row.get(3)?,
                digest_username: row.get(4)?,
                digest_password: row.get::<_, Option<String>>(5)?.map(Secret::new),
                notes: row.get(6)?,
                device_count: row.get::<_, i64>(7)? as usize,
                sip_registrar: row.get(8)?,
                sip_port: row.get(9)?,
                sip_transport: row
                    .get::<_, Option<String>>(10)?
                    .and_then(|text| text.parse::<SipTransport>().ok()),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Gives the site `url` as the provisioning URL its devices inherit, e.g. the one
    /// `provdesk serve` shows; the devices with a URL of their own keep it. Returns how many
    /// devices inherit it.
    pub fn use_site_url(
        &mut self,
        name: &str,
        url: &ProvisioningUrl,
    ) -> Result<usize, InventoryError> {
        let name = name.trim();
        let tx = self.write()?;
        let changed = tx.execute(
            "UPDATE sites SET url_pattern = ?1, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
             WHERE name = ?2",
            params![url.expose(), name],
        )?;
        if changed == 0 {
            return Err(InventoryError::SiteNotFound {
                name: name.to_string(),
            });
        }
        let inheriting: i64 = tx.query_row(
            "SELECT count(*) FROM devices d JOIN sites s ON s.id = d.site_id
             WHERE s.name = ?1 AND d.url IS NULL",
            [name],
            |row| row.get(0),
        )?;
        audit::record(
            &tx,
            "site.url",
            name,
            &format!("url={}", crate::device::mask_url_password(url.expose())),
        )?;
        tx.commit()?;
        Ok(inheriting as usize)
    }

    /// Creates the site or replaces its defaults. Devices that override a default keep their value.
    pub fn save_site(&mut self, draft: &SiteDraft) -> Result<Site, InventoryError> {
        let name = draft.name.trim();
        if name.is_empty() {
            return Err(InventoryError::EmptySiteName);
        }
        if let Some(problem) = draft.problem() {
            return Err(InventoryError::Site(problem));
        }
        let tx = self.write()?;
        let id = ensure_site(&tx, name)?;
        tx.execute(
            "UPDATE sites SET provider = ?2, url_pattern = ?3, digest_username = ?4,
                    digest_password = ?5, notes = ?6, sip_registrar = ?7, sip_port = ?8,
                    sip_transport = ?9,
                    updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
             WHERE id = ?1",
            params![
                id,
                draft.provider,
                draft.url_pattern,
                draft.digest_username,
                draft.digest_password.as_ref().map(Secret::expose),
                draft.notes,
                draft.sip_registrar,
                draft.sip_port,
                draft.sip_transport.map(SipTransport::as_str),
            ],
        )?;
        let detail = format!(
            "provider={:?} url={:?} digest_username={:?} digest_password={} sip_registrar={:?} sip_port={:?} sip_transport={:?}",
            draft.provider,
            draft
                .url_pattern
                .as_deref()
                .map(crate::device::mask_url_password),
            draft.digest_username,
            if draft.digest_password.is_some() {
                "set"
            } else {
                "none"
            },
            draft.sip_registrar,
            draft.sip_port,
            draft.sip_transport.map(SipTransport::as_str),
        );
        audit::record(&tx, "site.update", name, &detail)?;
        tx.commit()?;
        self.sites()?
            .into_iter()
            .find(|site| site.id == id)
            .ok_or(InventoryError::Sqlite(rusqlite::Error::QueryReturnedNoRows))
    }
}
