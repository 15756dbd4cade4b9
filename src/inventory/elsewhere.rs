//! Noticing what other connections committed: the CLI or a script on the same file, another
//! window, this app's own network jobs. The window reloads what it shows when so, since it
//! reloads only after its own changes otherwise.
//!
//! Serve records every phone it sees through a connection of its own, so while phones fetch
//! another connection commits every few seconds. Those commits change no device, site,
//! template or rollout, and every change of those writes an audit entry: whether the audit
//! log grew tells the two apart, so that a view which costs a render of every device (Serve's
//! check of the files it serves) asks again only for a change that can alter its answer.

use rusqlite::Connection;

use super::{Inventory, InventoryError};

/// What other connections committed since [`Inventory::changed_elsewhere`] last asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedElsewhere {
    Nothing,
    /// Only what the audit log does not record: the phones Serve saw and what they fetched.
    Unaudited,
    /// A change the audit log records: devices, sites, templates, rollouts, the redirect state.
    Audited,
}

/// Where the last ask left off.
pub(super) struct Watermark {
    /// SQLite's `PRAGMA data_version`: a counter in shared memory, changed by every commit of
    /// another connection, never by this one's.
    data_version: i64,
    /// The audit log's highest entry.
    audited: i64,
}

impl Watermark {
    pub(super) fn read(conn: &Connection) -> Result<Self, InventoryError> {
        Ok(Self {
            data_version: conn.query_row("PRAGMA data_version", [], |row| row.get(0))?,
            audited: conn.query_row("SELECT coalesce(max(id), 0) FROM audit_log", [], |row| {
                row.get(0)
            })?,
        })
    }
}

impl Inventory {
    /// What another connection committed since the last call (or the open). Cheap enough to
    /// ask every few seconds: a counter read and the audit log's last entry. Changes made
    /// through this connection do not count (whoever made them knows); an own audited change
    /// and another connection's unaudited one between two calls read as audited.
    pub fn changed_elsewhere(&mut self) -> Result<ChangedElsewhere, InventoryError> {
        let now = Watermark::read(&self.conn)?;
        let before = std::mem::replace(&mut self.elsewhere, now);
        Ok(if before.data_version == self.elsewhere.data_version {
            ChangedElsewhere::Nothing
        } else if before.audited == self.elsewhere.audited {
            ChangedElsewhere::Unaudited
        } else {
            ChangedElsewhere::Audited
        })
    }
}
