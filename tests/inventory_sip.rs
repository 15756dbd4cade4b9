//! SIP accounts in the SQLite store: set as a whole and validated, read stored and effective
//! (site defaults filled in), cascaded on delete, restored on undo, the last SIP test recorded,
//! and the migration that adds them keeping a copy of the file first.

use std::path::PathBuf;

use provdesk::device::{DeviceDraft, Mac, SipAccount, SipField, SipTransport};
use provdesk::inventory::{Inventory, InventoryError, SCHEMA_VERSION, SiteDraft};
use provdesk::secret::Secret;

const MAC: &str = "7C2F80820EC0";

fn open() -> (tempfile::TempDir, PathBuf, Inventory) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inventory.sqlite3");
    let inventory = Inventory::open(&path).unwrap();
    (dir, path, inventory)
}

fn add(inventory: &mut Inventory, model: &str, site: &str) -> Mac {
    let device = DeviceDraft {
        mac: MAC.into(),
        model: model.into(),
        site: site.into(),
        ..DeviceDraft::default()
    }
    .validate()
    .unwrap();
    inventory.add_device(&device).unwrap().mac
}

fn account(index: u8, user: &str) -> SipAccount {
    SipAccount {
        index,
        user: user.into(),
        password: Some(Secret::new(format!("pw-{user}"))),
        ..SipAccount::default()
    }
}

#[test]
fn accounts_are_stored_in_order_and_read_with_the_sites_defaults() {
    let (_dir, _path, mut inventory) = open();
    inventory
        .save_site(&SiteDraft {
            name: "Hotel Adler".into(),
            sip_registrar: Some("pbx.adler.example".into()),
            sip_transport: Some(SipTransport::Tls),
            ..SiteDraft::default()
        })
        .unwrap();
    let mac = add(&mut inventory, "N510", "Hotel Adler");
    let mut own = account(1, "1001");
    own.registrar = Some("sip.own.example".into());
    own.port = Some(5070);
    own.transport = Some(SipTransport::Udp);
    inventory
        .set_sip_accounts(&mac, &[account(3, "1003"), own.clone()])
        .unwrap();

    let stored = inventory.stored_sip_accounts(&mac).unwrap();
    assert_eq!(stored.iter().map(|a| a.index).collect::<Vec<_>>(), [1, 3]);
    assert_eq!(
        stored[1].registrar, None,
        "stored as given: left to the site"
    );
    assert_eq!(stored[1].password.as_ref().unwrap().expose(), "pw-1003");

    let effective = inventory.sip_accounts(&mac).unwrap();
    assert_eq!(effective[0], own, "the account's own values win");
    assert_eq!(effective[1].registrar.as_deref(), Some("pbx.adler.example"));
    assert_eq!(effective[1].transport, Some(SipTransport::Tls));
    assert_eq!(effective[1].port, Some(5061), "TLS's default port");

    let device = inventory.device_by_mac(mac).unwrap().unwrap();
    assert_eq!(device.sip_accounts, stored, "devices carry their accounts");
}

#[test]
fn bad_accounts_are_refused_whole_with_every_field_named() {
    let (_dir, _path, mut inventory) = open();
    let mac = add(&mut inventory, "N510", "");
    inventory
        .set_sip_accounts(&mac, &[account(1, "1001")])
        .unwrap();
    let mut broken = account(2, "10\n02");
    broken.port = Some(0);
    let error = inventory
        .set_sip_accounts(
            &mac,
            &[account(7, "1007"), broken, account(1, "x"), account(1, "y")],
        )
        .unwrap_err();
    let InventoryError::SipAccounts { errors, .. } = &error else {
        panic!("{error}");
    };
    let fields: Vec<(u8, SipField)> = errors.iter().map(|e| (e.index, e.field)).collect();
    assert!(fields.contains(&(7, SipField::Index)), "{error}");
    assert!(fields.contains(&(2, SipField::Port)), "{error}");
    assert!(fields.contains(&(2, SipField::User)), "{error}");
    assert!(
        fields.contains(&(1, SipField::Index)),
        "given twice: {error}"
    );
    let message = error.to_string();
    assert!(message.contains("accounts 1 to 6"), "{message}");
    assert_eq!(
        inventory.stored_sip_accounts(&mac).unwrap(),
        [account(1, "1001")],
        "nothing was stored"
    );
}

#[test]
fn accounts_follow_their_device_out_and_back_in() {
    let (_dir, _path, mut inventory) = open();
    let mac = add(&mut inventory, "N720", "");
    inventory
        .set_sip_accounts(&mac, &[account(1, "1001"), account(42, "1042")])
        .unwrap();
    inventory
        .record_sip_test(&mac, "ok", Some("200 OK"))
        .unwrap();
    let id = inventory.device_by_mac(mac).unwrap().unwrap().id;
    let removed = inventory.delete_devices(&[id]).unwrap();
    assert_eq!(removed[0].sip_accounts.len(), 2);
    assert!(matches!(
        inventory.stored_sip_accounts(&mac),
        Err(InventoryError::DeviceNotFound { .. })
    ));
    inventory.restore_devices(&removed).unwrap();
    let back = inventory.device_by_mac(mac).unwrap().unwrap();
    assert_eq!(back.sip_accounts, removed[0].sip_accounts);
    assert_eq!(back.sip_test.status.as_deref(), Some("ok"));
}

#[test]
fn the_last_sip_test_is_recorded_and_audited_without_passwords() {
    let (_dir, _path, mut inventory) = open();
    let mac = add(&mut inventory, "", "");
    inventory
        .set_sip_accounts(&mac, &[account(1, "1001")])
        .unwrap();
    inventory
        .record_sip_test(&mac, "credentials_rejected", Some("401 twice for 1001"))
        .unwrap();
    let device = inventory.device_by_mac(mac).unwrap().unwrap();
    assert_eq!(
        device.sip_test.status.as_deref(),
        Some("credentials_rejected")
    );
    assert_eq!(
        device.sip_test.diagnosis.as_deref(),
        Some("401 twice for 1001")
    );
    assert!(device.sip_test.at.is_some());
    let log = inventory.audit_log(10).unwrap();
    assert!(log.iter().any(|entry| entry.action == "device.sip_accounts"
        && entry.detail.contains("user=1001")
        && entry.detail.contains("password=set")));
    assert!(
        log.iter().all(|entry| !entry.detail.contains("pw-1001")),
        "{log:?}"
    );
    let unknown = Mac::parse("7C2F80000001").unwrap();
    assert!(matches!(
        inventory.record_sip_test(&unknown, "ok", None),
        Err(InventoryError::DeviceNotFound { .. })
    ));
}

#[test]
fn site_sip_defaults_are_checked() {
    let (_dir, _path, mut inventory) = open();
    let error = inventory
        .save_site(&SiteDraft {
            name: "Lobby".into(),
            sip_registrar: Some("pbx\tbad".into()),
            ..SiteDraft::default()
        })
        .unwrap_err();
    assert!(error.to_string().contains("control character"), "{error}");
    assert!(inventory.sites().unwrap().is_empty(), "nothing stored");
}

#[test]
fn an_older_file_gains_the_sip_tables_after_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inventory.sqlite3");
    let before = 3;
    // An older schema: the migrations before the SIP one (the 4th), as the file would hold it.
    let older = Inventory::open(&path).unwrap();
    drop(older);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "DROP TABLE sip_accounts; PRAGMA user_version = {before};"
        ))
        .unwrap();
        conn.execute_batch(
            "ALTER TABLE sites DROP COLUMN sip_registrar; ALTER TABLE sites DROP COLUMN sip_port;
             ALTER TABLE sites DROP COLUMN sip_transport;
             ALTER TABLE devices DROP COLUMN sip_test_status;
             ALTER TABLE devices DROP COLUMN sip_test_at;
             ALTER TABLE devices DROP COLUMN sip_test_diagnosis;
             ALTER TABLE devices DROP COLUMN rollout_interim;
             ALTER TABLE devices DROP COLUMN rollout_cancelled_at;
             ALTER TABLE sites DROP COLUMN rollout_started_at;
             ALTER TABLE sites DROP COLUMN rollout_old_username;
             ALTER TABLE sites DROP COLUMN rollout_old_password;",
        )
        .unwrap();
    }
    let mut inventory = Inventory::open(&path).unwrap();
    assert_eq!(inventory.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(
        inventory
            .migration_backup()
            .is_some_and(|copy| copy.exists())
    );
    let mac = add(&mut inventory, "N510", "");
    inventory
        .set_sip_accounts(&mac, &[account(6, "1006")])
        .unwrap();
    assert_eq!(inventory.sip_accounts(&mac).unwrap()[0].index, 6);
}
