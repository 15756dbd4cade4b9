//! Moving devices to another site changes the digest credentials of those that take theirs
//! from the site: the same two checks as a site's own credential change. The new site's
//! credentials must fit each moved device's model (else its file cannot be rendered), and a
//! phone holding its old site's credentials is refused from its next fetch, since a phone
//! learns new ones only from a file fetched with the ones it holds ([`super::Site::credential_change`]).

use rusqlite::{Connection, OptionalExtension};

use super::fit::{Inherits, check_fit};
use super::query::{DEVICE_SELECT, device_from_row};
use super::{Inventory, InventoryError};
use crate::device::Device;
use crate::secret::Secret;

/// A site's digest user name and password, as stored.
type SiteCredentials = (Option<String>, Option<Secret>);

fn site_credentials(
    conn: &Connection,
    site: Option<&str>,
) -> Result<SiteCredentials, InventoryError> {
    let Some(name) = site.map(str::trim) else {
        return Ok((None, None));
    };
    let found = conn
        .prepare_cached("SELECT digest_username, digest_password FROM sites WHERE name = ?1")?
        .query_row([name], |row| {
            Ok((
                row.get(0)?,
                row.get::<_, Option<String>>(1)?.map(Secret::new),
            ))
        })
        .optional()?;
    Ok(found.unwrap_or_default())
}

/// The devices with these ids that `site` would change: those in another site (or none).
fn moved(
    conn: &Connection,
    ids: &[i64],
    site: Option<&str>,
) -> Result<Vec<Device>, InventoryError> {
    let mut statement = conn.prepare_cached(&format!("{DEVICE_SELECT} WHERE d.id = ?1"))?;
    let mut devices = Vec::with_capacity(ids.len());
    for &id in ids {
        let device = statement
            .query_row([id], device_from_row)
            .optional()?
            .ok_or(InventoryError::DeviceIdNotFound(id))?;
        let target = site.map(str::trim);
        if device.site.as_deref() != target {
            devices.push(device);
        }
    }
    Ok(devices)
}

/// Refuses the move, naming device, model and limit, when the site's credentials are too
/// long for a model among the devices that would take them.
pub(super) fn check_move_fit(
    conn: &Connection,
    ids: &[i64],
    site: Option<&str>,
) -> Result<(), InventoryError> {
    let (user, password) = site_credentials(conn, site)?;
    let devices = moved(conn, ids, site)?;
    let heirs: Vec<&Device> = devices.iter().collect();
    check_fit(
        &heirs,
        Inherits::FromSite,
        user.as_deref(),
        password.as_ref(),
    )
    .map_err(|error| match error {
        InventoryError::CredentialsTooLong { problems } => InventoryError::MoveCredentialsTooLong {
            site: site.unwrap_or_default().trim().to_string(),
            problems,
        },
        other => other,
    })
}

/// Whether moving `device` to a site with `credentials` gives its phone other credentials
/// than the whole pair it may hold now: the credential change's rule, per device.
fn locks_out(device: &Device, (user, password): &SiteCredentials) -> bool {
    let (Some(before_user), Some(before_password)) = (
        device.effective_digest_username(),
        device.effective_digest_password(),
    ) else {
        return false;
    };
    let after_user = device.digest_username.as_deref().or(user.as_deref());
    let after_password = device.digest_password.as_ref().or(password.as_ref());
    after_user != Some(before_user)
        || after_password.map(Secret::expose) != Some(before_password.expose())
}

impl Inventory {
    /// The MACs of the devices with these ids whose phones moving them to `site` (or out of
    /// theirs) would lock out: they take other credentials from it than those they hold. A
    /// face asks before [`Self::set_site`], as Settings asks before a site's change; a move
    /// that `set_site` refuses (credentials too long for a model) is refused here already.
    pub fn site_move_lockouts(
        &self,
        ids: &[i64],
        site: Option<&str>,
    ) -> Result<Vec<String>, InventoryError> {
        check_move_fit(&self.conn, ids, site)?;
        let credentials = site_credentials(&self.conn, site)?;
        Ok(moved(&self.conn, ids, site)?
            .iter()
            .filter(|device| locks_out(device, &credentials))
            .map(|device| device.mac.macd())
            .collect())
    }
}

/// The warning of a move that locks out the phones of `macs`, the same words in both faces:
/// which devices, where to, and why their phones are refused.
pub fn move_lockout_warning(macs: &[String], site: Option<&str>) -> String {
    let count = macs.len();
    format!(
        "{} ({}) would take other digest credentials from {}: {} the credentials of {} present site and {} refused from {} next fetch, since a phone learns new ones only from a file fetched with those it holds",
        crate::words::count(count, "device"),
        crate::words::some_of(macs.iter().take(5).cloned(), count),
        site.map_or("no site".to_string(), |site| format!(
            "site {}",
            site.trim()
        )),
        crate::words::agree(count, "its phone holds", "their phones hold"),
        crate::words::agree(count, "its", "their"),
        crate::words::agree(count, "is", "are"),
        crate::words::agree(count, "its", "their"),
    )
}
