//! `provdesk rollout` as a script runs it: a site's credentials change in two phases, the
//! devices with credentials of their own are left alone, and enforcing early needs --force.

use std::path::Path;
use std::process::{Command, Output};

fn provdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PROVDESK_DB")
        .env("OLD_PW", "old-secret")
        .env("NEW_PW", "n3w-secret")
        .output()
        .expect("the binary runs")
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_site_rollout_starts_reports_and_is_enforced_only_with_force_while_phones_lag() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    ok(provdesk(
        &db,
        &[
            "site",
            "set",
            "Hotel",
            "--digest-user",
            "old",
            "--digest-password-env",
            "OLD_PW",
        ],
    ));
    ok(provdesk(
        &db,
        &["device", "add", "--mac", "7C2F80820EC0", "--site", "Hotel"],
    ));
    ok(provdesk(
        &db,
        &[
            "device",
            "add",
            "--mac",
            "7C2F80820EC1",
            "--site",
            "Hotel",
            "--digest-user",
            "own",
            "--digest-password-env",
            "OLD_PW",
        ],
    ));

    let started = ok(provdesk(
        &db,
        &[
            "rollout",
            "start",
            "--site",
            "Hotel",
            "--user",
            "new",
            "--password-env",
            "NEW_PW",
        ],
    ));
    assert!(
        started.contains("rollout started for 1 device"),
        "{started}"
    );
    assert!(
        started.contains("7C2F80820EC1"),
        "the device with its own credentials: {started}"
    );
    assert!(!started.contains("n3w-secret"));

    let status: serde_json::Value =
        serde_json::from_str(&ok(provdesk(&db, &["rollout", "status", "--json"]))).unwrap();
    assert_eq!(status[0]["site"], "Hotel");
    assert_eq!(status[0]["devices"], 1);
    assert_eq!(status[0]["switched"], 0);

    let early = provdesk(&db, &["rollout", "enforce"]);
    assert_eq!(early.status.code(), Some(1));
    let said = String::from_utf8_lossy(&early.stderr);
    assert!(
        said.contains("1 device has not fetched") && said.contains("--force"),
        "{said}"
    );

    let forced = ok(provdesk(&db, &["rollout", "enforce", "--force"]));
    assert!(forced.contains("enforced for 1 device"), "{forced}");
    assert!(ok(provdesk(&db, &["rollout", "status"])).contains("no rollout is on"));

    let typo = provdesk(
        &db,
        &[
            "rollout",
            "start",
            "--site",
            "Hotle",
            "--user",
            "new",
            "--password-env",
            "NEW_PW",
        ],
    );
    assert_eq!(typo.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&typo.stderr).contains("no site named \"Hotle\""));
}
