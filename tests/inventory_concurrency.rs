//! Several writers on one inventory file, as two windows and a script would be: every write
//! waits for the others (busy timeout, immediate transactions) instead of failing, and a new
//! file opened by several processes at once is migrated once.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use provdesk::device::{Mac, NewDevice};
use provdesk::inventory::{Inventory, SCHEMA_VERSION};

fn provdesk(db: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_provdesk"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PROVDESK_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

fn finish(child: Child) -> Result<(), String> {
    let out = child.wait_with_output().expect("the binary runs");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn a_new_file_opened_by_several_processes_at_once_is_migrated_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for round in 0..8 {
        let db = dir.path().join(format!("new-{round}.sqlite3"));
        let children: Vec<Child> = (0..4)
            .map(|_| provdesk(&db, &["devices", "--json"]).spawn().unwrap())
            .collect();
        failures.extend(children.into_iter().filter_map(|c| finish(c).err()));
    }
    assert!(failures.is_empty(), "failed opens: {failures:#?}");
}

fn device(n: u32, site: &str) -> NewDevice {
    let mut device = NewDevice::with_mac(Mac::parse(&format!("7C2F80{n:06X}")).unwrap());
    device.site = Some(site.to_string());
    device
}

/// One window's writes: devices with a site (a read, then writes, in one transaction).
fn window_writes(db: &Path, first: u32, count: u32) -> Vec<String> {
    let mut inventory = Inventory::open(db).unwrap();
    (first..first + count)
        .filter_map(|n| {
            let site = format!("site {}", n % 7);
            inventory
                .add_device(&device(n, &site))
                .err()
                .map(|e| e.to_string())
        })
        .collect()
}

#[test]
fn two_windows_and_a_cli_write_one_file_without_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    drop(Inventory::open(&db).unwrap());
    let windows: Vec<_> = [0x1000, 0x2000]
        .into_iter()
        .map(|first| {
            let db = db.clone();
            std::thread::spawn(move || window_writes(&db, first, 150))
        })
        .collect();
    let mut failures = Vec::new();
    for n in 0..15u32 {
        let mac = format!("7C2F8030{n:04X}");
        let site = format!("site {}", n % 7);
        let child = provdesk(&db, &["device", "add", "--mac", &mac, "--site", &site])
            .spawn()
            .unwrap();
        failures.extend(finish(child).err());
    }
    for window in windows {
        failures.extend(window.join().unwrap());
    }
    assert!(failures.is_empty(), "failed writes: {failures:#?}");
    let inventory = Inventory::open(&db).unwrap();
    assert_eq!(inventory.device_count().unwrap(), 315);
}

/// Opens the file with plain SQLite, as another program (or an older provdesk) would.
fn raw(db: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).unwrap()
}

#[test]
fn a_migration_first_keeps_a_copy_of_the_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut inventory = Inventory::open(&db).unwrap();
    inventory.add_device(&device(1, "Berlin")).unwrap();
    drop(inventory);
    // Back to schema 2, as a file written before the serve columns (3), SIP accounts (4) and
    // a rollout's interim credentials (5).
    raw(&db)
        .execute_batch(
            "DROP TABLE sip_accounts;
             ALTER TABLE sites DROP COLUMN sip_registrar;
             ALTER TABLE sites DROP COLUMN sip_port;
             ALTER TABLE sites DROP COLUMN sip_transport;
             ALTER TABLE devices DROP COLUMN sip_test_status;
             ALTER TABLE devices DROP COLUMN sip_test_at;
             ALTER TABLE devices DROP COLUMN sip_test_diagnosis;
             ALTER TABLE devices DROP COLUMN seen_at;
             ALTER TABLE devices DROP COLUMN seen_firmware;
             ALTER TABLE devices DROP COLUMN seen_verdict;
             ALTER TABLE devices DROP COLUMN seen_credential;
             ALTER TABLE devices DROP COLUMN rollout_started_at;
             ALTER TABLE devices DROP COLUMN rollout_old_username;
             ALTER TABLE devices DROP COLUMN rollout_old_password;
             ALTER TABLE devices DROP COLUMN rollout_interim;
             ALTER TABLE devices DROP COLUMN rollout_cancelled_at;
             ALTER TABLE sites DROP COLUMN rollout_started_at;
             ALTER TABLE sites DROP COLUMN rollout_old_username;
             ALTER TABLE sites DROP COLUMN rollout_old_password;
             PRAGMA user_version = 2;",
        )
        .unwrap();
    let inventory = Inventory::open(&db).unwrap();
    assert_eq!(inventory.schema_version().unwrap(), SCHEMA_VERSION);
    let device = inventory
        .device_by_mac(device(1, "Berlin").mac)
        .unwrap()
        .expect("the device survives the migrations");
    assert_eq!(device.seen.at, None);
    assert!(!device.rollout.is_on());
    let copy = dir
        .path()
        .join(format!("inventory.sqlite3.before-schema-{SCHEMA_VERSION}"));
    assert_eq!(inventory.migration_backup(), Some(copy.as_path()));
    let old = raw(&copy);
    let version: u32 = old
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let devices: u32 = old
        .query_row("SELECT count(*) FROM devices", [], |r| r.get(0))
        .unwrap();
    assert_eq!((version, devices), (2, 1));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Opening again migrates nothing and copies nothing.
    drop(inventory);
    assert_eq!(Inventory::open(&db).unwrap().migration_backup(), None);
}

#[test]
fn a_damaged_file_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut inventory = Inventory::open(&db).unwrap();
    let devices: Vec<NewDevice> = (0..3000).map(|n| device(n, "Berlin")).collect();
    inventory.add_devices(&devices).unwrap();
    drop(inventory);
    // Overwrite pages in the middle of the file (not the header on page 1) with garbage.
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 40 * 4096, "the file is {} bytes", bytes.len());
    for (i, byte) in bytes[20 * 4096..24 * 4096].iter_mut().enumerate() {
        *byte = (i * 31 % 251) as u8;
    }
    std::fs::write(&db, &bytes).unwrap();
    let error = match Inventory::open(&db) {
        Ok(_) => panic!("a damaged inventory was opened for writing"),
        Err(error) => error.to_string(),
    };
    assert!(error.contains("damaged"), "{error}");
    assert!(error.contains(&db.display().to_string()), "{error}");
    assert!(error.contains("restore"), "{error}");
}

/// Whether this process holds a POSIX lock on the file at `path`, as `/proc/locks` lists them.
#[cfg(target_os = "linux")]
fn locked_by_this_process(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    let inode = std::fs::metadata(path).unwrap().ino();
    let pid = std::process::id().to_string();
    std::fs::read_to_string("/proc/locks")
        .unwrap()
        .lines()
        .any(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields.get(1) == Some(&"POSIX")
                && fields.get(4) == Some(&pid.as_str())
                && fields
                    .get(5)
                    .is_some_and(|file| file.ends_with(&format!(":{inode}")))
        })
}

/// The window opens the inventory more than once (its worker, Serve, the watch for changes
/// made elsewhere). Opening it again used to read its first bytes with a plain open and close,
/// which drops every POSIX lock the process holds on the file, SQLite's included: the next
/// `sqlite3` shell or script to close the file then took itself for the last user and deleted
/// the write-ahead log under the window, whose later writes were lost.
#[cfg(target_os = "linux")]
#[test]
fn a_second_open_keeps_the_locks_of_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut window = Inventory::open(&db).unwrap();
    window.add_device(&device(1, "Hotel")).unwrap();
    assert!(locked_by_this_process(&db), "SQLite holds its lock");
    let second = Inventory::open(&db).unwrap();
    assert!(locked_by_this_process(&db), "still, after a second open");
    drop(second);
    let _ = provdesk::ops::labels::read_label_file(&db);
    assert!(
        locked_by_this_process(&db),
        "still, after the inventory was taken for labels"
    );
}

/// A label "import" of the inventory itself is refused before the file is opened outside
/// SQLite, for the same reason.
#[test]
fn the_open_inventory_is_not_read_as_a_label_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let _window = Inventory::open(&db).unwrap();
    let error = provdesk::ops::labels::read_label_file(&db).unwrap_err();
    assert!(
        error
            .reason
            .contains("it is the inventory provdesk has open"),
        "{error}"
    );
}

/// A HAR, JSON report or SIP trace saved onto the open inventory (a slip in a save dialog, or
/// `--har` given the `--db` path) is refused with the file named, before anything is written:
/// it used to replace every device, site and password with the HAR.
#[test]
fn a_save_onto_the_open_inventory_is_refused_and_the_inventory_stays() {
    use provdesk::fetch::{ExportOptions, Transcript};
    use provdesk::ops::fetch::{FetchFile, check_target, save};
    use provdesk::ops::sip::{check_trace_target, save_trace};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut window = Inventory::open(&db).unwrap();
    window.add_device(&device(1, "Hotel")).unwrap();
    let wal = dir.path().join("inventory.sqlite3-wal");
    let transcript = Transcript::default();
    for target in [&db, &wal] {
        for file in [FetchFile::Har, FetchFile::Json] {
            let error = save(&transcript, file, ExportOptions::default(), target).unwrap_err();
            assert!(
                error.starts_with(&format!("cannot write {}: ", target.display())),
                "{error}"
            );
            assert!(
                error.contains("the inventory provdesk has open")
                    && error.ends_with("choose another file name"),
                "{error}"
            );
            assert!(
                check_target(target, file).is_err(),
                "asked before the fetch"
            );
        }
        let trace = save_trace(&Default::default(), target).unwrap_err();
        assert!(trace.contains("the inventory provdesk has open"), "{trace}");
        assert!(check_trace_target(target).is_err(), "asked before the test");
    }
    assert_eq!(window.device_count().unwrap(), 1);
    drop(window);
    assert_eq!(Inventory::open(&db).unwrap().device_count().unwrap(), 1);
}
