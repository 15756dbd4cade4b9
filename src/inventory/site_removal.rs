//! Deleting a site, and what it takes from its devices. The devices stay in the inventory but
//! lose the site, and with it every value they inherit from it: their provider, provisioning
//! URL or credentials change. Both faces warn with the same facts ([`SiteRemoval`]), read
//! before the delete, and the delete itself reads them again inside its transaction.

use rusqlite::{Connection, params};

use super::sites::{audit_values, site_named};
use super::{Inventory, InventoryError, Site, audit};
use crate::device::mask_url_password;
use crate::printable::printable;
use crate::secret::MASK;
use crate::words;

/// What a delete does with devices still in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteDevices {
    /// Refuse the delete ([`InventoryError::SiteHasDevices`]): the default of `provdesk site
    /// rm`, so that a script cannot change devices' settings by accident.
    Refuse,
    /// Delete the site all the same; its devices stay, without a site.
    Release,
}

/// One of a site's values that some of its devices use because their own is empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InheritedValue {
    /// What it is, in words: "provider", "provisioning URL", "digest password"…
    pub field: &'static str,
    /// The value as it may be shown anywhere: a password masked, a URL's password masked,
    /// control characters escaped, a long value cut.
    pub shown: String,
    /// How many of the site's devices use it.
    pub devices: usize,
}

/// What deleting a site does: how many devices lose it, and which of its values they lose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteRemoval {
    /// The site's name as stored.
    pub site: String,
    /// How many devices are in the site.
    pub devices: usize,
    /// The site's values that at least one of its devices inherits, in the order the site
    /// editor shows them.
    pub inherited: Vec<InheritedValue>,
}

/// Verbs and pronouns of the sentences about the devices (for one device, for several): before
/// the delete, in a refusal of it, after it.
struct Tense {
    lose: (&'static str, &'static str),
    inherit: (&'static str, &'static str),
    stay: (&'static str, &'static str),
    change: &'static str,
}

const BEFORE: Tense = Tense {
    lose: ("loses", "lose"),
    inherit: ("it inherits", "they inherit"),
    stay: ("stays", "stay"),
    change: "changes",
};

const REFUSED: Tense = Tense {
    lose: ("would lose", "would lose"),
    stay: ("would stay", "would stay"),
    change: "would change",
    ..BEFORE
};

const AFTER: Tense = Tense {
    lose: ("lost", "lost"),
    inherit: ("it inherited", "they inherited"),
    stay: ("stays", "stay"),
    change: "changed",
};

impl SiteRemoval {
    /// What deleting the site will do, in one sentence for a confirmation: "3 devices in
    /// Hotel Adler lose the provider acme-voice and the provisioning URL … they inherit from
    /// it, and stay in the inventory without a site."
    pub fn consequence(&self) -> String {
        if self.devices == 0 {
            return format!(
                "No device is in {}, so deleting it changes no device.",
                self.shown_site()
            );
        }
        self.sentence(&BEFORE)
    }

    /// [`Self::consequence`] for the refusal of a delete: "… would lose …".
    pub(super) fn refused(&self) -> String {
        self.sentence(&REFUSED)
    }

    /// What deleting the site did, in the same words as [`Self::consequence`], for the report
    /// after it.
    pub fn outcome(&self) -> String {
        if self.devices == 0 {
            return format!("No device was in {}.", self.shown_site());
        }
        self.sentence(&AFTER)
    }

    /// The site's values its devices lose, with how many of them where not all: "the provider
    /// acme-voice (2 of them) and the digest password ••••••"; `None` when they inherit none.
    pub fn losses(&self) -> Option<String> {
        let named: Vec<String> = self
            .inherited
            .iter()
            .map(|value| {
                let some = if value.devices < self.devices {
                    format!(" ({} of them)", value.devices)
                } else {
                    String::new()
                };
                format!("the {} {}{some}", value.field, value.shown)
            })
            .collect();
        match named.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            [rest @ .., last] => Some(format!("{} and {last}", rest.join(", "))),
        }
    }

    fn shown_site(&self) -> String {
        printable(&self.site, 120)
    }

    fn sentence(&self, tense: &Tense) -> String {
        let n = self.devices;
        let pick = |forms: (&'static str, &'static str)| words::agree(n, forms.0, forms.1);
        let devices = words::count(n, "device");
        let site = self.shown_site();
        let stay = pick(tense.stay);
        match self.losses() {
            Some(losses) => format!(
                "{devices} in {site} {} {losses} {} from it, and {stay} in the inventory without a site.",
                pick(tense.lose),
                pick(tense.inherit),
            ),
            None => format!(
                "{devices} in {site} {stay} in the inventory without a site; {} none of its values, so nothing else {} for {}.",
                pick(tense.inherit),
                tense.change,
                pick(("it", "them")),
            ),
        }
    }
}

/// The site `name` and the facts about deleting it, as `conn` sees them.
fn removal(conn: &Connection, name: &str) -> Result<(Site, SiteRemoval), InventoryError> {
    let site = site_named(conn, name)?;
    // How many devices use each value: the device fields left empty, then the devices with a
    // SIP account that leaves the registrar, port or transport to the site.
    let counts: [i64; 7] = conn
        .prepare_cached(
            "SELECT
               (SELECT count(*) FROM devices WHERE site_id = ?1 AND provider IS NULL),
               (SELECT count(*) FROM devices WHERE site_id = ?1 AND url IS NULL),
               (SELECT count(*) FROM devices WHERE site_id = ?1 AND digest_username IS NULL),
               (SELECT count(*) FROM devices WHERE site_id = ?1 AND digest_password IS NULL),
               (SELECT count(DISTINCT a.device_id) FROM sip_accounts a
                  JOIN devices d ON d.id = a.device_id WHERE d.site_id = ?1 AND a.registrar IS NULL),
               (SELECT count(DISTINCT a.device_id) FROM sip_accounts a
                  JOIN devices d ON d.id = a.device_id WHERE d.site_id = ?1 AND a.port IS NULL),
               (SELECT count(DISTINCT a.device_id) FROM sip_accounts a
                  JOIN devices d ON d.id = a.device_id WHERE d.site_id = ?1 AND a.transport IS NULL)",
        )?
        .query_row([site.id], |row| {
            Ok([
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
            ])
        })?;
    let text = |value: Option<&str>, max: usize| {
        value.filter(|v| !v.is_empty()).map(|v| printable(v, max))
    };
    let values = [
        ("provider", text(site.provider.as_deref(), 80)),
        (
            "provisioning URL",
            text(
                site.url_pattern
                    .as_deref()
                    .map(mask_url_password)
                    .as_deref(),
                160,
            ),
        ),
        (
            "digest user name",
            text(site.digest_username.as_deref(), 80),
        ),
        (
            "digest password",
            site.digest_password
                .as_ref()
                .filter(|p| !p.is_empty())
                .map(|_| MASK.to_string()),
        ),
        ("SIP registrar", text(site.sip_registrar.as_deref(), 80)),
        ("SIP port", site.sip_port.map(|p| p.to_string())),
        (
            "SIP transport",
            site.sip_transport.map(|t| t.as_str().to_string()),
        ),
    ];
    let inherited = values
        .into_iter()
        .zip(counts)
        .filter_map(|((field, shown), devices)| {
            Some(InheritedValue {
                field,
                shown: shown?,
                devices: devices as usize,
            })
            .filter(|value| value.devices > 0)
        })
        .collect();
    let facts = SiteRemoval {
        devices: site.device_count,
        site: site.name.clone(),
        inherited,
    };
    Ok((site, facts))
}

impl Inventory {
    /// What deleting the site `name` would do to its devices, for a warning before it.
    pub fn site_removal(&self, name: &str) -> Result<SiteRemoval, InventoryError> {
        Ok(removal(&self.conn, name)?.1)
    }

    /// Deletes the site `name`; with [`SiteDevices::Release`] its devices stay, without a site,
    /// and lose what they inherited from it. In one transaction with an audit entry for the
    /// site (its values, the password only as set) and one per device that lost it. Returns
    /// what it did, read inside the transaction, so the report matches the change even when
    /// devices moved since a warning was shown.
    pub fn delete_site(
        &mut self,
        name: &str,
        devices: SiteDevices,
    ) -> Result<SiteRemoval, InventoryError> {
        let tx = self.write()?;
        let (site, facts) = removal(&tx, name)?;
        if facts.devices > 0 && devices == SiteDevices::Refuse {
            return Err(InventoryError::SiteHasDevices {
                removal: Box::new(facts),
            });
        }
        let id = site.id;
        let macs: Vec<String> = tx
            .prepare("SELECT mac FROM devices WHERE site_id = ?1 ORDER BY mac")?
            .query_map([id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        tx.execute(
            "UPDATE devices SET site_id = NULL,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
             WHERE site_id = ?1",
            [id],
        )?;
        let detail = format!("site= (site {} deleted)", facts.site);
        for mac in &macs {
            audit::record(&tx, "device.site", mac, &detail)?;
        }
        tx.execute("DELETE FROM sites WHERE id = ?1", params![id])?;
        let detail = format!(
            "{} devices={}",
            audit_values(&site.to_draft()),
            facts.devices
        );
        audit::record(&tx, "site.delete", &facts.site, &detail)?;
        tx.commit()?;
        Ok(facts)
    }
}
