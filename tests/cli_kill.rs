//! The CLI killed with SIGKILL in the middle of its work leaves an inventory that opens, passes
//! SQLite's integrity check, holds an import batch whole or not at all, and keeps every MAC
//! password a sync received. The moment to kill is chosen by watching the process's progress
//! (the inventory's write-ahead log growing, the sync's progress lines), not by a fixed sleep.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use provdesk::inventory::{Inventory, recovery_files};
use provdesk::secret::Secret;
use provdesk::sim::redirect::{RedirectSim, RedirectSimConfig};

const PASSWORD: &str = "s3cret-provisioner";
const ROWS: u32 = 100_000;

fn provdesk(db: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_provdesk"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PROVDESK_DB")
        .env("REDIRECT_PASSWORD", PASSWORD)
        .env("PROVDESK_NO_KEYRING", "1")
        .stdout(Stdio::null());
    command
}

/// SIGKILL: no destructor, no handler, no flush; what is on disk is what SQLite wrote.
fn kill(child: &mut Child) {
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());
}

/// SQLite's full integrity check, from a plain connection.
fn integrity(db: &Path) -> String {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap()
}

fn device_count(db: &Path) -> usize {
    Inventory::open(db).unwrap().device_count().unwrap()
}

#[test]
fn an_import_killed_half_way_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let csv = dir.path().join("labels.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
    writeln!(out, "mac,mac_id,model,site").unwrap();
    for n in 0..ROWS {
        let mac = format!("7C2F80{n:06X}");
        writeln!(
            out,
            "{mac},{mac}-{:04X},N510 IP PRO,site {}",
            n % 0x1_0000,
            n % 50
        )
        .unwrap();
    }
    drop(out);
    // One device before, so the file and its log exist and the batch is the only change.
    let added = provdesk(&db, &["device", "add", "--mac", "0001E3000001"])
        .status()
        .unwrap();
    assert!(added.success());
    let wal = dir.path().join("inventory.sqlite3-wal");
    let mut child = provdesk(&db, &["import", csv.to_str().unwrap()])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The transaction's pages spill into the log as it grows: kill once it has grown well
    // past what the single device needed, while the import is still running.
    let start = std::fs::metadata(&wal).map_or(0, |m| m.len());
    let mut killed_running = false;
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if std::fs::metadata(&wal).map_or(0, |m| m.len()) > start + 2_000_000 {
            kill(&mut child);
            killed_running = true;
            break;
        }
        std::thread::yield_now();
    }
    assert!(
        killed_running,
        "the import ended before the log grew; nothing was tested"
    );
    assert_eq!(integrity(&db), "ok");
    let count = device_count(&db);
    assert!(
        count == 1 || count == ROWS as usize + 1,
        "{count} devices: a part of the batch was written"
    );
}

#[test]
fn a_sync_killed_half_way_loses_no_mac_password_it_received() {
    const DEVICES: u32 = 300;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let csv = dir.path().join("labels.csv");
    let mut out = std::fs::File::create(&csv).unwrap();
    writeln!(out, "mac,mac_id,provider,url").unwrap();
    for n in 0..DEVICES {
        let mac = format!("7C2F80{n:06X}");
        writeln!(out, "{mac},{mac}-{n:04X},Daryna,http://p.example/%MACD.xml").unwrap();
    }
    drop(out);
    assert!(
        provdesk(&db, &["import", csv.to_str().unwrap()])
            .status()
            .unwrap()
            .success()
    );
    let mut config = RedirectSimConfig::new("installer", Secret::new(PASSWORD));
    config.latency = Duration::from_millis(20);
    let sim = RedirectSim::start_blocking("127.0.0.1:0".parse().unwrap(), config).unwrap();
    let url = sim.url();
    let mut child = provdesk(
        &db,
        &[
            "sync",
            "--server",
            &url,
            "--user",
            "installer",
            "--password-env",
            "REDIRECT_PASSWORD",
            "--batch-size",
            "10",
            "--concurrency",
            "2",
        ],
    )
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // Kill once a batch was recorded: the first progress line ("provdesk: Syncing… 10/300")
    // comes as the first batch is recorded, the next ones at most once a second.
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.contains("Syncing… ") && !line.contains(" 0/");
        seen.push(line);
        if done {
            break;
        }
    }
    kill(&mut child);
    assert!(
        seen.iter().any(|l| l.contains("Syncing… ")),
        "the sync showed no progress: {seen:?}"
    );
    assert_eq!(integrity(&db), "ok");
    let inventory = Inventory::open(&db).unwrap();
    let mut kept: BTreeMap<String, String> = inventory
        .all_devices()
        .unwrap()
        .into_iter()
        .filter_map(|d| Some((d.mac.macd(), d.mac_password?.expose().to_string())))
        .collect();
    for file in recovery_files(&db) {
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        for answer in json["answers"].as_array().unwrap() {
            kept.insert(
                answer["mac"].as_str().unwrap().into(),
                answer["mac_password"].as_str().unwrap().into(),
            );
        }
    }
    let registered: BTreeMap<String, String> = sim
        .registrations()
        .into_iter()
        .map(|r| (r.mac, r.mac_password))
        .collect();
    assert!(registered.len() < DEVICES as usize, "killed half-way");
    // Every password the CLI recorded is the one the server issued.
    for (mac, password) in &kept {
        assert_eq!(registered.get(mac), Some(password), "{mac}");
    }
    // The server may have registered the batches in flight at the kill, whose answers the CLI
    // never read (at most `concurrency` batches of 10); every other registration was received
    // and must be kept.
    let unkept = registered.keys().filter(|m| !kept.contains_key(*m)).count();
    assert!(
        unkept <= 2 * 10,
        "{unkept} registrations without their MAC password"
    );
}
