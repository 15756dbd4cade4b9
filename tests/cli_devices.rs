//! Runs the real binary the way a script would.

use std::path::Path;
use std::process::{Command, Output};

fn provdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PROVDESK_DB")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn add_then_list_as_json_with_a_clear_duplicate_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let added = provdesk(
        &db,
        &[
            "device",
            "add",
            "--mac",
            "7c:2f:80:82:0e:c0",
            "--mac-id",
            "7C2F80820EC0-55DF",
            "--model",
            "n510 ip pro",
        ],
    );
    assert!(added.status.success(), "{}", stderr(&added));

    let listed = provdesk(&db, &["devices", "--json"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let devices = json.as_array().unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0]["mac"], "7C2F80820EC0");
    assert_eq!(devices[0]["mac_id"], "7C2F80820EC0-55DF");
    assert_eq!(devices[0]["model"], "N510 IP PRO");
    for key in ["site", "provider", "url"] {
        assert!(devices[0].get(key).is_some(), "{key} is present");
    }

    let again = provdesk(&db, &["device", "add", "--mac", "7C-2F-80-82-0E-C0"]);
    assert_eq!(again.status.code(), Some(1));
    let message = stderr(&again);
    assert!(message.contains("7C2F80820EC0"), "{message}");
    assert!(message.contains("already in the inventory"), "{message}");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn every_bad_field_is_named_with_its_value() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let out = provdesk(
        &db,
        &[
            "device",
            "add",
            "--mac",
            "7C2F80820EC1",
            "--mac-id",
            "7C2F80820EC0-55DF",
            "--model",
            "N999",
            "--url",
            "https://admin:hunter2@prov.example.com/%MAC.xml",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(message.contains("MAC-ID: "), "{message}");
    assert!(message.contains("7C2F80820EC0-55DF"), "{message}");
    assert!(message.contains("Model: model \"N999\""), "{message}");
    assert!(message.contains("Provisioning URL: "), "{message}");
    assert!(
        !message.contains("hunter2"),
        "the URL password leaked: {message}"
    );
    let listed = provdesk(&db, &["devices", "--json"]);
    assert_eq!(stdout(&listed).trim(), "[]", "nothing was written");

    let bad_mac = provdesk(&db, &["device", "add", "--mac", "7C2F80"]);
    assert_eq!(bad_mac.status.code(), Some(1));
    assert!(stderr(&bad_mac).contains("MAC: MAC \"7C2F80\" has 6 hex digits"));
}

#[test]
fn search_site_filter_and_remove() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    for (mac, site) in [
        ("7C2F80820EC0", "Hotel Adler"),
        ("7C2F80820EC1", "Hotel Adler"),
        ("0001E3123456", "Klinik Nord"),
    ] {
        let out = provdesk(&db, &["device", "add", "--mac", mac, "--site", site]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let json = |args: &[&str]| -> Vec<String> {
        let out = provdesk(&db, args);
        assert!(out.status.success(), "{}", stderr(&out));
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["mac"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        json(&["devices", "--json", "--site", "klinik nord"]),
        ["0001E3123456"]
    );
    assert_eq!(
        json(&["devices", "--json", "--search", "0e:c1"]),
        ["7C2F80820EC1"]
    );

    let removed = provdesk(&db, &["device", "rm", "7c:2f:80:82:0e:c1"]);
    assert!(removed.status.success(), "{}", stderr(&removed));
    assert!(stdout(&removed).contains("removed 7C2F80820EC1"));
    assert_eq!(json(&["devices", "--json"]).len(), 2);

    // One MAC not in the inventory: none of them is removed.
    let missing = provdesk(&db, &["device", "rm", "0001E3123456", "7C2F80820EC1"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("7C2F80820EC1 is not in the inventory; nothing changed"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(json(&["devices", "--json"]).len(), 2);

    let table = provdesk(&db, &["devices"]);
    let text = stdout(&table);
    assert!(text.starts_with("MAC"), "{text}");
    assert!(text.contains("2 devices"), "{text}");

    let both = provdesk(&db, &["device", "rm", "0001E3123456", "7C2F80820EC0"]);
    assert!(both.status.success(), "{}", stderr(&both));
    assert_eq!(stdout(&both).trim(), "removed 0001E3123456, 7C2F80820EC0");
    assert!(json(&["devices", "--json"]).is_empty());
}

#[test]
fn secrets_come_from_the_environment_and_stay_out_of_output() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let out = Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .args(["--db"])
        .arg(&db)
        .args([
            "device",
            "add",
            "--mac",
            "7C2F80820EC0",
            "--model",
            "N510",
            "--digest-user",
            "hotel",
            "--digest-password-env",
            "DIGEST_PW",
            "--url",
            "https://hotel:UrlPw123@prov.example.com/%MACD.xml",
        ])
        .env("DIGEST_PW", "Sup3rSecret")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = provdesk(&db, &["devices", "--json"]);
    let text = stdout(&listed);
    assert!(!text.contains("Sup3rSecret"), "{text}");
    assert!(!text.contains("UrlPw123"), "{text}");
    assert!(text.contains("\"has_digest_password\": true"), "{text}");

    let unset = provdesk(
        &db,
        &[
            "device",
            "add",
            "--mac",
            "7C2F80820EC1",
            "--digest-password-env",
            "PROVDESK_TEST_UNSET_VAR",
        ],
    );
    assert_eq!(unset.status.code(), Some(1));
    assert!(stderr(&unset).contains("PROVDESK_TEST_UNSET_VAR is not set"));
}

#[test]
fn the_db_can_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.db");
    let out = Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .args(["device", "add", "--mac", "7C2F80820EC0"])
        .env("PROVDESK_DB", &db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(db.exists());
}

#[test]
fn a_reader_that_stops_early_ends_the_listing_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let csv = dir.path().join("many.csv");
    let mut text = String::from("mac\n");
    for i in 0..600 {
        text.push_str(&format!("7C2F80{i:06X}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    assert!(
        provdesk(&db, &["import", csv.to_str().unwrap()])
            .status
            .success()
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(&db)
        .args(["devices", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(first[0], b'[');
    assert!(output.status.success(), "{:?}", output.status);
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn site_set_changes_only_the_options_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let first = provdesk(
        &db,
        &[
            "site",
            "set",
            "Hotel Adler",
            "--provider",
            "acme",
            "--url",
            "https://prov.example.com/%MACD.xml",
        ],
    );
    assert!(first.status.success(), "{}", stderr(&first));
    let second = provdesk(
        &db,
        &["site", "set", "hotel adler", "--digest-user", "hotel"],
    );
    assert!(second.status.success(), "{}", stderr(&second));
    let listed = stdout(&provdesk(&db, &["site", "list"]));
    assert!(listed.contains("provider=acme"), "{listed}");
    assert!(
        listed.contains("url=https://prov.example.com/%MACD.xml"),
        "{listed}"
    );
    assert!(listed.contains("digest_user=hotel"), "{listed}");
    assert_eq!(
        listed.lines().count(),
        1,
        "one site, whatever the case: {listed}"
    );
}

#[test]
fn sip_accounts_are_set_shown_and_removed_without_printing_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let site = provdesk(
        &db,
        &[
            "site",
            "set",
            "Lobby",
            "--sip-registrar",
            "pbx.example.com",
            "--sip-transport",
            "tcp",
        ],
    );
    assert!(site.status.success(), "{}", stderr(&site));
    let added = provdesk(
        &db,
        &[
            "device",
            "add",
            "--mac",
            "7C2F80820EC0",
            "--model",
            "N510",
            "--site",
            "Lobby",
        ],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let set = Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(&db)
        .args([
            "device",
            "sip",
            "7C2F80820EC0",
            "--account",
            "2",
            "--user",
            "1002",
        ])
        .args(["--password-env", "PROVDESK_TEST_SIP_PW"])
        .env("PROVDESK_TEST_SIP_PW", "sip-secret-42")
        .env_remove("PROVDESK_DB")
        .output()
        .unwrap();
    assert!(set.status.success(), "{}", stderr(&set));
    let shown = stdout(&provdesk(&db, &["device", "sip", "7C2F80820EC0"]));
    assert!(
        shown.contains("2\tuser=1002") && shown.contains("registrar=pbx.example.com:5060/tcp"),
        "{shown}"
    );
    assert!(shown.contains("password=set"), "{shown}");
    assert!(!shown.contains("sip-secret-42"), "{shown}");

    let beyond = provdesk(
        &db,
        &[
            "device",
            "sip",
            "7C2F80820EC0",
            "--account",
            "7",
            "--user",
            "1007",
        ],
    );
    assert_eq!(beyond.status.code(), Some(1));
    assert!(
        stderr(&beyond).contains("accounts 1 to 6"),
        "{}",
        stderr(&beyond)
    );

    let removed = provdesk(
        &db,
        &[
            "device",
            "sip",
            "7C2F80820EC0",
            "--account",
            "2",
            "--remove",
        ],
    );
    assert!(removed.status.success(), "{}", stderr(&removed));
    assert!(
        stdout(&removed).contains("has no SIP accounts"),
        "{}",
        stdout(&removed)
    );
}

#[test]
fn an_export_never_replaces_the_inventory_and_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let added = provdesk(
        &db,
        &["device", "add", "--mac", "7C2F80820EC0", "--notes", "kept"],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let backup = dir.path().join("copy.sqlite3");
    std::fs::copy(&db, &backup).unwrap();
    for target in [db.clone(), dir.path().join("inventory.sqlite3-wal"), backup] {
        let out = provdesk(&db, &["export", "--csv", target.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("choose another file name"),
            "{}",
            stderr(&out)
        );
    }
    let listed = provdesk(&db, &["devices", "--json"]);
    assert!(stdout(&listed).contains("kept"), "{}", stderr(&listed));

    let csv = dir.path().join("out.csv");
    std::fs::write(&csv, "old").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&csv, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let out = provdesk(&db, &["export", "--csv", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .contains("7C2F80820EC0")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&csv).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
    }
}

#[test]
fn overlong_or_control_text_is_refused_and_old_values_still_list() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let long = "S".repeat(70_000);
    for (args, says) in [
        (
            vec!["device", "add", "--mac", "7C2F80AAAB01", "--site", &long],
            "Site: has 70000 characters; provdesk keeps at most 128",
        ),
        (
            vec![
                "device",
                "add",
                "--mac",
                "7C2F80AAAB01",
                "--provider",
                "a\u{1b}[31mb",
            ],
            "Provider: holds a control character",
        ),
        (
            vec![
                "device",
                "add",
                "--mac",
                "7C2F80AAAB01",
                "--url",
                "https://x:99999/",
            ],
            "port \"99999\" is not a number from 1 to 65535",
        ),
        (
            vec!["site", "set", "a\u{1b}[31mb\u{7}"],
            "site not stored: name holds a control character",
        ),
        (
            vec!["site", "set", "Adler", "--url", "https://[zz]/x"],
            "site not stored: URL \"https://[zz]/x\": \"zz\" is not an IPv6 address",
        ),
    ] {
        let out = provdesk(&db, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains('\u{1b}'), "{}", stderr(&out));
    }

    // An inventory written before the limits may hold such values: the table still lists it.
    let added = provdesk(
        &db,
        &["device", "add", "--mac", "7C2F80AAAB01", "--site", "A"],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE sites SET name = ?1, provider = 'p\u{1b}[2J'",
        [&long],
    )
    .unwrap();
    conn.execute("UPDATE devices SET provider = ?1", [&long])
        .unwrap();
    drop(conn);
    let listed = provdesk(&db, &["devices"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(
        stdout(&listed).contains("characters left out"),
        "{}",
        stdout(&listed)
    );
    let sites = provdesk(&db, &["site", "list"]);
    assert!(sites.status.success(), "{}", stderr(&sites));
    assert!(!stdout(&sites).contains('\u{1b}'), "{}", stdout(&sites));
    assert!(stdout(&sites).contains("p\\u{1b}[2J"), "{}", stdout(&sites));
}

#[test]
fn a_sip_account_number_outside_the_model_names_the_models_range() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let added = provdesk(
        &db,
        &["device", "add", "--mac", "7C2F80AAAF01", "--model", "N510"],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    for account in ["0", "7"] {
        let out = provdesk(
            &db,
            &[
                "device",
                "sip",
                "7C2F80AAAF01",
                "--account",
                account,
                "--user",
                "1001",
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("the model has accounts 1 to 6"),
            "{account}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_new_inventory_is_announced_so_a_mistyped_db_shows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("typo").join("inventory.sqlite3");
    let first = provdesk(&db, &["devices"]);
    assert!(first.status.success());
    assert!(
        stderr(&first).contains("started a new, empty one"),
        "{}",
        stderr(&first)
    );
    let second = provdesk(&db, &["devices"]);
    assert_eq!(stderr(&second), "", "only the first time");
}

/// `device site` moves devices together; one unknown MAC stops it before anything changes.
#[test]
fn devices_move_to_a_site_or_out_of_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    for mac in ["7C2F80820EC0", "7C2F80820EC1"] {
        assert!(
            provdesk(&db, &["device", "add", "--mac", mac])
                .status
                .success()
        );
    }
    let unknown = provdesk(
        &db,
        &[
            "device",
            "site",
            "7C2F80820EC0",
            "7C2F80820EFF",
            "--site",
            "Lobby",
        ],
    );
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("7C2F80820EFF is not in the inventory; nothing changed"),
        "{}",
        stderr(&unknown)
    );
    let moved = provdesk(
        &db,
        &[
            "device",
            "site",
            "7c:2f:80:82:0e:c0",
            "7C2F80820EC1",
            "--site",
            "Lobby",
        ],
    );
    assert_eq!(stdout(&moved).trim(), "moved 2 devices to site Lobby");
    let out = provdesk(&db, &["device", "site", "7C2F80820EC1", "--none"]);
    assert_eq!(stdout(&out).trim(), "took 1 device out of their site");
    let sites = provdesk(&db, &["site", "list"]);
    assert!(
        stdout(&sites).contains("Lobby\t1 device"),
        "{}",
        stdout(&sites)
    );
    let neither = provdesk(&db, &["device", "site", "7C2F80820EC1"]);
    assert!(!neither.status.success(), "a site or --none is needed");
}
