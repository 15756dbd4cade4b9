//! `provdesk sip-test` against a real registrar: Kamailio from the distribution's packages,
//! started here on a free loopback UDP port with a generated minimal configuration (auth +
//! auth_db over db_text with a plain-password `subscriber` table holding user 1001, registrar +
//! usrloc in memory, and ctl's control socket so `kamcmd ul.dump` shows the bindings a test
//! left behind).
//!
//! Ignored by default: they need Kamailio. `.ci/run` installs it (`apt-get install -y
//! kamailio`) and runs `cargo test --test integration interop_ -- --include-ignored`; add `--nocapture`
//! to see the measured time of the `no_answer` test.

use std::fs;
use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const USER: &str = "1001";
const PASSWORD: &str = "kam-secret 1001";

/// A running Kamailio; stopped (SIGTERM, so its children go with it) on drop.
struct Kamailio {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Kamailio {
    fn control_socket(&self) -> PathBuf {
        self.dir.path().join("ctl.sock")
    }

    /// The contact addresses usrloc holds for any address of record, read with `kamcmd`.
    fn bindings(&self) -> Vec<String> {
        let output = Command::new(program("kamcmd"))
            .arg("-s")
            .arg(format!("unix:{}", self.control_socket().display()))
            .arg("ul.dump")
            .output()
            .expect("kamcmd runs");
        assert!(
            output.status.success(),
            "kamcmd ul.dump: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| line.trim().strip_prefix("Address: "))
            .map(str::to_string)
            .collect()
    }
}

impl Drop for Kamailio {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

/// `kamailio` or `kamcmd`, from the package's folders.
fn program(name: &str) -> PathBuf {
    ["/usr/sbin", "/usr/local/sbin"]
        .iter()
        .map(|dir| Path::new(dir).join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("{name} is not installed: apt-get install -y kamailio"))
}

fn modules_dir() -> PathBuf {
    let candidates = [
        "/usr/lib/x86_64-linux-gnu/kamailio/modules",
        "/usr/lib/aarch64-linux-gnu/kamailio/modules",
        "/usr/lib/kamailio/modules",
        "/usr/lib64/kamailio/modules",
    ];
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.join("auth_db.so").exists())
        .unwrap_or_else(|| panic!("Kamailio's modules (auth_db.so) not found in {candidates:?}"))
}

/// A UDP port nobody listens on right now.
fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .expect("a free UDP port")
}

fn config(port: u16, modules: &Path, db: &Path, control: &Path) -> String {
    format!(
        r#"#!KAMAILIO
debug=2
log_stderror=yes
children=1
disable_tcp=yes
auto_aliases=no
listen=udp:127.0.0.1:{port}
mpath="{modules}/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "siputils.so"
loadmodule "textops.so"
loadmodule "db_text.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "auth_db.so"
loadmodule "ctl.so"
modparam("ctl", "binrpc", "unix:{control}")
modparam("usrloc", "db_mode", 0)
modparam("auth_db", "db_url", "text://{db}")
modparam("auth_db", "calculate_ha1", yes)
modparam("auth_db", "password_column", "password")
modparam("auth_db", "use_domain", 0)
request_route {{
    if (!mf_process_maxfwd_header("10")) {{ sl_send_reply("483", "Too Many Hops"); exit; }}
    if (is_method("OPTIONS")) {{ sl_send_reply("200", "OK"); exit; }}
    if (!is_method("REGISTER")) {{ sl_send_reply("405", "Method Not Allowed"); exit; }}
    if (!auth_check("$fd", "subscriber", "0")) {{ auth_challenge("$fd", "1"); exit; }}
    if (!save("location")) {{ sl_reply_error(); }}
    exit;
}}
"#,
        modules = modules.display(),
        db = db.display(),
        control = control.display()
    )
}

fn start() -> Kamailio {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("db");
    fs::create_dir(&db).unwrap();
    fs::write(
        db.join("version"),
        "id(int,auto) table_name(string) table_version(int) \n1:subscriber:7\n",
    )
    .unwrap();
    // db_text escapes a ':' inside a value as '\:'; the password has a blank, not a colon.
    fs::write(
        db.join("subscriber"),
        format!(
            "id(int,auto) username(string) domain(string) password(string) ha1(string,null) ha1b(string,null) \n1:{USER}:127.0.0.1:{PASSWORD}::\n"
        ),
    )
    .unwrap();
    let port = free_udp_port();
    let cfg = dir.path().join("kamailio.cfg");
    let control = dir.path().join("ctl.sock");
    fs::write(&cfg, config(port, &modules_dir(), &db, &control)).unwrap();
    let run_dir = dir.path().join("run");
    fs::create_dir(&run_dir).unwrap();
    let child = Command::new(program("kamailio"))
        .args(["-DD", "-E", "-f"])
        .arg(&cfg)
        .arg("-Y")
        .arg(&run_dir)
        .arg("-w")
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Kamailio starts");
    let kamailio = Kamailio { child, port, dir };
    wait_until_answering(&kamailio);
    kamailio
}

/// Probes with `sip-test --options` until Kamailio answers (it needs a moment to bind).
fn wait_until_answering(kamailio: &Kamailio) {
    for _ in 0..20 {
        let probe = provdesk(kamailio.port, &["--options", "--udp-total", "0.5"], "");
        if probe.status.success() {
            return;
        }
    }
    panic!("Kamailio never answered OPTIONS on port {}", kamailio.port);
}

fn provdesk(port: u16, extra: &[&str], password: &str) -> Output {
    let registrar = format!("127.0.0.1:{port}");
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .args([
            "sip-test",
            "--registrar",
            &registrar,
            "--transport",
            "udp",
            "--user",
            USER,
            "--password-env",
            "P",
            "--json",
        ])
        .args(extra)
        .env("P", password)
        .env_remove("PROVDESK_DB")
        .output()
        .expect("the binary runs")
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

/// The verdict object: the last event.
fn verdict(report: &serde_json::Value) -> serde_json::Value {
    report["events"]
        .as_array()
        .and_then(|events| events.last())
        .cloned()
        .expect("events end with the verdict")
}

#[test]
#[ignore = "needs Kamailio (apt-get install -y kamailio); CI runs it"]
fn user_1001_registers_with_kamailio() {
    let kamailio = start();
    let output = provdesk(kamailio.port, &[], PASSWORD);
    let report = json(&output);
    let verdict = verdict(&report);
    assert!(output.status.success(), "{verdict:#}");
    assert_eq!(verdict["final_status"], 200);
    assert_eq!(verdict["findings"][0]["code"], "ok");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!text.contains(PASSWORD), "the report holds the password");
    assert!(
        text.contains("WWW-Authenticate"),
        "Kamailio challenged first"
    );
    assert_eq!(verdict["binding"]["outcome"], "removed", "{verdict:#}");
    assert_eq!(verdict["binding"]["status"], 200);
    assert_eq!(
        kamailio.bindings(),
        Vec::<String>::new(),
        "the test left its registration behind"
    );
}

/// The contact of the test's REGISTERs, as usrloc stores it (`sip:1001@127.0.0.1:PORT`).
fn contact_of(report: &serde_json::Value) -> String {
    let sent = report["events"]
        .as_array()
        .and_then(|events| events.iter().find(|e| e["event"] == "sent"))
        .expect("a request went out");
    let contact = sent["headers"]
        .as_array()
        .and_then(|headers| headers.iter().find(|h| h["name"] == "Contact"))
        .and_then(|h| h["value"].as_str())
        .expect("the REGISTER has a Contact");
    contact.trim_matches(['<', '>']).to_string()
}

#[test]
#[ignore = "needs Kamailio (apt-get install -y kamailio); CI runs it"]
fn the_removal_takes_only_the_tests_binding_and_keep_leaves_it() {
    let kamailio = start();
    // --keep stands in for the real phone on the extension: its binding must survive the next
    // test's removal (a `Contact: *` would take it too).
    let kept = provdesk(kamailio.port, &["--keep"], PASSWORD);
    let kept_report = json(&kept);
    assert!(kept.status.success(), "{:#}", verdict(&kept_report));
    assert_eq!(verdict(&kept_report)["binding"]["outcome"], "kept");
    let phone = contact_of(&kept_report);
    assert_eq!(kamailio.bindings(), std::slice::from_ref(&phone));

    let tested = provdesk(kamailio.port, &[], PASSWORD);
    let report = json(&tested);
    assert!(tested.status.success(), "{:#}", verdict(&report));
    assert_eq!(verdict(&report)["binding"]["outcome"], "removed");
    assert_ne!(contact_of(&report), phone);
    assert_eq!(
        kamailio.bindings(),
        [phone],
        "only the test's own binding went"
    );
}

#[test]
#[ignore = "needs Kamailio (apt-get install -y kamailio); CI runs it"]
fn a_wrong_password_is_credentials_rejected_by_kamailio() {
    let kamailio = start();
    let output = provdesk(kamailio.port, &[], "not the password");
    assert_eq!(output.status.code(), Some(1));
    let verdict = verdict(&json(&output));
    assert_eq!(
        verdict["findings"][0]["code"], "credentials_rejected",
        "{verdict:#}"
    );
}

#[test]
#[ignore = "needs Kamailio (apt-get install -y kamailio); CI runs it"]
fn a_closed_udp_port_is_no_answer_once_icmp_refuses_twice() {
    let port = free_udp_port();
    let output = provdesk(port, &[], PASSWORD);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    let verdict = verdict(&report);
    assert_eq!(verdict["findings"][0]["code"], "no_answer", "{verdict:#}");
    let message = verdict["findings"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("nothing listens"), "{message}");
    let resends = report["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "retransmitted")
        .count();
    assert_eq!(resends, 1, "the first send and one resend, both refused");
    let seconds = verdict["elapsed"].as_f64().unwrap_or_default() / 1000.0;
    assert!(seconds < 5.0, "waited {seconds:.1} s; Timer F is 32 s");
    eprintln!("no_answer after {seconds:.1} s: ICMP port unreachable twice");
}
