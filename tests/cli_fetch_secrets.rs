//! Issue 11: what `provdesk fetch` writes holds no secret unless asked. The HAR is 0600 and
//! has no bodies without `--har-bodies`; the digest `response` and `cnonce` of a step that used
//! the MAC password are masked in `--json`, the HAR and the live log unless `--reveal-secrets`;
//! a body holding the MAC password, or a SIP password of the inventory device, is shown masked,
//! and so is every password setting of the file (review item 7); a timeout out of range is
//! refused in words.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use provdesk::secret::{MASK, Secret};
use provdesk::sim::provisioning::{Fault, ProvisioningSim, RunningSim, SimConfig, SimUser};

const MAC: &str = "7C2F80820EC0";
const MAC_PASSWORD: &str = "123456789012";
const PATH: &str = "/cfg/7C2F80820EC0.xml";

fn provdesk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(dir.join("never-created.db"))
        .args(args)
        .env_remove("PROVDESK_DB")
        .env("MP", MAC_PASSWORD)
        .output()
        .expect("the binary runs")
}

/// The simulator, serving a configuration file that holds the MAC password.
fn sim() -> RunningSim {
    serving(format!(
        "<ProviderFrame><Pw>{MAC_PASSWORD}</Pw></ProviderFrame>"
    ))
}

fn fetch<'a>(url: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["fetch", url, "--mac", MAC, "--mac-password-env", "MP"];
    args.extend_from_slice(extra);
    args
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The digest `response` and `cnonce` of the MAC-password step, from a JSON report.
fn digest_values(report: &serde_json::Value) -> (String, String, String) {
    let step = &report["steps"][1];
    assert_eq!(step["attempt"], "mac");
    let authorization = step["request"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "Authorization")
        .expect("an Authorization header")["value"]
        .as_str()
        .unwrap()
        .to_string();
    (
        step["digest"]["response"].as_str().unwrap().to_string(),
        step["digest"]["cnonce"].as_str().unwrap().to_string(),
        authorization,
    )
}

/// The simulator serving `body` at PATH to the device's MAC and MAC password.
fn serving(body: String) -> RunningSim {
    ProvisioningSim::start_blocking(
        "127.0.0.1:0".parse().unwrap(),
        SimConfig {
            users: vec![SimUser::password(MAC, Secret::new(MAC_PASSWORD))],
            files: BTreeMap::from([(PATH.to_string(), body.into_bytes())]),
            fault: Fault::None,
            ..SimConfig::default()
        },
    )
    .expect("the simulator starts")
}

#[test]
fn the_json_report_masks_the_digest_answer_unless_revealed() {
    let dir = tempfile::tempdir().unwrap();
    let server = sim();
    let url = server.url("/cfg/%MACD.xml");
    let masked = provdesk(dir.path(), &fetch(&url, &["--json"]));
    assert!(
        masked.status.success(),
        "{}",
        String::from_utf8_lossy(&masked.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&masked.stdout).unwrap();
    let (response, cnonce, authorization) = digest_values(&report);
    assert_eq!(response, MASK);
    assert_eq!(cnonce, MASK);
    assert!(
        authorization.contains(&format!("response=\"{MASK}\""))
            && authorization.contains(&format!("cnonce=\"{MASK}\"")),
        "{authorization}"
    );

    let revealed = provdesk(dir.path(), &fetch(&url, &["--json", "--reveal-secrets"]));
    let report: serde_json::Value = serde_json::from_slice(&revealed.stdout).unwrap();
    let (response, cnonce, authorization) = digest_values(&report);
    assert_eq!(response.len(), 32, "an MD5 in hex: {response}");
    assert!(cnonce.len() >= 8 && cnonce != MASK);
    assert!(authorization.contains(&format!("response=\"{response}\"")));
}

#[test]
fn the_live_log_masks_the_digest_answer_and_the_password_in_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let server = sim();
    let url = server.url("/cfg/%MACD.xml");
    let live = provdesk(dir.path(), &fetch(&url, &[]));
    assert!(live.status.success());
    let log = text(&live);
    assert!(log.contains(&format!("response=\"{MASK}\"")), "{log}");
    assert!(
        !log.contains(MAC_PASSWORD),
        "the body's MAC password is masked: {log}"
    );
    assert!(log.contains(&format!("<Pw>{MASK}</Pw>")), "{log}");
    let revealed = text(&provdesk(dir.path(), &fetch(&url, &["--reveal-secrets"])));
    assert!(
        revealed.contains(&format!("<Pw>{MAC_PASSWORD}</Pw>")),
        "{revealed}"
    );
}

#[test]
fn the_har_is_private_and_has_bodies_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let server = sim();
    let url = server.url("/cfg/%MACD.xml");
    let har = dir.path().join("fetch.har");
    let har_arg = har.to_str().unwrap();
    let written = provdesk(dir.path(), &fetch(&url, &["--har", har_arg]));
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&har).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the HAR is {mode:o}");
    }
    let text = std::fs::read_to_string(&har).unwrap();
    assert!(!text.contains(MAC_PASSWORD), "no body, no MAC password");
    assert!(
        !text.contains("ProviderFrame"),
        "no body without --har-bodies"
    );
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let entry = &document["log"]["entries"][1];
    assert_eq!(entry["response"]["status"], 200);
    assert!(entry["response"]["content"]["text"].is_null());
    assert!(entry["response"]["content"]["size"].as_u64().unwrap() > 0);
    assert!(
        text.contains(&format!("response=\\\"{MASK}\\\"")),
        "masked digest"
    );

    let with_bodies = dir.path().join("bodies.har");
    let path = with_bodies.to_str().unwrap();
    let written = provdesk(dir.path(), &fetch(&url, &["--har", path, "--har-bodies"]));
    assert!(written.status.success());
    let text = std::fs::read_to_string(&with_bodies).unwrap();
    assert!(text.contains("ProviderFrame"), "the body when asked");
    assert!(!text.contains(MAC_PASSWORD), "its MAC password masked");
}

#[test]
fn timeouts_out_of_range_are_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    for timeout in ["1e20", "0", "-1", "NaN", "inf", "3601"] {
        let flag = format!("--timeout={timeout}");
        let output = provdesk(dir.path(), &["fetch", "http://127.0.0.1:1/x.xml", &flag]);
        let error = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(1),
            "--timeout {timeout}: {error}"
        );
        assert!(!error.contains("panicked"), "--timeout {timeout}: {error}");
        assert!(
            error.contains("--timeout") && error.contains("3600"),
            "--timeout {timeout}: the error names the bound: {error}"
        );
    }
}

/// An N510 file as `render` writes it: the device's SIP password beside its provisioning one.
const SIP_PASSWORD: &str = "SipPw-K7m2";

#[test]
fn the_sip_passwords_of_an_inventory_device_are_masked_in_a_fetched_body() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let body = format!(
        "<ProviderFrame><Provider><S_SIP_PASSWORD_1 class=\"string\" value=\"{SIP_PASSWORD}\"/></Provider></ProviderFrame>"
    );
    let server = serving(body);
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_provdesk"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("PROVDESK_DB")
            .env("MP", MAC_PASSWORD)
            .env("SP", SIP_PASSWORD)
            .output()
            .expect("the binary runs");
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    };
    let url = server.url("/cfg/%MACD.xml");
    run(&[
        "device",
        "add",
        "--mac",
        MAC,
        "--model",
        "N510",
        "--url",
        &url,
        "--mac-password-env",
        "MP",
    ]);
    run(&[
        "device",
        "sip",
        MAC,
        "--account",
        "1",
        "--user",
        "1001",
        "--password-env",
        "SP",
    ]);
    let har = dir.path().join("bodies.har");
    let har_arg = har.to_str().unwrap();
    let log = text(&run(&[
        "fetch",
        "--device",
        MAC,
        "--har",
        har_arg,
        "--har-bodies",
    ]));
    assert!(!log.contains(SIP_PASSWORD), "{log}");
    assert!(
        log.contains(&format!(
            "<S_SIP_PASSWORD_1 class=\"string\" value=\"{MASK}\"/>"
        )),
        "{log}"
    );
    let saved = std::fs::read_to_string(&har).unwrap();
    assert!(saved.contains("S_SIP_PASSWORD_1"), "the body is kept");
    assert!(!saved.contains(SIP_PASSWORD), "{saved}");

    let revealed = text(&run(&[
        "fetch",
        "--device",
        MAC,
        "--reveal-secrets",
        "--har",
        har_arg,
        "--har-bodies",
    ]));
    assert!(revealed.contains(SIP_PASSWORD), "{revealed}");
    assert!(
        std::fs::read_to_string(&har)
            .unwrap()
            .contains(SIP_PASSWORD)
    );
}

/// Review item 7: a file's passwords the fetch never used (the old digest password during a
/// change, SIP passwords, a Maxwell's, a URL's) are masked by where they stand: in the live
/// log and in a HAR with bodies, unless revealed.
#[test]
fn passwords_the_fetch_did_not_use_are_masked_in_the_log_and_the_har() {
    const UNUSED: [&str; 4] = [
        "Adler-Digest-2026",
        "sip-pass-1001",
        "weber-secret",
        "url-pass-9",
    ];
    let body = format!(
        "<ProviderFrame><Provider>\
         <S_PROV_USERNAME class=\"string\" value=\"hotel\"/>\
         <S_PROV_PASSWORD class=\"string\" value=\"{}\"/>\
         <S_SIP_PASSWORD_1 class=\"string\" value=\"{}\"/>\
         <param name=\"System.Security.HTTPAuthPassword\" value=\"{}\"/>\
         <S_REDIRECT_URL class=\"string\" value=\"https://admin:{}@prov.example.com/\"/>\
         </Provider></ProviderFrame>",
        UNUSED[0], UNUSED[1], UNUSED[2], UNUSED[3]
    );
    let server = serving(body);
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/cfg/%MACD.xml");
    let har = dir.path().join("bodies.har");
    let har_arg = har.to_str().unwrap();
    let masked = provdesk(
        dir.path(),
        &fetch(&url, &["--har", har_arg, "--har-bodies"]),
    );
    assert!(
        masked.status.success(),
        "{}",
        String::from_utf8_lossy(&masked.stderr)
    );
    let log = text(&masked);
    let saved = std::fs::read_to_string(&har).unwrap();
    for password in UNUSED {
        assert!(!log.contains(password), "{password} printed: {log}");
        assert!(!saved.contains(password), "{password} in the HAR: {saved}");
    }
    assert!(
        log.contains(&format!(
            "<S_PROV_PASSWORD class=\"string\" value=\"{MASK}\"/>"
        )),
        "{log}"
    );
    assert!(
        log.contains("value=\"hotel\""),
        "the user name stays: {log}"
    );
    assert!(saved.contains("S_SIP_PASSWORD_1"), "the body is kept");

    let revealed = provdesk(
        dir.path(),
        &fetch(
            &url,
            &["--reveal-secrets", "--har", har_arg, "--har-bodies"],
        ),
    );
    let log = text(&revealed);
    let saved = std::fs::read_to_string(&har).unwrap();
    for password in UNUSED {
        assert!(log.contains(password), "{password} revealed: {log}");
        assert!(saved.contains(password), "{password} revealed in the HAR");
    }
}
