//! `provdesk redirect`, `provdesk sync` and `provdesk simulate redirect` as a script runs them,
//! against the simulator on a real socket.

use crate::support::cli::{interrupt, listening, text, with_account};

use std::collections::BTreeSet;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use provdesk::secret::Secret;
use provdesk::sim::redirect::{
    RedirectSim, RedirectSimConfig, RunningRedirectSim, mac_password_for,
};

const PASSWORD: &str = "s3cret-provisioner";
const NOT_MADE: &str = "0001E3000001";

fn sim() -> RunningRedirectSim {
    let mut config = RedirectSimConfig::new("installer", Secret::new(PASSWORD));
    config.unknown_macs = BTreeSet::from([NOT_MADE.to_string()]);
    RedirectSim::start_blocking("127.0.0.1:0".parse().unwrap(), config).unwrap()
}

fn provdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .args(["--db", db.to_str().unwrap()])
        .args(args)
        .env("REDIRECT_PASSWORD", PASSWORD)
        .env("PROVDESK_NO_KEYRING", "1")
        .output()
        .expect("the binary runs")
}

fn add(db: &Path, mac: &str, mac_id: &str) {
    let url = "http://p.example/%MACD.xml";
    add_with(db, mac, mac_id, &["--provider", "Daryna", "--url", url]);
}

/// Adds a device with these options besides its MAC and MAC-ID.
fn add_with(db: &Path, mac: &str, mac_id: &str, options: &[&str]) {
    let mut args = vec!["device", "add", "--mac", mac, "--mac-id", mac_id];
    args.extend_from_slice(options);
    let output = provdesk(db, &args);
    assert!(output.status.success(), "{output:?}");
}

/// An inventory of two devices: one that can be registered, and 7C2F80208295 with `options`.
fn beside_a_registrable_one(options: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    add(&db, "7C2F80820EC0", "7C2F80820EC0-55DF");
    add_with(&db, "7C2F80208295", "7C2F80208295-1910", options);
    (dir, db)
}

/// A dry run, which warns of exactly `warning` on standard error.
fn dry_run_warning_of(db: &Path, sim: &RunningRedirectSim, warning: &str) -> Output {
    let dry = provdesk(db, &with_account("sync", &sim.url(), &["--dry-run"]));
    assert!(dry.status.success(), "{dry:?}");
    let stderr = text(&dry.stderr);
    assert!(stderr.contains(&format!("warning: {warning}")), "{stderr}");
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    dry
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {output:?}"))
}

#[test]
fn sync_registers_then_reports_everything_unchanged() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    add(&db, "7C2F80820EC0", "7C2F80820EC0-55DF");
    add(&db, "7C2F80208295", "7C2F80208295-1910");
    let url = sim.url();

    let dry = provdesk(&db, &with_account("sync", &url, &["--dry-run", "--json"]));
    assert!(dry.status.success(), "{dry:?}");
    let plan = json(&dry);
    assert_eq!(plan["register"].as_array().unwrap().len(), 2);
    assert!(sim.registrations().is_empty(), "a dry run changes nothing");

    let applied = provdesk(&db, &with_account("sync", &url, &["--json"]));
    assert!(applied.status.success(), "{applied:?}");
    let report = json(&applied);
    for key in ["register", "update", "deregister", "unchanged", "failed"] {
        assert!(report[key].is_array(), "{key} missing: {report}");
    }
    assert_eq!(report["register"][0]["mac"], "7C2F80208295");
    assert_eq!(report["register"].as_array().unwrap().len(), 2);
    assert_eq!(sim.registrations().len(), 2);
    let password = mac_password_for("7C2F80820EC0-55DF").unwrap();
    assert!(!text(&applied.stdout).contains(&password));

    let again = provdesk(&db, &with_account("sync", &url, &["--dry-run"]));
    assert!(again.status.success(), "{again:?}");
    assert!(
        text(&again.stdout).contains("0 to register, 0 to update, 0 to deregister, 2 unchanged"),
        "{}",
        text(&again.stdout)
    );
    let devices = provdesk(&db, &["devices", "--json"]);
    let devices = json(&devices);
    assert_eq!(devices[0]["redirect_status"], "registered");
    assert_eq!(devices[0]["has_mac_password"], true);
}

/// A loopback URL would reach no phone: the plan says so before anything is sent, and only
/// for the devices that have one.
#[test]
fn sync_warns_of_a_url_that_names_this_computer() {
    let sim = sim();
    let (_dir, db) = beside_a_registrable_one(&[
        "--provider",
        "Daryna",
        "--url",
        "http://127.0.0.1:8631/%MACD.xml",
    ]);
    dry_run_warning_of(
        &db,
        &sim,
        "1 device would be registered with http://127.0.0.1:8631/%MACD.xml, which names this computer",
    );
}

/// A device without a provider cannot be planned: the dry run names it on stderr with what to
/// do, its plan line counts it as left out, and `--json` carries the counts.
#[test]
fn sync_names_a_device_without_a_provider() {
    let sim = sim();
    let (_dir, db) = beside_a_registrable_one(&["--url", "http://p.example/%MACD.xml"]);
    let dry = dry_run_warning_of(
        &db,
        &sim,
        "1 device is not in the plan: no provider, its own or its site's (7C2F80208295). Give it or its site a provider",
    );
    let stdout = text(&dry.stdout);
    assert!(
        stdout.contains("1 to register, 0 to update, 0 to deregister, 0 unchanged, 1 left out"),
        "{stdout}"
    );

    let json_dry = provdesk(
        &db,
        &with_account("sync", &sim.url(), &["--dry-run", "--json"]),
    );
    let plan = json(&json_dry);
    assert_eq!(plan["left_out"]["devices"], 1, "{plan}");
    assert_eq!(plan["left_out"]["no_provider"]["count"], 1, "{plan}");
    assert_eq!(plan["left_out"]["no_provider"]["named"][0], "7C2F80208295");
    assert_eq!(plan["left_out"]["no_url"]["count"], 0, "{plan}");
}

#[test]
fn sync_exits_non_zero_when_a_device_failed() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    add(&db, "7C2F80820EC0", "7C2F80820EC0-55DF");
    add(&db, NOT_MADE, "0001E3000001-ABCD");
    let output = provdesk(&db, &with_account("sync", &sim.url(), &["--json"]));
    assert!(!output.status.success(), "{output:?}");
    let report = json(&output);
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["mac"], NOT_MADE);
    assert_eq!(failed[0]["code"], "mac_not_exist");
    assert!(
        failed[0]["message"]
            .as_str()
            .unwrap()
            .contains("compare it with the label")
    );
    assert_eq!(report["register"].as_array().unwrap().len(), 1);
}

#[test]
fn redirect_commands_register_check_list_and_deregister() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    add(&db, "7C2F80820EC0", "7C2F80820EC0-55DF");
    let url = sim.url();
    let id = "7C2F80820EC0-55DF";

    let check = provdesk(&db, &with_account("redirect", &url, &["check", id]));
    assert!(!check.status.success(), "not registered yet: {check:?}");
    assert!(text(&check.stdout).contains("is not registered"));

    let register = provdesk(
        &db,
        &with_account(
            "redirect",
            &url,
            &["register", id, "http://p.example/%MACD.xml", "Daryna"],
        ),
    );
    assert!(register.status.success(), "{register:?}");
    assert!(text(&register.stdout).contains("kept in the inventory"));
    let password = mac_password_for(id).unwrap();
    assert!(!text(&register.stdout).contains(&password));
    assert!(!text(&register.stderr).contains(&password));

    let check = provdesk(&db, &with_account("redirect", &url, &["check", id]));
    assert!(check.status.success(), "{check:?}");
    assert!(text(&check.stdout).contains("provider Daryna"));

    let list = provdesk(&db, &with_account("redirect", &url, &["list", "Daryna"]));
    assert!(
        text(&list.stdout).contains("1 device registered"),
        "{list:?}"
    );
    // The account options may follow the subcommand too.
    let none = provdesk(
        &db,
        &[
            "redirect",
            "list",
            "Nobody",
            "--server",
            &url,
            "--user",
            "installer",
            "--password-env",
            "REDIRECT_PASSWORD",
        ],
    );
    assert!(
        text(&none.stdout).contains("0 devices registered"),
        "{none:?}"
    );

    let twice = provdesk(
        &db,
        &with_account(
            "redirect",
            &url,
            &["register", id, "http://p.example/%MACD.xml", "Daryna"],
        ),
    );
    assert!(!twice.status.success());
    assert!(
        text(&twice.stderr).contains("deregister it first"),
        "{twice:?}"
    );

    let gone = provdesk(&db, &with_account("redirect", &url, &["deregister", id]));
    assert!(gone.status.success(), "{gone:?}");
    assert!(sim.registrations().is_empty());
    let devices = json(&provdesk(&db, &["devices", "--json"]));
    assert_eq!(devices[0]["redirect_status"], "not_registered");
}

/// One meaning in both faces: the device is not registered afterwards, which is what was
/// asked, so the deregistration succeeds (as in the Redirect panel, see gui_redirect.rs) and
/// the inventory says "not registered".
#[test]
fn deregistering_a_mac_id_the_server_does_not_know_succeeds() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    add(&db, "7C2F80820EC0", "7C2F80820EC0-55DF");
    let gone = provdesk(
        &db,
        &with_account("redirect", &sim.url(), &["deregister", "7C2F80820EC0-55DF"]),
    );
    assert!(gone.status.success(), "{gone:?}");
    assert!(
        text(&gone.stdout).contains("was not registered; nothing to remove"),
        "{gone:?}"
    );
    let devices = json(&provdesk(&db, &["devices", "--json"]));
    assert_eq!(devices[0]["redirect_status"], "not_registered");
}

#[test]
fn a_refused_mac_id_is_a_sentence_and_exit_1() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let output = provdesk(
        &db,
        &with_account(
            "redirect",
            &sim.url(),
            &[
                "register",
                "123456789123--1910",
                "http://p.example/",
                "Daryna",
            ],
        ),
    );
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("is not valid: it must be the 12 hex digits of the MAC"),
        "{output:?}"
    );
}

#[test]
fn a_missing_password_says_how_to_give_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let output = provdesk(
        &db,
        &[
            "redirect",
            "--server",
            "http://127.0.0.1:9/apxml/rpc.do",
            "--user",
            "nobody",
            "list",
        ],
    );
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("--password-env"),
        "{output:?}"
    );
}

#[test]
fn a_saved_account_is_used_without_options() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let saved = provdesk(
        &db,
        &with_account("redirect", &sim.url(), &["save-account"]),
    );
    assert!(saved.status.success(), "{saved:?}");
    assert!(
        text(&saved.stderr).contains("readable only by you"),
        "{saved:?}"
    );
    let file = std::fs::read_to_string(dir.path().join("redirect-account.json")).unwrap();
    assert!(file.contains("installer"));
    let list = provdesk(&db, &["redirect", "list"]);
    assert!(list.status.success(), "{list:?}");
    assert!(text(&list.stdout).contains("0 devices registered"));
}

#[test]
fn simulate_redirect_prints_its_endpoint_and_each_call() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let (child, mut stdout, url) = listening(
        Command::new(env!("CARGO_BIN_EXE_provdesk"))
            .args(["simulate", "redirect", "--bind", "127.0.0.1:0"])
            .env("PROVDESK_DB", &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut second = String::new();
    stdout.read_line(&mut second).unwrap();
    assert!(second.contains("user gigaset, password aptest"), "{second}");

    let list = Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .args(["--db", db.to_str().unwrap()])
        .args(["redirect", "--server", &url, "--user", "gigaset"])
        .args(["--password-env", "SIM_PW", "list"])
        .env("SIM_PW", "aptest")
        .env("PROVDESK_NO_KEYRING", "1")
        .output()
        .unwrap();
    assert!(list.status.success(), "{list:?}");

    let (_, rest) = interrupt(child, stdout);
    assert!(
        rest.contains("autoprov.listDevices 0 providers 200"),
        "{rest}"
    );
    assert!(!db.exists(), "the simulator opens no inventory");
}
