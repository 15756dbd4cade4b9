//! Sites: where devices are installed, and the defaults their devices inherit.

use rusqlite::{Connection, OptionalExtension, params};

use super::fit::{Inherits, check_fit};
use super::query::{DEVICE_SELECT, device_from_row};
use super::{Inventory, InventoryError, audit};
use crate::device::{
    Device, DeviceDraft, NAME_MAX, ProvisioningUrl, SipAccount, SipTransport, line_problem,
    notes_problem,
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
    /// Of them, how many take the site's digest user name (no own one), its password, and both.
    pub inherit_user: usize,
    pub inherit_password: usize,
    pub inherit_both: usize,
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
    /// The site's name and values as a draft, e.g. for the audit entry of its deletion.
    pub fn to_draft(&self) -> SiteDraft {
        SiteDraft {
            name: self.name.clone(),
            provider: self.provider.clone(),
            url_pattern: self.url_pattern.clone(),
            digest_username: self.digest_username.clone(),
            digest_password: self.digest_password.clone(),
            notes: self.notes.clone(),
            sip_registrar: self.sip_registrar.clone(),
            sip_port: self.sip_port,
            sip_transport: self.sip_transport,
        }
    }

    /// How many of the site's devices saving `draft` gives other digest credentials that their
    /// phones may hold now: those whose user name and password were both there before (their
    /// own or the site's) and that take a changed one from the site. Phones learn credentials
    /// only from a file fetched with the ones they hold, so each of them is refused from its
    /// next fetch unless the change goes through a rollout. A device that had no whole pair
    /// before (credentials given to a site for the first time) has none to lose.
    pub fn credential_change(&self, draft: &SiteDraft) -> usize {
        let given = |text: Option<&str>| text.is_some_and(|text| !text.is_empty());
        let had_user = given(self.digest_username.as_deref());
        let had_password = given(self.digest_password.as_ref().map(Secret::expose));
        let user =
            draft.digest_username.as_deref().map(str::trim) != self.digest_username.as_deref();
        let password = draft.digest_password.as_ref().map(Secret::expose)
            != self.digest_password.as_ref().map(Secret::expose);
        // Whole before, taking the user from the site: the password is the site's or its own.
        let by_user = match (had_user, had_password) {
            (false, _) => 0,
            (true, true) => self.inherit_user,
            (true, false) => self.inherit_user - self.inherit_both,
        };
        let by_password = match (had_password, had_user) {
            (false, _) => 0,
            (true, true) => self.inherit_password,
            (true, false) => self.inherit_password - self.inherit_both,
        };
        let by_both = if had_user && had_password {
            self.inherit_both
        } else {
            0
        };
        match (user, password) {
            (true, true) => by_user + by_password - by_both,
            (true, false) => by_user,
            (false, true) => by_password,
            (false, false) => 0,
        }
    }

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

/// The columns every site read selects, in the order [`site_from_row`] reads them; append a
/// WHERE or ORDER BY clause.
const SITE_SELECT: &str =
    "SELECT s.id, s.name, s.provider, s.url_pattern, s.digest_username, s.digest_password,
            s.notes, (SELECT count(*) FROM devices d WHERE d.site_id = s.id),
            s.sip_registrar, s.sip_port, s.sip_transport,
            (SELECT count(*) FROM devices d WHERE d.site_id = s.id AND d.digest_username IS NULL),
            (SELECT count(*) FROM devices d WHERE d.site_id = s.id AND d.digest_password IS NULL),
            (SELECT count(*) FROM devices d WHERE d.site_id = s.id AND d.digest_username IS NULL
                 AND d.digest_password IS NULL)
     FROM sites s";

fn site_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Site> {
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
        inherit_user: row.get::<_, i64>(11)? as usize,
        inherit_password: row.get::<_, i64>(12)? as usize,
        inherit_both: row.get::<_, i64>(13)? as usize,
    })
}

/// The site called `name` (trimmed; ASCII case ignored, as the schema compares site names),
/// if there is one.
fn find_site(conn: &Connection, name: &str) -> Result<Option<Site>, InventoryError> {
    Ok(conn
        .prepare_cached(&format!("{SITE_SELECT} WHERE s.name = ?1"))?
        .query_row([name.trim()], site_from_row)
        .optional()?)
}

/// The site called `name`, or the error that names it.
pub(super) fn site_named(conn: &Connection, name: &str) -> Result<Site, InventoryError> {
    find_site(conn, name)?.ok_or_else(|| InventoryError::SiteNotFound {
        name: name.trim().to_string(),
    })
}

/// What the audit log says of a site's values: the password only as set or not.
pub(super) fn audit_values(draft: &SiteDraft) -> String {
    format!(
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
    )
}

/// What changing the digest credentials of a site does to the `devices` that take them from
/// it, in the words both faces say before they do it.
pub fn lockout_warning(devices: usize) -> String {
    format!(
        "{} these credentials; phones configured with the old ones will be refused from their next fetch, since a phone learns new ones only from a file fetched with the old",
        crate::words::count(devices, "device") + crate::words::agree(devices, " uses", " use"),
    )
}

/// What is wrong with `name` as a site's new name, in words with what to do; `None` when it
/// can be stored. The rename dialog checks it as the name is typed; [`Inventory::rename_site`]
/// holds to it.
pub fn site_name_problem(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        return Some("is empty: give the site a name".into());
    }
    line_problem(name, NAME_MAX)
}

/// Refuses the digest credentials of `draft` when they changed and are too long for a model
/// of the site's devices that would take them from it.
fn check_site_fit(conn: &Connection, draft: &SiteDraft) -> Result<(), InventoryError> {
    let Some(site) = find_site(conn, &draft.name)? else {
        return Ok(());
    };
    if site.credential_change(draft) == 0 {
        return Ok(());
    }
    let devices = conn
        .prepare_cached(&format!("{DEVICE_SELECT} WHERE d.site_id = ?1"))?
        .query_map([site.id], device_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    let heirs: Vec<&Device> = devices.iter().collect();
    check_fit(
        &heirs,
        Inherits::FromSite,
        draft.digest_username.as_deref().map(str::trim),
        draft.digest_password.as_ref(),
    )
}

impl Inventory {
    /// All sites by name, with their device counts.
    pub fn sites(&self) -> Result<Vec<Site>, InventoryError> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SITE_SELECT} ORDER BY s.name COLLATE NOCASE"))?;
        let rows = stmt.query_map([], site_from_row)?;
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
        self.store_site(draft, None)
    }

    /// Replaces the defaults of the stored site `base`, the site as the form that edited
    /// `draft` loaded it. Refused with [`InventoryError::SiteChangedElsewhere`] when the
    /// stored site's values are no longer `base`'s (the CLI, a script or another window
    /// changed, renamed or deleted it meanwhile): saving would write the form's old values of
    /// every field back over the new ones, credentials included, without anyone noticing.
    pub fn save_site_over(
        &mut self,
        draft: &SiteDraft,
        base: &Site,
    ) -> Result<Site, InventoryError> {
        self.store_site(draft, Some(base))
    }

    fn store_site(
        &mut self,
        draft: &SiteDraft,
        base: Option<&Site>,
    ) -> Result<Site, InventoryError> {
        let name = draft.name.trim();
        if name.is_empty() {
            return Err(InventoryError::EmptySiteName);
        }
        if let Some(problem) = draft.problem() {
            return Err(InventoryError::Site(problem));
        }
        let tx = self.write()?;
        if let Some(base) = base {
            let stored = tx
                .prepare_cached(&format!("{SITE_SELECT} WHERE s.id = ?1"))?
                .query_row([base.id], site_from_row)
                .optional()?;
            if stored.map(|site| site.to_draft()) != Some(base.to_draft()) {
                return Err(InventoryError::SiteChangedElsewhere {
                    name: base.name.clone(),
                });
            }
        }
        check_site_fit(&tx, draft)?;
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
        audit::record(&tx, "site.update", name, &audit_values(draft))?;
        tx.commit()?;
        self.site_by_id(id)
    }

    /// Gives the site called `name` the name `new`. Its devices and values stay: they refer to
    /// the site, not to its name. `new` may differ from the old name in case only; a name
    /// another site has, compared as the schema compares site names (trimmed, ASCII case
    /// ignored), is refused, since two such sites could not be told apart. The same name again
    /// changes nothing.
    pub fn rename_site(&mut self, name: &str, new: &str) -> Result<Site, InventoryError> {
        let (name, new) = (name.trim(), new.trim());
        if let Some(problem) = site_name_problem(new) {
            return Err(InventoryError::SiteNotRenamed {
                name: name.to_string(),
                problem: format!("the new name {problem}"),
            });
        }
        let tx = self.write()?;
        let site = site_named(&tx, name)?;
        if site.name == new {
            return Ok(site);
        }
        if let Some(other) = find_site(&tx, new)?
            && other.id != site.id
        {
            return Err(InventoryError::SiteNameTaken {
                name: site.name,
                other: other.name,
            });
        }
        tx.execute(
            "UPDATE sites SET name = ?1, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
             WHERE id = ?2",
            params![new, site.id],
        )?;
        audit::record(&tx, "site.rename", &site.name, &format!("name={new}"))?;
        tx.commit()?;
        self.site_by_id(site.id)
    }

    fn site_by_id(&self, id: i64) -> Result<Site, InventoryError> {
        Ok(self
            .conn
            .prepare_cached(&format!("{SITE_SELECT} WHERE s.id = ?1"))?
            .query_row([id], site_from_row)?)
    }
}
