//! `provdesk rollout` as a script runs it: a site's credentials change in two phases, the
//! devices with credentials of their own are left alone, and enforcing early needs --force.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::rollout::{LONG, cli_hotel as hotel, ok, provdesk};

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
    assert_eq!(status[0]["direction"], "forward");
    assert_eq!(status[0]["not_seen_since"], 1);
    assert_eq!(status[0]["pending"], 1);

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

fn with_env(db: &Path, args: &[&str], var: &str, value: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PROVDESK_DB")
        .env(var, value)
        .output()
        .expect("the binary runs")
}

#[test]
fn a_rollout_says_which_models_get_it_refuses_a_password_too_long_for_one_and_says_a_restart_keeps_the_old()
 {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    hotel(&db);
    let start = [
        "rollout",
        "start",
        "--site",
        "Hotel",
        "--user",
        "new",
        "--password-env",
        "PW",
    ];
    let long = with_env(&db, &start, "PW", LONG);
    assert_eq!(long.status.code(), Some(1));
    let said = String::from_utf8_lossy(&long.stderr);
    assert!(
        said.contains("the N510 IP PRO accepts at most 50") && said.contains("7C2F80820EC0"),
        "{said}"
    );
    assert!(
        !said.contains(LONG) && !said.contains("7C2F80820EC1"),
        "{said}"
    );
    assert!(ok(provdesk(&db, &["rollout", "status"])).contains("no rollout is on"));

    let started = ok(with_env(&db, &start, "PW", "typo-pw"));
    assert!(
        started.contains("rollout started for 2 devices (1 × Maxwell 3, 1 × N510 IP PRO)")
            && started.contains("their files carry user")
            && started.contains("`provdesk serve` accepts the old credentials until"),
        "{started}"
    );
    let again = ok(with_env(&db, &start, "PW", "fixed-pw"));
    assert!(
        again.contains(
            "2 devices were already in a rollout: the credentials they had stay accepted too"
        ),
        "{again}"
    );
    assert!(!again.contains("fixed-pw") && !again.contains("typo-pw"));
}

#[test]
fn site_set_refuses_to_change_credentials_its_devices_take_without_force_and_names_the_rollout() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    hotel(&db);
    let set = ["site", "set", "Hotel", "--digest-password-env", "PW"];
    let refused = with_env(&db, &set, "PW", "n3w-secret");
    assert_eq!(refused.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused.stderr);
    for fact in [
        "site \"Hotel\" was not saved",
        "2 devices use these credentials",
        "refused from their next fetch",
        "provdesk rollout start --site \"Hotel\" --user \"old\" --password-env PW",
        "--force",
    ] {
        assert!(said.contains(fact), "{fact}: {said}");
    }
    assert!(!said.contains("n3w-secret"));
    let inventory = provdesk::inventory::Inventory::open(&db).unwrap();
    let site = inventory.sites().unwrap().remove(0);
    assert_eq!(site.digest_password.unwrap().expose(), "old-secret");

    // Other values and the same credentials save as before.
    ok(provdesk(
        &db,
        &["site", "set", "Hotel", "--provider", "acme"],
    ));
    let long = with_env(&db, &[&set[..], &["--force"]].concat(), "PW", LONG);
    assert_eq!(long.status.code(), Some(1));
    let said = String::from_utf8_lossy(&long.stderr);
    assert!(said.contains("N510 IP PRO accepts at most 50"), "{said}");

    let forced = ok(with_env(
        &db,
        &[&set[..], &["--force"]].concat(),
        "PW",
        "n3w-secret",
    ));
    assert!(
        forced.contains("saved site Hotel") && forced.contains("2 devices use these credentials"),
        "{forced}"
    );
    let site = inventory.sites().unwrap().remove(0);
    assert_eq!(site.digest_password.unwrap().expose(), "n3w-secret");
}
