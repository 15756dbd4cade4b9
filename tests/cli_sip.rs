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
        text.contains("→ REGISTER sip:provdesk.test SIP/2.0"),
        "{text}"
    );
    assert!(text.contains("← SIP/2.0 401 Unauthorized"), "{text}");
    assert!(
        text.contains("A2 = method:uri = REGISTER:sip:provdesk.test"),
        "{text}"
    );
    assert!(text.contains("[ok]"), "{text}");
    assert!(!text.contains(PASSWORD));
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
