//! The audit log: one row per change, written in the same transaction as the change.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Inventory, InventoryError};

/// One audit entry. `detail` never holds a secret: password fields are logged as "set" or
/// "changed", never by value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub at: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

pub(super) fn record(
    conn: &Connection,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), InventoryError> {
    conn.prepare_cached("INSERT INTO audit_log (action, subject, detail) VALUES (?1, ?2, ?3)")?
        .execute(params![action, subject, detail])?;
    Ok(())
}

impl Inventory {
    /// The newest `limit` audit entries, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, InventoryError> {
        let mut stmt = self.conn.prepare(
            "SELECT at, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |row| {
            Ok(AuditEntry {
                at: row.get(0)?,
                action: row.get(1)?,
                subject: row.get(2)?,
                detail: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
