//! `provdesk sip-test` as a script uses it, against the registrar simulator: the exit status,
//! the live lines, the JSON report, and the password kept out of both.

use std::process::{Command, Output};

use provdesk::sim::registrar::{RegistrarConfig, RegistrarSim, RunningRegistrar};

const PASSWORD: &str = "secret1001";

fn sim() -> RunningRegistrar {
    RegistrarSim::start_blocking("127.0.0.1".parse().unwrap(), RegistrarConfig::default())
        .expect("the simulator starts")
}

fn sip_test(sim: &RunningRegistrar, password: &str, extra: &[&str]) -> Output {
    let registrar = sim.udp.to_string();
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .args([
            "sip-test",
            "--registrar",
            &registrar,
            "--user",
            "1001",
            "--password-env",
            "SIP_PASSWORD",
            "--domain",
            "provdesk.test",
            "--udp-total",
            "2",
        ])
        .args(extra)
        .env("SIP_PASSWORD", password)
        .env_remove("PROVDESK_DB")
        .output()
        .expect("the binary runs")
}

#[test]
fn a_registration_prints_live_lines_and_exits_0() {
    let sim = sim();
    let output = sip_test(&sim, PASSWORD, &[]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("\nREGISTER sip:provdesk.test SIP/2.0\n"),
        "{text}"
    );
    assert!(text.contains("\nSIP/2.0 401 Unauthorized\n"), "{text}");
    assert!(text.contains("\n# verdict after "), "{text}");
    assert!(
        text.contains("A2 = method:uri = REGISTER:sip:provdesk.test"),
        "{text}"
    );
    assert!(text.contains("[ok]"), "{text}");
    assert!(
        text.contains("✓ removed the test registration: 200 OK"),
        "{text}"
    );
    assert!(text.contains("Expires: 0"), "{text}");
    assert!(
        sim.bindings("1001").is_empty(),
        "{:?}",
        sim.bindings("1001")
    );
    assert!(!text.contains(PASSWORD));
}

#[test]
fn keep_leaves_the_registration_and_the_json_says_so() {
    let sim = sim();
    let output = sip_test(&sim, PASSWORD, &["--keep", "--expires", "120", "--json"]);
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let verdict = report["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(verdict["binding"]["outcome"], "kept", "{verdict:#}");
    assert_eq!(verdict["binding"]["expires"], 120);
    assert_eq!(sim.bindings("1001").len(), 1);

    let probe = sip_test(&sim, "", &["--keep", "--options"]);
    assert_eq!(
        probe.status.code(),
        Some(2),
        "an OPTIONS registers nothing to keep"
    );
}

#[test]
fn a_wrong_password_exits_1_with_the_code_in_json() {
    let sim = sim();
    let output = sip_test(&sim, "not-it", &["--json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let last = report["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event"], "finished");
    assert_eq!(last["findings"][0]["code"], "credentials_rejected");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("not-it"));
}

#[test]
fn a_bad_transport_or_registrar_is_refused_with_what_to_do() {
    let sim = sim();
    let output = sip_test(&sim, PASSWORD, &["--transport", "sctp"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("use udp, tcp or tls"));
    let output = Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .args(["sip-test", "--registrar", "pbx:port", "--user", "1001"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("HOST or HOST:PORT"));
}

/// The binary on the inventory `db`, with `P` holding `password`.
fn provdesk(db: &std::path::Path, password: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("P", password)
        .env_remove("PROVDESK_DB")
        .output()
        .expect("the binary runs")
}

#[test]
fn a_devices_account_from_the_inventory_is_tested_and_its_verdict_recorded() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let (host, port) = (sim.udp.ip().to_string(), sim.udp.port().to_string());
    let mac = "7C2F80820EC0";
    for (args, password) in [
        (vec!["device", "add", "--mac", mac, "--model", "N510"], ""),
        (
            vec![
                "device",
                "sip",
                mac,
                "--account",
                "1",
                "--user",
                "1001",
                "--password-env",
                "P",
                "--registrar",
                &host,
                "--port",
                &port,
            ],
            PASSWORD,
        ),
        (
            vec![
                "device",
                "sip",
                mac,
                "--account",
                "2",
                "--user",
                "1001",
                "--password-env",
                "P",
                "--registrar",
                &host,
                "--port",
                &port,
            ],
            "not-it",
        ),
    ] {
        let output = provdesk(&db, password, &args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let test = |account: &str| {
        provdesk(
            &db,
            "",
            &[
                "sip-test",
                "--device",
                mac,
                "--account",
                account,
                "--udp-total",
                "2",
            ],
        )
    };
    let registered = test("1");
    let text = String::from_utf8_lossy(&registered.stdout);
    assert!(registered.status.success(), "{text}");
    assert!(text.contains("[ok]") && !text.contains(PASSWORD), "{text}");
    assert!(
        text.contains("User-Agent: N510 IP PRO/42.245.00.000.000;7C2F80820EC0"),
        "the registrar sees what the N510 sends: {text}"
    );
    assert!(!text.contains("User-Agent: provdesk/"), "{text}");
    let inventory = provdesk::inventory::Inventory::open(&db).unwrap();
    let device = |inventory: &provdesk::inventory::Inventory| {
        inventory
            .device_by_mac(provdesk::device::Mac::parse(mac).unwrap())
            .unwrap()
            .unwrap()
    };
    assert_eq!(device(&inventory).sip_test.status.as_deref(), Some("ok"));
    let listed = provdesk(&db, "", &["devices", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(json[0]["sip_test"], "ok");

    let refused = test("2");
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        device(&inventory).sip_test.status.as_deref(),
        Some("credentials_rejected")
    );
    let missing = test("5");
    assert_eq!(missing.status.code(), Some(1));
    let said = String::from_utf8_lossy(&missing.stderr);
    assert!(
        said.contains("has no SIP account 5") && said.contains("1, 2"),
        "{said}"
    );
}

#[test]
fn trace_writes_the_messages_masked_and_options_says_reachable() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sip-trace.txt");
    let output = sip_test(&sim, PASSWORD, &["--trace", path.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("SIP trace written to"), "{text}");
    let trace = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with(&trace),
        "the live lines are the trace, written as it grows: {text}"
    );
    assert!(
        trace.contains("\nREGISTER sip:provdesk.test SIP/2.0\n"),
        "{trace}"
    );
    assert!(trace.contains("\nSIP/2.0 401 Unauthorized\n"), "{trace}");
    assert!(trace.contains("response=\"••••••\""), "{trace}");
    assert!(!trace.contains(PASSWORD));

    let folder = dir.path().to_str().unwrap();
    let refused = sip_test(&sim, PASSWORD, &["--trace", folder]);
    assert_eq!(refused.status.code(), Some(1), "a folder is no trace file");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--trace: "));
    assert!(
        !String::from_utf8_lossy(&refused.stdout).contains("REGISTER"),
        "refused before the test runs"
    );

    let probe = sip_test(&sim, "", &["--options"]);
    let text = String::from_utf8_lossy(&probe.stdout);
    assert!(probe.status.success(), "{text}");
    assert!(
        text.contains("\nOPTIONS sip:provdesk.test SIP/2.0\n"),
        "{text}"
    );
    assert!(text.contains("Registrar reachable [ok]"), "{text}");
    assert!(
        !text.contains("Registered"),
        "OPTIONS registers nothing: {text}"
    );
}

/// A probe asks whether the registrar answers, for no account: it needs neither an extension
/// nor a password, and goes from `sip:provdesk@…`.
#[test]
fn options_needs_no_user() {
    let sim = sim();
    let probe = Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .args(["sip-test", "--options", "--registrar", &sim.udp.to_string()])
        .args(["--domain", "provdesk.test", "--udp-total", "2"])
        .env_remove("PROVDESK_DB")
        .output()
        .expect("the binary runs");
    let text = String::from_utf8_lossy(&probe.stdout);
    assert!(
        probe.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&probe.stderr)
    );
    assert!(text.contains("Registrar reachable [ok]"), "{text}");
}
