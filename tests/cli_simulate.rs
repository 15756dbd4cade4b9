//! `provdesk simulate provisioning` as a script or a person would run it: read the URL it
//! prints, fetch with curl --digest (or reqwest when curl is missing), stop it with Ctrl+C.

use crate::support::{cli, sim};

use std::io::BufReader;
use std::process::{Child, ChildStdout, Command, Stdio};

use sim::{BODY, FILE, PASSWORD, USER};

fn provdesk(args: &[&str], db: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_provdesk"));
    command
        .args(args)
        .env("PROVDESK_DB", db)
        .env("SIM_PASSWORD", PASSWORD);
    command
}

/// Starts the simulator and returns it with the URL from its first line.
fn start(args: &[&str], db: &std::path::Path) -> (Child, BufReader<ChildStdout>, String) {
    cli::listening(
        provdesk(args, db)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs"),
    )
}

fn curl_exists() -> bool {
    Command::new("curl")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The body and status a digest client gets from `url`.
fn fetch(url: &str) -> (u16, String) {
    if curl_exists() {
        cli::curl_digest(url, &format!("{USER}:{PASSWORD}"))
    } else {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let response = sim::digest_get(&sim::client(), url, USER, PASSWORD).await;
            (response.status().as_u16(), response.text().await.unwrap())
        })
    }
}

#[test]
fn prints_its_port_serves_digest_clients_and_logs_each_request() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never.db");
    let config = dir.path().join("n510.xml");
    std::fs::write(&config, BODY).unwrap();
    let file_arg = format!("{FILE}={}", config.display());
    let (child, stdout, url) = start(
        &[
            "simulate",
            "provisioning",
            "--bind",
            "127.0.0.1:0",
            "--user",
            USER,
            "--password-env",
            "SIM_PASSWORD",
            "--file",
            &file_arg,
        ],
        &db,
    );
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix('/'))
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("{url}"));
    assert_ne!(port, 0);

    let (status, body) = fetch(&format!("{url}{}", &FILE[1..]));
    assert_eq!(status, 200);
    assert_eq!(body, BODY);

    let (stopped_cleanly, printed) = cli::interrupt(child, stdout);
    assert!(stopped_cleanly, "{printed}");
    assert!(
        printed.contains(&format!("serving {url}{}", &FILE[1..])),
        "{printed}"
    );
    let requests: Vec<&str> = printed
        .lines()
        .filter(|line| line.contains(&format!(" GET {FILE} ")))
        .collect();
    assert_eq!(requests.len(), 2, "{printed}");
    assert!(requests[0].contains(" 401 "), "{printed}");
    assert!(requests[1].contains(" 200 "), "{printed}");
    assert!(!printed.contains(PASSWORD), "{printed}");
    assert!(!db.exists(), "a simulator opens no inventory");
}

#[test]
fn bad_arguments_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never.db");
    let run = |args: &[&str]| {
        let mut all = vec!["simulate", "provisioning", "--bind", "127.0.0.1:0"];
        all.extend_from_slice(args);
        provdesk(&all, &db).output().unwrap()
    };
    let bogus = run(&["--fault", "bogus"]);
    assert_eq!(bogus.status.code(), Some(2));
    let message = String::from_utf8_lossy(&bogus.stderr);
    assert!(message.contains("stale-loop"), "{message}");

    let unpaired = run(&[
        "--user",
        "a",
        "--user",
        "b",
        "--password-env",
        "SIM_PASSWORD",
    ]);
    assert_eq!(unpaired.status.code(), Some(1));
    let message = String::from_utf8_lossy(&unpaired.stderr);
    assert!(
        message.contains("each --user needs its --password-env"),
        "{message}"
    );

    let missing = run(&[
        "--user",
        "a",
        "--password-env",
        "PROVDESK_TEST_UNSET_VARIABLE",
    ]);
    assert_eq!(missing.status.code(), Some(1));
    let message = String::from_utf8_lossy(&missing.stderr);
    assert!(
        message.contains("PROVDESK_TEST_UNSET_VARIABLE"),
        "{message}"
    );
    assert!(!db.exists());
}

#[test]
fn tls_without_files_uses_the_test_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (child, stdout, url) = start(
        &[
            "simulate",
            "provisioning",
            "--bind",
            "127.0.0.1:0",
            "--tls",
            "--fault",
            "server-error",
        ],
        &dir.path().join("never.db"),
    );
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = runtime.block_on(async {
        sim::get(&sim::client(), &format!("{url}x.xml"), None)
            .await
            .status()
    });
    assert_eq!(
        status, 500,
        "TLS verified against the test CA, then the fault"
    );
    let (stopped_cleanly, printed) = cli::interrupt(child, stdout);
    assert!(stopped_cleanly);
    assert!(printed.contains("fault: server-error"), "{printed}");
}
