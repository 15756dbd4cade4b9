//! `provdesk fetch` against servers that answer badly or with hostile content, and with input
//! it cannot send: a reply that is not HTTP says so (not "could not be reached"), as does a
//! server that hangs up without answering (a suspected lockout after refused credentials), a
//! request that cannot be built says so without echoing a 64 KB URL, a firmware with a line
//! break and a HAR path that is a folder are refused before anything is sent, a redirect's URL
//! password is masked, and a body's escape sequences never reach the terminal.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use provdesk::secret::MASK;

/// A loopback server that answers every request with `reply` and closes; the counter says how
/// many request heads it read.
fn canned(reply: &'static [u8]) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut head = Vec::new();
            let mut buffer = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buffer[..n]),
                }
            }
            if head.windows(4).any(|w| w == b"\r\n\r\n") {
                counter.fetch_add(1, Ordering::SeqCst);
                let _ = stream.write_all(reply);
            }
        }
    });
    (format!("http://{address}/cfg/x.xml"), requests)
}

/// A loopback server that accepts every connection and drops it with the request unread,
/// which resets the connection ("connection reset by peer" rather than a clean close).
fn hang_up() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            std::thread::sleep(std::time::Duration::from_millis(200));
            drop(stream);
        }
    });
    format!("http://{address}/cfg/x.xml")
}

/// A loopback server that refuses the first `refusals` requests with a digest challenge, then
/// reads each request and closes the connection without an answer, as a server that has just
/// blocked the address may.
fn refuses_then_hangs_up(refusals: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for (index, mut stream) in listener.incoming().flatten().enumerate() {
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            if index < refusals {
                let _ = stream.write_all(
                    b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"prov\", nonce=\"n1\", qop=\"auth\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        }
    });
    format!("http://{address}/cfg/x.xml")
}

fn provdesk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(dir.join("never-created.db"))
        .args(args)
        .env_remove("PROVDESK_DB")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn main_code(output: &Output) -> String {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&output.stdout)));
    report["diagnosis"][0]["code"].as_str().unwrap().to_string()
}

#[test]
fn an_answer_that_is_not_http_is_a_protocol_error() {
    let dir = tempfile::tempdir().unwrap();
    let replies: [&'static [u8]; 2] = [
        b"HTTP/1.1 200 OK\r\nBad Header\x01: x\r\nContent-Length: 0\r\n\r\n",
        b"SSH-2.0-OpenSSH_9.6\r\n",
    ];
    for reply in replies {
        let (url, _) = canned(reply);
        let json = provdesk(dir.path(), &["fetch", &url, "--json"]);
        assert_eq!(main_code(&json), "protocol_error", "{}", text(&json.stdout));
        let live = text(&provdesk(dir.path(), &["fetch", &url]).stdout);
        assert!(live.contains("answered, but not with valid HTTP"), "{live}");
        assert!(!live.contains("could not be reached"), "{live}");
    }
}

/// hyper's "connection closed before message completed": the server was reached and hung up,
/// so "could not be reached" would send the user to check the host, port and route for nothing.
#[test]
fn a_server_that_hangs_up_unanswered_is_not_a_connection_failure() {
    let dir = tempfile::tempdir().unwrap();
    let (after_the_request, _) = canned(b"");
    for url in [after_the_request, hang_up()] {
        let json = provdesk(dir.path(), &["fetch", &url, "--json"]);
        assert_eq!(
            main_code(&json),
            "connection_closed",
            "{}",
            text(&json.stdout)
        );
        let live = text(&provdesk(dir.path(), &["fetch", &url]).stdout);
        assert!(live.contains("closed the connection"), "{live}");
        assert!(!live.contains("could not be reached"), "{live}");
    }
}

/// A hang-up right after refused credentials is what fail2ban and the nginx digest module do
/// to an address they block: a suspected lockout, not an unexplained closed connection.
#[test]
fn a_hang_up_after_refused_credentials_is_a_suspected_lockout() {
    let dir = tempfile::tempdir().unwrap();
    let url = refuses_then_hangs_up(2);
    let json = Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(dir.path().join("never-created.db"))
        .args([
            "fetch",
            &url,
            "--mac",
            "7C2F80820EC0",
            "--mac-password-env",
            "MP",
        ])
        .args(["--user", "prov", "--password-env", "PW", "--json"])
        .env("MP", "123456789012")
        .env("PW", "wrong")
        .env_remove("PROVDESK_DB")
        .output()
        .unwrap();
    assert_eq!(
        main_code(&json),
        "lockout_suspected",
        "{}",
        text(&json.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let message = report["diagnosis"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("closed the connection without answering"),
        "{message}"
    );
}

#[test]
fn a_url_too_long_to_send_is_refused_briefly_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (base, requests) = canned(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    let url = format!("{base}?{}", "a".repeat(70 * 1024));
    for args in [
        vec!["fetch", url.as_str(), "--json"],
        vec!["fetch", url.as_str()],
    ] {
        let refused = provdesk(dir.path(), &args);
        assert_eq!(refused.status.code(), Some(1));
        let error = text(&refused.stderr);
        assert!(error.contains("provdesk keeps at most 2048"), "{error}");
        assert!(error.len() < 1024, "not echoed: {} bytes", error.len());
    }
    assert_eq!(requests.load(Ordering::SeqCst), 0, "nothing was sent");
}

#[test]
fn a_firmware_with_a_line_break_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (url, requests) = canned(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    let refused = provdesk(
        dir.path(),
        &["fetch", &url, "--firmware", "42.245\r\nX-Injected: 1"],
    );
    assert_eq!(refused.status.code(), Some(1));
    let error = text(&refused.stderr);
    assert!(
        error.contains("control character") && error.contains(r"42.245\r\nX-Injected: 1"),
        "{error}"
    );
    assert!(!error.contains("panicked"), "{error}");
    assert_eq!(requests.load(Ordering::SeqCst), 0, "nothing was sent");
}

#[test]
fn a_password_in_a_redirect_location_is_masked_unless_revealed() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _) = canned(
        b"HTTP/1.1 302 Found\r\nLocation: http://admin:leakpw@127.0.0.1:1/x\r\nContent-Location: http://u:leakpw2@127.0.0.1:1/y\r\nContent-Length: 0\r\n\r\n",
    );
    let har = dir.path().join("fetch.har");
    let live = provdesk(dir.path(), &["fetch", &url, "--har", har.to_str().unwrap()]);
    let out = text(&live.stdout);
    assert!(
        out.contains(&format!("location: http://admin:{MASK}@127.0.0.1:1/x")),
        "{out}"
    );
    assert!(!out.contains("leakpw"), "{out}");
    let saved = std::fs::read_to_string(&har).unwrap();
    assert!(!saved.contains("leakpw"), "{saved}");
    let json = text(&provdesk(dir.path(), &["fetch", &url, "--json"]).stdout);
    assert!(!json.contains("leakpw"), "{json}");

    let revealed = text(&provdesk(dir.path(), &["fetch", &url, "--reveal-secrets"]).stdout);
    assert!(
        revealed.contains("location: http://admin:leakpw@127.0.0.1:1/x"),
        "{revealed}"
    );
}

#[test]
fn a_body_cannot_drive_the_terminal_but_the_har_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _) = canned(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nA\x1b[2J\x1b]0;pwned\x07B\r\n\tC\nD\n\n\n\n\n",
    );
    let har = dir.path().join("fetch.har");
    let live = provdesk(
        dir.path(),
        &[
            "fetch",
            &url,
            "--har",
            har.to_str().unwrap(),
            "--har-bodies",
        ],
    );
    assert!(live.status.success(), "{}", text(&live.stderr));
    let out = text(&live.stdout);
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\r'),
        "{out:?}"
    );
    assert!(out.contains(r"A\u{1b}[2J\u{1b}]0;pwned\u{7}B"), "{out}");
    assert!(out.contains("\tC"), "tabs are kept: {out:?}");
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&har).unwrap()).unwrap();
    let body = document["log"]["entries"][0]["response"]["content"]["text"]
        .as_str()
        .unwrap();
    assert!(
        body.starts_with("A\u{1b}[2J\u{1b}]0;pwned\u{7}B"),
        "{body:?}"
    );
}

#[test]
fn a_har_path_that_cannot_be_written_is_refused_before_fetching() {
    let dir = tempfile::tempdir().unwrap();
    let (url, requests) = canned(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    let folder = provdesk(
        dir.path(),
        &["fetch", &url, "--har", dir.path().to_str().unwrap()],
    );
    assert_eq!(folder.status.code(), Some(1));
    let error = text(&folder.stderr);
    assert!(error.contains("is a folder"), "{error}");
    let missing = dir.path().join("no-such-folder").join("fetch.har");
    let parent = provdesk(
        dir.path(),
        &["fetch", &url, "--har", missing.to_str().unwrap()],
    );
    assert_eq!(parent.status.code(), Some(1));
    assert!(text(&parent.stderr).contains("does not exist"));
    assert!(text(&folder.stdout).is_empty() && text(&parent.stdout).is_empty());
    assert_eq!(requests.load(Ordering::SeqCst), 0, "nothing was fetched");
}

/// `--har` given an inventory's path (here one this command does not open: any SQLite
/// database) is refused before anything is sent, and the database stays as it was.
#[test]
fn a_har_over_an_sqlite_database_is_refused_before_fetching() {
    let dir = tempfile::tempdir().unwrap();
    let (url, requests) = canned(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    let db = dir.path().join("inventory.sqlite3");
    drop(provdesk::inventory::Inventory::open(&db).unwrap());
    let before = std::fs::read(&db).unwrap();
    let refused = provdesk(dir.path(), &["fetch", &url, "--har", db.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let error = text(&refused.stderr);
    assert!(
        error.contains(&format!("cannot write {}: ", db.display()))
            && error.contains("SQLite database")
            && error.contains("choose another file name"),
        "{error}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(requests.load(Ordering::SeqCst), 0, "nothing was fetched");
}
