//! Proves the real-server harness (`tests/support/servers.rs`) with curl, an HTTP client nobody
//! here wrote: each server serves its files to the right password only, guards every path, and
//! sends the challenge the test fetch will have to answer. The challenges are pinned exactly
//! (nonce masked), so a server update that changes them shows up here first.
//!
//! Ignored by default: they need lighttpd, Apache and curl. `.ci/run` installs them and runs
//! `cargo test --test integration interop_ -- --include-ignored`; add `--nocapture` to see the headers.

use crate::support::servers;

use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output};

use servers::{
    DigestUser, RealServer, apache, htdigest_line, lighttpd, lighttpd_htdigest, md5_hex,
};

const REALM: &str = "provdesk test";
/// A password with a blank and a colon: both servers' user files and curl's `-u` split at the
/// first colon only.
const USER: DigestUser = DigestUser {
    name: "provision",
    password: "s3cret pass:word",
};
/// A provisioning file in a subdirectory, as phones fetch them.
const FILE: &str = "cfg/N510.xml";
const CONTENT: &[u8] = b"<?xml version=\"1.0\"?>\n<ProviderFrame/>\n";

/// Runs curl with `args`.
fn curl(args: &[&str]) -> Output {
    Command::new("curl")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run curl ({e}): install curl (apt-get install -y curl)"))
}

/// GETs `url` with curl's digest as `user:password`: the status and the body.
fn digest_get(url: &str, user: &str, password: &str) -> (u16, Vec<u8>) {
    let credentials = format!("{user}:{password}");
    let output = curl(&[
        "-s",
        "--digest",
        "-u",
        &credentials,
        "-w",
        "%{stderr}%{http_code}",
        url,
    ]);
    (status_from(&output), output.stdout)
}

/// GETs `url` with a ready-made `Authorization` header and nothing else: the status.
fn get_with_authorization(url: &str, authorization: &str) -> u16 {
    let header = format!("Authorization: {authorization}");
    status_from(&curl(&[
        "-s",
        "-o",
        "/dev/null",
        "-H",
        &header,
        "-w",
        "%{stderr}%{http_code}",
        url,
    ]))
}

/// The status curl wrote with `-w '%{stderr}%{http_code}'`.
fn status_from(output: &Output) -> u16 {
    let text = String::from_utf8_lossy(&output.stderr);
    text.trim()
        .parse()
        .unwrap_or_else(|_| panic!("curl printed no status: {text:?}"))
}

/// GETs `url` without credentials: the status line and every `WWW-Authenticate` value.
fn challenge(url: &str) -> (String, Vec<String>) {
    let output = curl(&["-s", "-o", "/dev/null", "-D", "-", url]);
    let head = String::from_utf8(output.stdout).expect("response head is text");
    let status_line = head.lines().next().unwrap_or_default().trim().to_string();
    let challenges = head
        .lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("www-authenticate")
                .then(|| value.trim().to_string())
        })
        .collect();
    (status_line, challenges)
}

/// The quoted value of `name` in a challenge.
fn param<'a>(challenge: &'a str, name: &str) -> &'a str {
    let start = challenge
        .find(&format!("{name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {challenge}"))
        + name.len()
        + 2;
    let len = challenge[start..].find('"').expect("closing quote");
    &challenge[start..start + len]
}

/// The challenge with its nonce replaced by `…`, to compare the rest exactly.
fn masked(challenge: &str) -> String {
    challenge.replacen(param(challenge, "nonce"), "…", 1)
}

fn is_lower_hex(text: &str, len: usize) -> bool {
    text.len() == len
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// lighttpd's nonce: the issue time as 8 hex digits, a colon, then a hash in the hex length of
/// the challenge's algorithm.
fn assert_lighttpd_nonce(nonce: &str, hash_hex_len: usize) {
    let (time, hash) = nonce.split_once(':').expect("time:hash");
    assert!(
        is_lower_hex(time, 8) && is_lower_hex(hash, hash_hex_len),
        "{nonce}"
    );
}

/// Right password → 200 and the file; wrong password, unknown user → 401; no credentials →
/// 401 on every path, even one with no file behind it.
fn assert_guards_its_files(server: &RealServer) {
    let url = server.url(FILE);
    let log = || server.error_log();
    assert_eq!(
        digest_get(&url, USER.name, USER.password),
        (200, CONTENT.to_vec()),
        "{}",
        log()
    );
    assert_eq!(digest_get(&url, USER.name, "wrong").0, 401, "{}", log());
    assert_eq!(
        digest_get(&url, "nobody", USER.password).0,
        401,
        "{}",
        log()
    );
    let missing = server.url("cfg/missing.xml");
    assert_eq!(
        digest_get(&missing, USER.name, USER.password).0,
        404,
        "{}",
        log()
    );
    for path in [FILE, "cfg/missing.xml", "/"] {
        let (status_line, _) = challenge(&server.url(path));
        assert!(
            status_line.starts_with("HTTP/1.1 401"),
            "{path}: {status_line}"
        );
    }
}

/// The one challenge `url` answers with, printed for the record.
fn only_challenge(server: &str, url: &str) -> String {
    let (status_line, challenges) = challenge(url);
    for challenge in &challenges {
        println!("{server}: {status_line} / WWW-Authenticate: {challenge}");
    }
    assert_eq!(challenges.len(), 1, "{challenges:?}");
    challenges.into_iter().next().unwrap()
}

#[test]
#[ignore = "needs lighttpd and curl; .ci/run installs them"]
fn lighttpd_md5_serves_the_right_password_only() {
    let server = lighttpd("MD5", REALM, &[USER], &[(FILE, CONTENT)]);
    assert_guards_its_files(&server);
    let challenge = only_challenge("lighttpd MD5", &server.url(FILE));
    assert_eq!(
        masked(&challenge),
        r#"Digest realm="provdesk test", charset="UTF-8", algorithm=MD5, nonce="…", qop="auth""#
    );
    assert_lighttpd_nonce(param(&challenge, "nonce"), 32);
}

#[test]
#[ignore = "needs lighttpd and curl; .ci/run installs them"]
fn lighttpd_sha256_serves_the_right_password_only() {
    let server = lighttpd("SHA-256", REALM, &[USER], &[(FILE, CONTENT)]);
    assert_guards_its_files(&server);
    let challenge = only_challenge("lighttpd SHA-256", &server.url(FILE));
    assert_eq!(
        masked(&challenge),
        r#"Digest realm="provdesk test", charset="UTF-8", algorithm=SHA-256, nonce="…", qop="auth""#
    );
    assert_lighttpd_nonce(param(&challenge, "nonce"), 64);
}

/// With several algorithms lighttpd sends one header per algorithm, strongest first whatever
/// order the configuration names them in, each with its own nonce; curl takes the first.
#[test]
#[ignore = "needs lighttpd and curl; .ci/run installs them"]
fn lighttpd_offers_each_algorithm_strongest_first() {
    let server = lighttpd("MD5|SHA-256", REALM, &[USER], &[(FILE, CONTENT)]);
    assert_guards_its_files(&server);
    let (status_line, challenges) = challenge(&server.url(FILE));
    for challenge in &challenges {
        println!("lighttpd MD5|SHA-256: {status_line} / WWW-Authenticate: {challenge}");
    }
    let masked: Vec<String> = challenges.iter().map(|c| masked(c)).collect();
    assert_eq!(
        masked,
        [
            r#"Digest realm="provdesk test", charset="UTF-8", algorithm=SHA-256, nonce="…", qop="auth""#,
            r#"Digest realm="provdesk test", charset="UTF-8", algorithm=MD5, nonce="…", qop="auth""#,
        ]
    );
    assert_lighttpd_nonce(param(&challenges[0], "nonce"), 64);
    assert_lighttpd_nonce(param(&challenges[1], "nonce"), 32);
}

#[test]
#[ignore = "needs lighttpd and curl; .ci/run installs them"]
fn lighttpd_serves_with_a_given_htdigest_file() {
    let dir = tempfile::tempdir().unwrap();
    let htdigest = dir.path().join("users.htdigest");
    std::fs::write(&htdigest, htdigest_line(USER.name, REALM, USER.password)).unwrap();
    let server = lighttpd_htdigest(REALM, &htdigest, &[(FILE, CONTENT)]);
    assert_guards_its_files(&server);
    let challenge = only_challenge("lighttpd htdigest", &server.url(FILE));
    assert_eq!(
        masked(&challenge),
        r#"Digest realm="provdesk test", charset="UTF-8", algorithm=MD5, nonce="…", qop="auth""#
    );
}

#[test]
#[ignore = "needs Apache and curl; .ci/run installs them"]
fn apache_serves_the_right_password_only() {
    let server = apache(REALM, &[USER], &[(FILE, CONTENT)]);
    assert_guards_its_files(&server);
    let challenge = only_challenge("Apache", &server.url(FILE));
    assert_eq!(
        masked(&challenge),
        r#"Digest realm="provdesk test", nonce="…", algorithm=MD5, qop="auth""#
    );
    // Apache's nonce: the issue time, base64 of 8 bytes (12 characters, `=`-padded), then a
    // SHA-1 hex of time, realm and server secret.
    let nonce = param(&challenge, "nonce");
    let (time, hash) = nonce.split_at(12);
    assert!(
        time.ends_with('=') && is_lower_hex(hash, 40),
        "Apache nonce {nonce}"
    );
}

/// The `uri` in the header must be the request-target: a digest computed for another path is a
/// malformed request (400), not a wrong password (401), on both servers. The same header with
/// the right `uri` gets 200, so the 400 is the mismatch and not a miscomputed digest.
#[test]
#[ignore = "needs lighttpd, Apache and curl; .ci/run installs them"]
fn a_digest_for_another_uri_is_a_bad_request() {
    for (name, server) in [
        (
            "lighttpd",
            lighttpd("MD5", REALM, &[USER], &[(FILE, CONTENT)]),
        ),
        ("Apache", apache(REALM, &[USER], &[(FILE, CONTENT)])),
    ] {
        let url = server.url(FILE);
        let (_, challenges) = challenge(&url);
        let nonce = param(&challenges[0], "nonce").to_string();
        let authorization = |uri: &str, nc: &str| {
            let cnonce = "0a4f113b";
            let ha1 = md5_hex(&format!("{}:{REALM}:{}", USER.name, USER.password));
            let ha2 = md5_hex(&format!("GET:{uri}"));
            let response = md5_hex(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"));
            format!(
                r#"Digest username="{}", realm="{REALM}", nonce="{nonce}", uri="{uri}", algorithm=MD5, response="{response}", qop=auth, nc={nc}, cnonce="{cnonce}""#,
                USER.name
            )
        };
        let target = format!("/{FILE}");
        assert_eq!(
            get_with_authorization(&url, &authorization(&target, "00000001")),
            200,
            "{name}: {}",
            server.error_log()
        );
        assert_eq!(
            get_with_authorization(&url, &authorization("/cfg/other.xml", "00000002")),
            400,
            "{name}: {}",
            server.error_log()
        );
    }
}

/// Dropping a server ends its process and frees its port, so a failing test leaves nothing
/// running.
#[test]
#[ignore = "needs lighttpd and Apache; .ci/run installs them"]
fn dropping_a_server_ends_it() {
    for server in [
        lighttpd("MD5", REALM, &[USER], &[]),
        apache(REALM, &[USER], &[]),
    ] {
        let pid = server.pid();
        let address = server.base_url().trim_start_matches("http://").to_string();
        assert!(TcpStream::connect(&address).is_ok());
        drop(server);
        assert!(
            !Path::new(&format!("/proc/{pid}")).exists(),
            "{pid} lives on"
        );
        assert!(
            TcpStream::connect(&address).is_err(),
            "{address} still open"
        );
    }
}
