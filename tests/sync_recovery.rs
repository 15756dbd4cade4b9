//! The MAC passwords a sync receives are never lost: with the inventory held by another
//! writer half-way through, the apply stops sending, keeps what it could not record in a
//! user-only recovery file next to the inventory, and the next sync records it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use provdesk::cancel::CancelFlag;
use provdesk::device::{Mac, MacId, NewDevice, ProvisioningUrl};
use provdesk::inventory::{Inventory, InventoryError, recovery_files};
use provdesk::ops::redirect::{DeviceAction, DeviceRequest, device_calls};
use provdesk::ops::sync;
use provdesk::redirect::{Account, ApplyOptions, GigasetClient, PlanOptions};
use provdesk::secret::Secret;
use provdesk::sim::redirect::{RedirectSim, RedirectSimConfig, RunningRedirectSim};

fn device(n: u32) -> NewDevice {
    let mac = Mac::parse(&format!("7C2F80{n:06X}")).unwrap();
    let mut device = NewDevice::with_mac(mac);
    device.mac_id = Some(MacId::parse(&format!("{}-{:04X}", mac.macd(), n)).unwrap());
    device.provider = Some("Daryna".into());
    device.url = Some(ProvisioningUrl::parse("http://p.example/%MACD.xml").unwrap());
    device
}

async fn start(
    devices: u32,
) -> (
    RunningRedirectSim,
    GigasetClient,
    Inventory,
    tempfile::TempDir,
) {
    let config = RedirectSimConfig::new("gigaset", Secret::new("aptest"));
    let sim = RedirectSim::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap();
    let account = Account::new(sim.url(), "gigaset", Secret::new("aptest"));
    let client = GigasetClient::new(&account, Duration::from_secs(10)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut inventory = Inventory::open(&dir.path().join("inventory.sqlite3")).unwrap();
    let new: Vec<NewDevice> = (1..=devices).map(device).collect();
    inventory.add_devices(&new).unwrap();
    inventory
        .set_busy_timeout(Duration::from_millis(100))
        .unwrap();
    (sim, client, inventory, dir)
}

/// Another writer (a second window, a script) holding the write lock until dropped.
fn hold_write_lock(db: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn
}

/// MAC → MAC password, of every device the inventory holds one for.
fn passwords_in(inventory: &Inventory) -> BTreeMap<String, String> {
    inventory
        .all_devices()
        .unwrap()
        .into_iter()
        .filter_map(|d| Some((d.mac.macd(), d.mac_password?.expose().to_string())))
        .collect()
}

/// MAC → MAC password, of every answer kept in recovery files.
fn passwords_in_recovery(files: &[PathBuf]) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for file in files {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", file.display());
        }
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        for answer in json["answers"].as_array().unwrap() {
            found.insert(
                answer["mac"].as_str().unwrap().to_string(),
                answer["mac_password"].as_str().unwrap().to_string(),
            );
        }
    }
    found
}

fn registered_on_server(sim: &RunningRedirectSim) -> BTreeMap<String, String> {
    sim.registrations()
        .into_iter()
        .map(|r| (r.mac, r.mac_password))
        .collect()
}

#[tokio::test]
async fn a_sync_whose_writes_fail_keeps_every_mac_password_for_the_next_sync() {
    let (sim, client, mut inventory, _dir) = start(40).await;
    let db = inventory.path().to_path_buf();
    let plan = sync::plan(&client, &inventory, &PlanOptions::default())
        .await
        .unwrap();
    let options = ApplyOptions {
        batch_size: 5,
        concurrency: 2,
    };
    let mut lock = None;
    let report = sync::apply_and_record(
        &client,
        &mut inventory,
        &plan,
        &options,
        // After the first batch is recorded, another writer takes the file.
        &mut |_, _| {
            lock.get_or_insert_with(|| hold_write_lock(&db));
        },
        &CancelFlag::default(),
    )
    .await
    .unwrap();
    let message = report.record_failure().expect("the writes failed");
    assert!(!report.recovery_files.is_empty());
    for file in &report.recovery_files {
        assert!(message.contains(&file.display().to_string()), "{message}");
    }
    assert!(!message.contains(&registered_on_server(&sim).values().next().unwrap()[..]));
    let on_server = registered_on_server(&sim);
    assert!(on_server.len() < 40, "sending stopped after the failure");
    // Every password the server issued is in the inventory or in a recovery file.
    let mut kept = passwords_in(&inventory);
    kept.extend(passwords_in_recovery(&recovery_files(&db)));
    assert_eq!(kept, on_server);

    drop(lock);
    // The next plan says that answers are waiting, and where.
    // On a blocking thread: this runtime serves the simulator meanwhile.
    let (db_arg, url) = (db.to_str().unwrap().to_string(), sim.url());
    let dry = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_provdesk"))
            .args(["--db", &db_arg, "sync", "--dry-run"])
            .args([
                "--server",
                &url,
                "--user",
                "gigaset",
                "--password-env",
                "SIM_PW",
            ])
            .env("SIM_PW", "aptest")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let said = String::from_utf8_lossy(&dry.stdout);
    for file in recovery_files(&db) {
        assert!(
            said.contains(&file.display().to_string()),
            "{said}{}",
            String::from_utf8_lossy(&dry.stderr)
        );
    }
    assert!(
        said.contains("the next sync records them first"),
        "{said}{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let plan = sync::plan(&client, &inventory, &PlanOptions::default())
        .await
        .unwrap();
    let report = sync::apply_and_record(
        &client,
        &mut inventory,
        &plan,
        &ApplyOptions::default(),
        &mut |_, _| {},
        &CancelFlag::default(),
    )
    .await
    .unwrap();
    assert!(report.record_error.is_none());
    assert!(!report.restored.is_empty());
    assert!(recovery_files(&db).is_empty(), "recorded, so removed");
    assert_eq!(passwords_in(&inventory), registered_on_server(&sim));
    assert_eq!(registered_on_server(&sim).len(), 40);
}

#[tokio::test]
async fn a_register_whose_write_fails_keeps_its_mac_password() {
    let (sim, client, mut inventory, _dir) = start(3).await;
    let db = inventory.path().to_path_buf();
    let requests: Vec<DeviceRequest> = inventory
        .all_devices()
        .unwrap()
        .iter()
        .map(|d| DeviceRequest::for_device(DeviceAction::Register, d))
        .collect();
    let lock = hold_write_lock(&db);
    let error = device_calls(
        &client,
        &mut inventory,
        requests,
        &mut |_| {},
        &CancelFlag::default(),
    )
    .await
    .expect_err("the inventory is held");
    let InventoryError::KeptForRecovery { recovery, .. } = &error else {
        panic!("expected the answers kept for recovery, got {error}");
    };
    assert!(error.to_string().contains(&recovery.display().to_string()));
    let on_server = registered_on_server(&sim);
    assert!(!on_server.is_empty());
    assert_eq!(passwords_in_recovery(&recovery_files(&db)), on_server);

    drop(lock);
    let restored = inventory.restore_recovered().unwrap();
    assert_eq!(restored[0].recorded, on_server.len());
    assert_eq!(passwords_in(&inventory), on_server);
    assert!(recovery_files(&db).is_empty());
}
