//! `provdesk rollout cancel`, `rollout start --generate` and `device site` as a script runs
//! them: a cancel refuses without --force while phones may hold the new credentials and says
//! why; a generated password is printed once and taken; a move is refused when the site's
//! credentials do not fit a moved model, or without --force when phones would lose theirs.

use std::path::Path;
use std::process::Output;

use provdesk::device::Mac;
use provdesk::inventory::{Inventory, Sighting};

use crate::support::rollout::{SINCE_START, backdate, cli_hotel as hotel, ok, provdesk};

fn refused(output: Output) -> String {
    assert!(
        !output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn password_of_site(db: &Path) -> String {
    let inventory = Inventory::open(db).unwrap();
    let site = inventory.sites().unwrap().remove(0);
    site.digest_password.unwrap().expose().to_string()
}

#[test]
fn a_cancel_refuses_without_force_while_a_phone_holds_the_new_credentials_and_locks_none_out() {
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
        "NEW_PW",
    ];
    ok(provdesk(&db, &start));
    backdate(&db);
    let mut inventory = Inventory::open(&db).unwrap();
    let mac = Mac::parse("7C2F80820EC0").unwrap();
    inventory
        .record_sighting(&Sighting {
            mac,
            at: SINCE_START,
            firmware: None,
            verdict: "served",
            credential: Some("configured"),
        })
        .unwrap();
    drop(inventory);

    let said = refused(provdesk(&db, &["rollout", "cancel"]));
    for fact in [
        "nothing was cancelled",
        "1 device may hold the new credentials",
        "(it switched)",
        "lock it out",
        "--force",
    ] {
        assert!(said.contains(fact), "{fact}: {said}");
    }
    assert_eq!(password_of_site(&db), "n3w-secret", "nothing changed");

    let done = ok(provdesk(
        &db,
        &["rollout", "cancel", "--site", "Hotel", "--force"],
    ));
    assert!(
        done.contains("1 device back on the old credentials"),
        "{done}"
    );
    assert!(done.contains("1 device (1 already switched)"), "{done}");
    assert_eq!(password_of_site(&db), "old-secret");
    // The rollout back says so: "Hotel: 0 of 1 switched" read as if the cancel did nothing.
    let status = ok(provdesk(&db, &["rollout", "status"]));
    assert!(
        status.contains("Hotel — going back to the old credentials (cancelled ")
            && status
                .contains("UTC): 0 of 1 back, 0 still on the cancelled ones, 1 not seen since"),
        "the rollout back: {status}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(provdesk(&db, &["rollout", "status", "--json"]))).unwrap();
    assert_eq!(json[0]["direction"], "back", "{json}");
    assert!(json[0]["cancelled_at"].is_string(), "{json}");
    // Its keys count in its own direction: "switched" and "on_old" read the opposite way back.
    for (key, count) in [
        ("devices", 1),
        ("back", 0),
        ("on_cancelled", 0),
        ("not_seen_since", 1),
        ("pending", 1),
    ] {
        assert_eq!(json[0][key], count, "{key}: {json}");
    }
    for forward_only in ["switched", "on_old", "may_hold_new"] {
        assert!(
            json[0].get(forward_only).is_none(),
            "{forward_only}: {json}"
        );
    }

    // Cancelling the way back says it is going back already, and what to do instead.
    let again = refused(provdesk(&db, &["rollout", "cancel", "--site", "Hotel"]));
    for fact in [
        "nothing was cancelled: this rollout was cancelled already and is going back",
        "0 of 1 back",
        "provdesk rollout enforce --site Hotel",
        "start the rollout again",
    ] {
        assert!(again.contains(fact), "{fact}: {again}");
    }
    assert!(!again.contains("may hold the new credentials"), "{again}");
    assert_eq!(password_of_site(&db), "old-secret", "nothing changed");
    let enforce = refused(provdesk(&db, &["rollout", "enforce"]));
    assert!(
        enforce.contains("1 device going back has not come back to the old credentials yet"),
        "{enforce}"
    );
    let audit = Inventory::open(&db)
        .unwrap()
        .audit_log(1)
        .unwrap()
        .remove(0);
    assert_eq!(audit.action, "rollout.cancel");
    assert!(!audit.detail.contains("n3w-secret") && !audit.detail.contains("old-secret"));
}

#[test]
fn a_cancel_before_any_phone_fetched_needs_no_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    hotel(&db);
    ok(provdesk(
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
    let done = ok(provdesk(&db, &["rollout", "cancel", "--site", "Hotel"]));
    assert!(
        done.contains("2 devices back on the old credentials"),
        "{done}"
    );
    assert_eq!(password_of_site(&db), "old-secret");
    assert!(ok(provdesk(&db, &["rollout", "status"])).contains("no rollout is on"));
    let nowhere = refused(provdesk(&db, &["rollout", "cancel", "--site", "Nowhere"]));
    assert!(nowhere.contains("Nowhere"), "{nowhere}");
}

#[test]
fn a_generated_password_is_printed_once_and_becomes_the_sites() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    hotel(&db);
    let out = ok(provdesk(
        &db,
        &[
            "rollout",
            "start",
            "--site",
            "Hotel",
            "--user",
            "new",
            "--generate",
        ],
    ));
    let line = out
        .lines()
        .find(|line| line.starts_with("generated password"))
        .unwrap_or_else(|| panic!("{out}"));
    let printed = line.rsplit(' ').next().unwrap();
    assert_eq!(printed, password_of_site(&db));
    assert!(printed.len() >= 20 && printed.chars().all(|c| c.is_ascii_alphanumeric()));
    let both = refused(provdesk(
        &db,
        &[
            "rollout",
            "start",
            "--site",
            "Hotel",
            "--user",
            "n",
            "--generate",
            "--password-env",
            "NEW_PW",
        ],
    ));
    assert!(both.contains("cannot be used with"), "{both}");
}

#[test]
fn a_move_is_refused_when_the_sites_credentials_do_not_fit_or_phones_would_lose_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    hotel(&db);
    ok(provdesk(
        &db,
        &[
            "site",
            "set",
            "Long",
            "--digest-user",
            "long",
            "--digest-password-env",
            "LONG_PW",
        ],
    ));
    let said = refused(provdesk(
        &db,
        &[
            "device",
            "site",
            "7C2F80820EC0",
            "--site",
            "Long",
            "--force",
        ],
    ));
    for fact in [
        "nothing was moved to site \"Long\"",
        "N510 IP PRO accepts at most 50",
        "7C2F80820EC0",
    ] {
        assert!(said.contains(fact), "{fact}: {said}");
    }

    let said = refused(provdesk(
        &db,
        &["device", "site", "7C2F80820EC1", "--site", "Long"],
    ));
    for fact in [
        "nothing was moved",
        "7C2F80820EC1",
        "is refused from its next fetch",
        "rollout",
        "--force",
    ] {
        assert!(said.contains(fact), "{fact}: {said}");
    }
    let moved = ok(provdesk(
        &db,
        &[
            "device",
            "site",
            "7C2F80820EC1",
            "--site",
            "Long",
            "--force",
        ],
    ));
    assert!(moved.contains("moved 1 device to site Long"), "{moved}");
    assert!(
        moved.contains("is refused from its next fetch"),
        "warned after too: {moved}"
    );
}
