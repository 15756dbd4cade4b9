//! Versioned schema migrations, applied in order inside one immediate transaction, after a
//! copy of the file as it was.
//!
//! `PRAGMA user_version` holds the number of migrations applied. A migration is never edited
//! once released: a change is a new entry at the end.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, TransactionBehavior};

use super::InventoryError;

pub(super) const MIGRATIONS: &[&str] = &[
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
    // 3: what `provdesk serve` saw of each device (when it last asked, its firmware, the verdict,
    // which credentials it used) and the credential rollout: a device's old configured
    // credentials, still accepted from when the rollout started until it is enforced.
    r#"
    ALTER TABLE devices ADD COLUMN seen_at TEXT;
    ALTER TABLE devices ADD COLUMN seen_firmware TEXT;
    ALTER TABLE devices ADD COLUMN seen_verdict TEXT;
    ALTER TABLE devices ADD COLUMN seen_credential TEXT;
    ALTER TABLE devices ADD COLUMN rollout_started_at TEXT;
    ALTER TABLE devices ADD COLUMN rollout_old_username TEXT;
    ALTER TABLE devices ADD COLUMN rollout_old_password TEXT;
    "#,
    // 4: SIP accounts per device (issue 14): the accounts, the sites' SIP defaults and each
    // device's last SIP registration test. Self-contained: names its columns, assumes no order.
    r#"
    CREATE TABLE sip_accounts (
        id             INTEGER PRIMARY KEY,
        device_id      INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        idx            INTEGER NOT NULL CHECK (idx BETWEEN 1 AND 255),
        registrar      TEXT,
        port           INTEGER CHECK (port IS NULL OR port BETWEEN 1 AND 65535),
        transport      TEXT CHECK (transport IS NULL OR transport IN ('udp', 'tcp', 'tls')),
        user           TEXT NOT NULL,
        auth_user      TEXT,
        password       TEXT,
        display_name   TEXT,
        outbound_proxy TEXT,
        UNIQUE (device_id, idx)
    );
    ALTER TABLE sites ADD COLUMN sip_registrar TEXT;
    ALTER TABLE sites ADD COLUMN sip_port INTEGER CHECK (sip_port IS NULL OR sip_port BETWEEN 1 AND 65535);
    ALTER TABLE sites ADD COLUMN sip_transport TEXT CHECK (sip_transport IS NULL OR sip_transport IN ('udp', 'tcp', 'tls'));
    ALTER TABLE devices ADD COLUMN sip_test_status TEXT;
    ALTER TABLE devices ADD COLUMN sip_test_at TEXT;
    ALTER TABLE devices ADD COLUMN sip_test_diagnosis TEXT;
    "#,
    // 5: the credentials configured by a rollout started again before it was enforced, which
    // phones may hold as well as the old ones: a JSON array of [user, password] pairs.
    r#"
    ALTER TABLE devices ADD COLUMN rollout_interim TEXT;
    "#,
    // 6: a site's credentials from before a site-wide rollout, so that cancelling it gives the
    // site its old ones back even when none of its devices held them whole.
    r#"
    ALTER TABLE sites ADD COLUMN rollout_started_at TEXT;
    ALTER TABLE sites ADD COLUMN rollout_old_username TEXT;
    ALTER TABLE sites ADD COLUMN rollout_old_password TEXT;
    "#,
    // 7: when a cancel turned a device's rollout round, back to its old credentials: the
    // faces say which way a rollout goes, since the counts mean the other way round then.
    r#"
    ALTER TABLE devices ADD COLUMN rollout_cancelled_at TEXT;
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

fn user_version(conn: &Connection) -> Result<u32, InventoryError> {
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

/// Brings the schema up to [`SCHEMA_VERSION`]. Refuses a database from a newer provdesk rather
/// than guessing at a schema it does not know.
///
/// All pending migrations run in one immediate transaction, and the version is read again
/// inside it: of several processes opening a new file at once, one migrates and the others
/// wait for it (busy timeout), then find nothing left to do. A file that already holds a
/// schema is first copied through SQLite's backup API to `<file>.before-schema-N` (N the
/// version being migrated to); returns that copy's path.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<Option<PathBuf>, InventoryError> {
    let before = user_version(conn)?;
    if before == SCHEMA_VERSION {
        return Ok(None);
    }
    // The copy is taken outside the write transaction: SQLite's backup cannot read through a
    // connection that holds one. Another process migrating meanwhile leaves it a copy of the
    // file before the migration all the same.
    let backup = if before > 0 && before < SCHEMA_VERSION {
        Some(backup_copy(conn, path, SCHEMA_VERSION)?)
    } else {
        None
    };
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current = user_version(&tx)?;
    if current > SCHEMA_VERSION {
        return Err(InventoryError::NewerSchema {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    if current == SCHEMA_VERSION {
        return Ok(backup);
    }
    let failed = |source: rusqlite::Error| match &backup {
        Some(copy) => InventoryError::Migration {
            to: SCHEMA_VERSION,
            copy: copy.clone(),
            source,
        },
        None => InventoryError::Sqlite(source),
    };
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(sql).map_err(failed)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)
            .map_err(failed)?;
    }
    tx.commit().map_err(failed)?;
    if let Some(copy) = &backup {
        tracing::info!(
            "inventory schema {current} → {SCHEMA_VERSION}; the file as it was is kept at {}",
            copy.display()
        );
    }
    Ok(backup)
}

/// Where the copy taken before migrating `path` to schema `to` goes.
pub fn backup_path(path: &Path, to: u32) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".before-schema-{to}"));
    PathBuf::from(name)
}

/// Copies the database (as `conn` sees it) through SQLite's backup API into a new user-only
/// file, then renames it to [`backup_path`], so a copy is either whole or absent.
fn backup_copy(conn: &Connection, path: &Path, to: u32) -> Result<PathBuf, InventoryError> {
    let target = backup_path(path, to);
    let mut partial = target.as_os_str().to_owned();
    partial.push(format!(".partial-{}", std::process::id()));
    let partial = PathBuf::from(partial);
    let io_error = |source| InventoryError::Io {
        path: partial.clone(),
        source,
    };
    let _ = std::fs::remove_file(&partial);
    crate::private_file::create_private_file(&partial).map_err(io_error)?;
    {
        let mut copy = Connection::open(&partial)?;
        Backup::new(conn, &mut copy)?.run_to_completion(256, Duration::ZERO, None)?;
    }
    std::fs::rename(&partial, &target).map_err(|source| InventoryError::Io {
        path: target.clone(),
        source,
    })?;
    Ok(target)
}
