//! `provdesk fetch` as a script uses it: against the provisioning simulator, for an inventory
//! device and ad hoc, with `--json`, `--har` and the exit status.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use provdesk::secret::Secret;

use crate::support::cli::provdesk_with;
use provdesk::sim::provisioning::{Fault, ProvisioningSim, RunningSim, SimConfig, SimUser};

const MAC: &str = "7C2F80820EC0";
const MAC_PASSWORD: &str = "123456789012";
const PATH: &str = "/cfg/7C2F80820EC0.xml";

fn sim(fault: Fault) -> RunningSim {
    ProvisioningSim::start_blocking(
        "127.0.0.1:0".parse().unwrap(),
        SimConfig {
            users: vec![SimUser::password(MAC, Secret::new(MAC_PASSWORD))],
            files: BTreeMap::from([(PATH.to_string(), b"<ProviderFrame/>".to_vec())]),
            fault,
            ..SimConfig::default()
        },
    )
    .expect("the simulator starts")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn add_device(db: &Path, url: &str, mac_password: &str) {
    let added = provdesk_with(
        db,
        &[
            "device",
            "add",
            "--mac",
            MAC,
            "--model",
            "N510",
            "--url",
            url,
            "--mac-password-env",
            "MP",
        ],
        &[("MP", mac_password)],
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
}

#[test]
fn an_inventory_device_fetches_and_its_outcome_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let server = sim(Fault::None);
    add_device(&db, &server.url("/cfg/%MACD.xml"), MAC_PASSWORD);

    let har = dir.path().join("fetch.har");
    let har_arg = har.to_str().unwrap();
    let fetched = provdesk_with(
        &db,
        &["fetch", "--device", MAC, "--json", "--har", har_arg],
        &[],
    );
    assert!(fetched.status.success(), "exit 0 on a 2xx");
    let report = json(&fetched);
    assert_eq!(report["url"], server.url(PATH));
    assert_eq!(report["final_status"], 200);
    assert_eq!(report["ok"], true);
    let steps = report["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["attempt"], "none");
    assert_eq!(steps[0]["response"]["status"], 401);
    assert_eq!(steps[0]["challenges"][0]["scheme"], "Digest");
    assert_eq!(steps[1]["attempt"], "mac");
    assert_eq!(steps[1]["request"]["method"], "GET");
    for field in [
        "algorithm",
        "qop",
        "nc",
        "cnonce",
        "realm",
        "nonce",
        "uri",
        "response",
    ] {
        assert!(steps[1]["digest"][field].is_string(), "digest.{field}");
    }
    assert_eq!(report["diagnosis"][0]["code"], "ok");
    let text = String::from_utf8_lossy(&fetched.stdout);
    assert!(
        !text.contains(MAC_PASSWORD),
        "no MAC password in the report"
    );

    let har: serde_json::Value = serde_json::from_slice(&std::fs::read(&har).unwrap()).unwrap();
    assert_eq!(har["log"]["entries"].as_array().unwrap().len(), 2);

    let listed = provdesk_with(&db, &["devices", "--json"], &[]);
    let devices = json(&listed);
    assert_eq!(devices[0]["fetch_status"], "200");
    assert_eq!(devices[0]["fetch_diagnosis"], "ok");

    let live = provdesk_with(&db, &["fetch", "--device", MAC], &[]);
    let text = String::from_utf8_lossy(&live.stdout);
    assert!(text.contains("✓ [ok]"), "{text}");
    assert!(!text.contains("Fix:"), "a success asks no fix: {text}");
}

#[test]
fn a_refused_device_exits_1_with_the_diagnosis_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let server = sim(Fault::None);
    add_device(&db, &server.url("/cfg/%MACD.xml"), "000000000000");

    let fetched = provdesk_with(&db, &["fetch", "--device", MAC], &[]);
    assert_eq!(fetched.status.code(), Some(1));
    let text = String::from_utf8_lossy(&fetched.stdout);
    assert!(text.contains("[credentials_rejected]"), "{text}");
    assert!(text.contains("→ GET /cfg/7C2F80820EC0.xml"), "{text}");
    assert!(
        text.contains("HA1 = H(7C2F80820EC0:provdesk-sim:••••••) = ••••••"),
        "{text}"
    );
    assert!(
        !text.contains("000000000000"),
        "the MAC password stays masked"
    );

    let devices = json(&provdesk_with(&db, &["devices", "--json"], &[]));
    assert_eq!(devices[0]["fetch_status"], "401");
    assert_eq!(devices[0]["fetch_diagnosis"], "credentials_rejected");
}

#[test]
fn ad_hoc_fetches_need_no_inventory_and_explain_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never-created.db");
    let server = sim(Fault::NotFound);
    let url = server.url("/cfg/%MACD.xml");

    let fetched = provdesk_with(
        &db,
        &[
            "fetch",
            &url,
            "--mac",
            MAC,
            "--mac-password-env",
            "MP",
            "--json",
        ],
        &[("MP", MAC_PASSWORD)],
    );
    assert_eq!(fetched.status.code(), Some(1), "404 is not success");
    assert_eq!(json(&fetched)["diagnosis"][0]["code"], "not_found");
    assert!(!db.exists(), "an ad hoc fetch opens no inventory");

    let no_mac = provdesk_with(&db, &["fetch", &url], &[]);
    assert_eq!(no_mac.status.code(), Some(1));
    let error = String::from_utf8_lossy(&no_mac.stderr);
    assert!(error.contains("%MACD") && error.contains("MAC"), "{error}");

    let no_url = provdesk_with(&db, &["fetch"], &[]);
    assert!(String::from_utf8_lossy(&no_url.stderr).contains("give a URL"));

    let unset = provdesk_with(
        &db,
        &[
            "fetch",
            &url,
            "--mac",
            MAC,
            "--mac-password-env",
            "UNSET_VAR_X",
        ],
        &[],
    );
    assert!(String::from_utf8_lossy(&unset.stderr).contains("UNSET_VAR_X is not set"));
}

/// A device with no URL of its own nor from its site, fetched with the URL given on the command
/// line, still answers as itself: its model, and the digest credentials it inherits from its
/// site, so the ladder's third rung runs after the MAC password is refused.
#[test]
fn a_device_fetching_a_given_url_keeps_its_model_and_site_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let server = ProvisioningSim::start_blocking(
        "127.0.0.1:0".parse().unwrap(),
        SimConfig {
            users: vec![SimUser::password("prov", Secret::new("ProvPw-7q"))],
            files: BTreeMap::from([(PATH.to_string(), b"<ProviderFrame/>".to_vec())]),
            ..SimConfig::default()
        },
    )
    .expect("the simulator starts");
    let site = provdesk_with(
        &db,
        &[
            "site",
            "set",
            "hq",
            "--digest-user",
            "prov",
            "--digest-password-env",
            "DP",
        ],
        &[("DP", "ProvPw-7q")],
    );
    assert!(
        site.status.success(),
        "{}",
        String::from_utf8_lossy(&site.stderr)
    );
    let added = provdesk_with(
        &db,
        &[
            "device",
            "add",
            "--mac",
            MAC,
            "--model",
            "N720",
            "--site",
            "hq",
            "--mac-password-env",
            "MP",
        ],
        &[("MP", "000000000000")],
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );

    let url = server.url(PATH);
    let fetched = provdesk_with(&db, &["fetch", &url, "--device", MAC, "--json"], &[]);
    let report = json(&fetched);
    let steps = report["steps"].as_array().unwrap();
    let attempts: Vec<&str> = steps
        .iter()
        .map(|s| s["attempt"].as_str().unwrap())
        .collect();
    assert_eq!(attempts, ["none", "mac", "configured"], "{report:#}");
    assert_eq!(steps[2]["digest"]["username"], "prov");
    assert_eq!(report["model"], "N720 IP PRO", "{report:#}");
    assert_eq!(report["final_status"], 200, "{report:#}");
    assert!(fetched.status.success());

    // The site's URL, the device's other fallback, keeps them too.
    let site = provdesk_with(&db, &["site", "set", "hq", "--url", &url], &[]);
    assert!(
        site.status.success(),
        "{}",
        String::from_utf8_lossy(&site.stderr)
    );
    let report = json(&provdesk_with(
        &db,
        &["fetch", "--device", MAC, "--json"],
        &[],
    ));
    assert_eq!(report["steps"][2]["attempt"], "configured", "{report:#}");
    assert_eq!(report["final_status"], 200, "{report:#}");
}

/// A device without a URL of its own or its site's: the refusal says what to give, in words
/// that fit the command line as well as the window.
#[test]
fn a_device_without_any_url_is_told_how_to_give_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let added = provdesk_with(&db, &["device", "add", "--mac", MAC], &[]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let fetched = provdesk_with(&db, &["fetch", "--device", MAC], &[]);
    assert!(!fetched.status.success());
    let stderr = String::from_utf8_lossy(&fetched.stderr);
    assert!(stderr.contains("has no provisioning URL"), "{stderr}");
    assert!(stderr.contains("give the URL to fetch"), "{stderr}");
    assert!(stderr.contains("provdesk site set --url"), "{stderr}");
}

/// A host name DNS does not know is told apart from a server that is down: the fix is the
/// name's spelling or the network's DNS, not the server. (`.invalid` never resolves, RFC 2606.)
#[test]
fn a_name_dns_does_not_know_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let output = provdesk_with(
        &dir.path().join("inventory.sqlite3"),
        &[
            "fetch",
            "http://prov.no-such-name.invalid/%MACD.xml",
            "--mac",
            MAC,
            "--json",
        ],
        &[],
    );
    let json = json(&output);
    assert_eq!(json["diagnosis"][0]["code"], "connection_failed");
    assert_eq!(
        json["diagnosis"][0]["title"],
        "The server's name is not found"
    );
    let message = json["diagnosis"][0]["message"].as_str().unwrap();
    assert_eq!(
        message, "Nothing was sent, because the name prov.no-such-name.invalid is not found (DNS).",
        "the words, without the resolver's error chain"
    );
    let error = json["steps"][0]["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("prov.no-such-name.invalid"),
        "the request's own record keeps the resolver's error: {error}"
    );
}
