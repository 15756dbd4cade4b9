//! `provdesk device set`: a stored device's values changed from a script, as its form in the
//! window changes them.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::cli::text;

fn provdesk(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PROVDESK_DB")
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

/// The one device, as `devices --json` shows it (effective values).
fn the_device(db: &Path) -> serde_json::Value {
    let listed = provdesk(db, &["devices", "--json"], &[]);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    json[0].clone()
}

/// A device in site Adler, whose provider and URL it inherits.
fn inventory(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = dir.path().join("x.db");
    for args in [
        &[
            "device",
            "add",
            "--mac",
            "7c2f80820ec0",
            "--model",
            "N510 IP PRO",
        ][..],
        &[
            "site",
            "set",
            "Adler",
            "--provider",
            "acme",
            "--url",
            "https://p.example/%MACD.xml",
        ],
        &["device", "site", "7C2F80820EC0", "--site", "Adler"],
    ] {
        let out = provdesk(&db, args, &[]);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    }
    db
}

#[test]
fn given_values_replace_the_devices_own_and_an_empty_one_gives_the_site_s_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = inventory(&dir);
    let set = provdesk(
        &db,
        &[
            "device",
            "set",
            "7c:2f:80:82:0e:c0",
            "--provider",
            "beta",
            "--notes",
            "by the door",
        ],
        &[],
    );
    assert!(set.status.success(), "{}", text(&set.stderr));
    assert_eq!(
        text(&set.stdout).trim(),
        "updated 7C2F80820EC0: Provider, Notes"
    );
    let device = the_device(&db);
    assert_eq!(device["provider"], "beta");
    assert_eq!(device["notes"], "by the door");
    assert_eq!(device["model"], "N510 IP PRO", "a value not given is kept");
    assert_eq!(device["site"], "Adler");

    let again = provdesk(
        &db,
        &["device", "set", "7C2F80820EC0", "--provider", "beta"],
        &[],
    );
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).contains("unchanged"),
        "{}",
        text(&again.stdout)
    );

    let cleared = provdesk(
        &db,
        &["device", "set", "7C2F80820EC0", "--provider", ""],
        &[],
    );
    assert!(cleared.status.success(), "{}", text(&cleared.stderr));
    assert_eq!(the_device(&db)["provider"], "acme", "the site's, again");
}

#[test]
fn bad_values_are_all_named_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = inventory(&dir);
    let before = the_device(&db);
    let refused = provdesk(
        &db,
        &[
            "device",
            "set",
            "7C2F80820EC0",
            "--provider",
            "beta",
            "--url",
            "ftp://x",
            "--mac-id",
            "7C2F80820EC1-0000",
        ],
        &[],
    );
    assert_eq!(refused.status.code(), Some(1));
    let message = text(&refused.stderr);
    assert!(message.contains("7C2F80820EC0 not changed"), "{message}");
    assert!(message.contains("Provisioning URL:"), "{message}");
    assert!(message.contains("MAC-ID:"), "{message}");
    assert_eq!(
        the_device(&db),
        before,
        "the valid provider was not written either"
    );
}

#[test]
fn nothing_to_change_and_an_unknown_device_are_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = inventory(&dir);
    let bare = provdesk(&db, &["device", "set", "7C2F80820EC0"], &[]);
    assert_eq!(bare.status.code(), Some(1));
    assert!(
        text(&bare.stderr).contains("nothing to change"),
        "{}",
        text(&bare.stderr)
    );

    let unknown = provdesk(
        &db,
        &["device", "set", "7C2F80820EC1", "--provider", "x"],
        &[],
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        text(&unknown.stderr).contains("provdesk device add --mac 7C2F80820EC1"),
        "{}",
        text(&unknown.stderr)
    );
}

#[test]
fn a_password_from_the_environment_is_set_and_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let db = inventory(&dir);
    let set = provdesk(
        &db,
        &[
            "device",
            "set",
            "7C2F80820EC0",
            "--digest-password-env",
            "PW",
        ],
        &[("PW", "s3cret-digest")],
    );
    assert!(set.status.success(), "{}", text(&set.stderr));
    assert_eq!(
        text(&set.stdout).trim(),
        "updated 7C2F80820EC0: Digest password"
    );
    assert!(!text(&set.stdout).contains("s3cret") && !text(&set.stderr).contains("s3cret"));
    assert_eq!(the_device(&db)["has_digest_password"], true);
}
