//! Versioned schema migrations, applied in order inside one transaction each.
//!
//! `PRAGMA user_version` holds the number of migrations applied. A migration is never edited
//! once released: a change is a new entry at the end.

use rusqlite::Connection;

use super::InventoryError;

const MIGRATIONS: &[&str] = &[
    // 1: sites with defaults, devices, audit log.
    r#"
    CREATE TABLE sites (
        id              INTEGER PRIMARY KEY,
        name            TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
        provider        TEXT,
        url_pattern     TEXT,
        digest_username TEXT,
        digest_password TEXT,
        notes           TEXT NOT NULL DEFAULT '',
        created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE devices (
        id                  INTEGER PRIMARY KEY AUTOINCREMENT,
        mac                 TEXT NOT NULL UNIQUE CHECK (length(mac) = 12),
        mac_id              TEXT UNIQUE,
        mac_password        TEXT,
        model               TEXT,
        site_id             INTEGER REFERENCES sites(id) ON DELETE SET NULL,
        provider            TEXT,
        url                 TEXT,
        digest_username     TEXT,
        digest_password     TEXT,
        notes               TEXT NOT NULL DEFAULT '',
        created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        redirect_status     TEXT,
        redirect_provider   TEXT,
        redirect_url        TEXT,
        redirect_date       TEXT,
        redirect_checked_at TEXT,
        redirect_error      TEXT,
        fetch_status        TEXT,
        fetch_at            TEXT,
        fetch_diagnosis     TEXT,
        -- What the search box looks in, lower-cased as SQLite's lower() does (ASCII only).
        -- Indexed so that a search scans this small index instead of the whole table.
        search_text         TEXT GENERATED ALWAYS AS (lower(
            mac || ' ' || coalesce(mac_id, '') || ' ' || coalesce(model, '') || ' ' || notes
        )) VIRTUAL
    );
    CREATE INDEX devices_site ON devices(site_id);
    CREATE INDEX devices_search ON devices(search_text);
    CREATE TABLE audit_log (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        action  TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail  TEXT NOT NULL DEFAULT ''
    );
    "#,
    // 2: the user's template versions. A NULL body is a return to the built-in default, kept
    // as a version so the history shows it.
    r#"
    CREATE TABLE template_versions (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        version    INTEGER NOT NULL CHECK (version > 0),
        body       TEXT,
        note       TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        UNIQUE (name, version)
    );
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the schema up to [`SCHEMA_VERSION`]. Refuses a database from a newer provdesk rather
/// than guessing at a schema it does not know.
pub fn migrate(conn: &mut Connection) -> Result<(), InventoryError> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(InventoryError::NewerSchema {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
