//! Whether the file's tables have the columns this build's queries read.
//!
//! `PRAGMA user_version` and `quick_check` both pass on a file whose schema was changed by
//! hand, or one that is some other program's database with the right version number: every
//! query then failed with "no such column" and a page of SQL, and an import reported success
//! on it. The columns expected are those the migrations make in an empty database, so this
//! cannot drift from them.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use rusqlite::Connection;

use super::migrations::MIGRATIONS;

/// Each table with its column names.
type Tables = BTreeMap<String, Vec<String>>;

/// The tables and columns the migrations make, worked out once per process in memory.
static EXPECTED: LazyLock<Result<Tables, String>> = LazyLock::new(|| {
    let built = Connection::open_in_memory().and_then(|conn| {
        for sql in MIGRATIONS {
            conn.execute_batch(sql)?;
        }
        tables(&conn)
    });
    built.map_err(|error| error.to_string())
});

/// The first table or column the file lacks, in words, or `Ok` when it has them all. Columns
/// or tables beyond these are no problem.
pub(super) fn missing(conn: &Connection) -> Result<Option<String>, rusqlite::Error> {
    let Ok(expected) = &*EXPECTED else {
        // The migrations themselves failed in memory, which their tests rule out; the
        // migration of the file has already said what SQLite thought of them.
        return Ok(None);
    };
    let found = tables(conn)?;
    for (table, columns) in expected {
        let Some(has) = found.get(table) else {
            return Ok(Some(format!("the table {table} is missing")));
        };
        if let Some(column) = columns.iter().find(|column| !has.contains(column)) {
            return Ok(Some(format!("the column {table}.{column} is missing")));
        }
    }
    Ok(None)
}

fn tables(conn: &Connection) -> Result<Tables, rusqlite::Error> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut tables = Tables::new();
    for name in names {
        let columns = conn
            .prepare("SELECT name FROM pragma_table_info(?1)")?
            .query_map([&name], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        tables.insert(name, columns);
    }
    Ok(tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_migrated_database_lacks_nothing_and_a_renamed_column_is_named() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        assert_eq!(missing(&conn).unwrap(), None);
        conn.execute_batch("ALTER TABLE devices RENAME COLUMN notes TO notez")
            .unwrap();
        assert_eq!(
            missing(&conn).unwrap().as_deref(),
            Some("the column devices.notes is missing")
        );
        conn.execute_batch("DROP TABLE audit_log").unwrap();
        assert_eq!(
            missing(&conn).unwrap().as_deref(),
            Some("the table audit_log is missing")
        );
    }
}
