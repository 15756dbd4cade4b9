//! `provdesk site rename` and `provdesk site rm`, run as a script runs them.

use std::path::Path;

use crate::support::cli;

/// The digest password `hotel` gives its site, by the variable named on the command line.
const ENV: &[(&str, &str)] = &[("PROVDESK_TEST_SITE_PW", "SiteSecret")];

fn ok(db: &Path, args: &[&str]) -> String {
    cli::succeeds(db, args, ENV)
}

fn refused(db: &Path, args: &[&str]) -> String {
    cli::refused(db, args, ENV)
}

/// "Hotel Alder" with a provider, a URL with a password, a digest user and password, and two
/// devices that inherit them; "Lobby" with no device.
fn hotel(db: &Path) {
    ok(
        db,
        &[
            "site",
            "set",
            "Hotel Alder",
            "--provider",
            "acme-voice",
            "--url",
            "https://prov:UrlSecret@prov.example.com/%MACD.xml",
            "--digest-user",
            "hotel",
            "--digest-password-env",
            "PROVDESK_TEST_SITE_PW",
        ],
    );
    ok(db, &["site", "set", "Lobby"]);
    for mac in ["7C2F80820EC0", "7C2F80820EC1"] {
        ok(
            db,
            &["device", "add", "--mac", mac, "--site", "hotel alder"],
        );
    }
}

#[test]
fn rename_keeps_the_devices_and_refuses_a_taken_or_empty_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    hotel(&db);
    assert_eq!(
        ok(&db, &["site", "rename", "hotel alder", "Hotel Adler"]).trim(),
        "renamed site hotel alder to Hotel Adler (2 devices)"
    );
    let listed = ok(&db, &["site", "list"]);
    assert!(
        listed.contains("Hotel Adler\t2 devices\tprovider=acme-voice"),
        "{listed}"
    );
    assert!(!listed.contains("Alder"), "{listed}");
    let devices = ok(&db, &["devices", "--json", "--site", "hotel adler"]);
    let devices: serde_json::Value = serde_json::from_str(&devices).unwrap();
    assert_eq!(devices.as_array().unwrap().len(), 2);

    let taken = refused(&db, &["site", "rename", "Lobby", "HOTEL ADLER"]);
    assert!(
        taken.contains("site \"Lobby\" was not renamed: another site is called \"Hotel Adler\""),
        "{taken}"
    );
    let empty = refused(&db, &["site", "rename", "Lobby", " "]);
    assert!(
        empty.contains("site \"Lobby\" was not renamed: the new name is empty"),
        "{empty}"
    );
    let unknown = refused(&db, &["site", "rename", "Nowhere", "Somewhere"]);
    assert!(unknown.contains("no site named \"Nowhere\""), "{unknown}");
}

#[test]
fn rm_refuses_a_site_with_devices_until_forced_and_says_what_they_lose() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    hotel(&db);
    assert_eq!(ok(&db, &["site", "rm", "lobby"]), "removed site Lobby\n");

    let kept = refused(&db, &["site", "rm", "Hotel Alder"]);
    for says in [
        "site \"Hotel Alder\" was not deleted, since devices are in it: 2 devices in Hotel Alder \
         would lose the provider acme-voice, the provisioning URL \
         https://prov:••••••@prov.example.com/%MACD.xml, the digest user name hotel and the \
         digest password •••••• they inherit from it",
        "`provdesk site rm \"Hotel Alder\" --force`",
        "`provdesk device site MAC… --site S`",
    ] {
        assert!(kept.contains(says), "{says}\n{kept}");
    }
    assert!(!kept.contains("(s)"), "{kept}");
    assert!(!kept.contains("Secret"), "{kept}");
    assert!(ok(&db, &["site", "list"]).contains("Hotel Alder\t2 devices"));

    let forced = ok(&db, &["site", "rm", "Hotel Alder", "--force"]);
    assert_eq!(
        forced,
        "removed site Hotel Alder\n2 devices in Hotel Alder lost the provider acme-voice, the \
         provisioning URL https://prov:••••••@prov.example.com/%MACD.xml, the digest user name \
         hotel and the digest password •••••• they inherited from it, and stay in the inventory \
         without a site.\n"
    );
    assert_eq!(ok(&db, &["site", "list"]), "");
    let devices = ok(&db, &["devices", "--json"]);
    let devices: serde_json::Value = serde_json::from_str(&devices).unwrap();
    for device in devices.as_array().unwrap() {
        assert_eq!(device["site"], serde_json::Value::Null, "{device}");
        assert_eq!(device["provider"], serde_json::Value::Null, "{device}");
    }
    let gone = refused(&db, &["site", "rm", "Hotel Alder"]);
    assert!(gone.contains("no site named \"Hotel Alder\""), "{gone}");
}

/// A site name from an inventory written before names had limits is printed escaped.
#[test]
fn rm_prints_a_stored_control_character_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    ok(&db, &["site", "set", "Lobby"]);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE sites SET name = 'Lob\u{1b}[2Jby'", [])
        .unwrap();
    let out = ok(&db, &["site", "rm", "Lob\u{1b}[2Jby"]);
    assert_eq!(out, "removed site Lob\\u{1b}[2Jby\n");
}
