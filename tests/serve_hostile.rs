//! `provdesk serve` against what anyone on the customer's LAN can send it, over real sockets
//! against the real server. Each test asserts what the server answered and what its live log
//! says, never how long it took: the read guards only keep a broken server from hanging the run.

use crate::support::sim::answer_with;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use provdesk::device::{Mac, MacPassword, NewDevice, find_model};
use provdesk::digest::{Algorithm, DigestChallenge, parse_challenges};
use provdesk::inventory::Inventory;
use provdesk::serve::{
    CONNECTIONS_PER_CLIENT, PhoneBook, Refusal, RunningServer, ServeConfig, ServeEvent,
    TlsIdentity, TlsSource, Verdict, start,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

const MAC: &str = "7C2F80820EC0";
const MAC_PASSWORD: &str = "2EE3EECC82C4";
const OTHER: &str = "7C2F80820EC1";
const OTHER_PASSWORD: &str = "93D1A0B2C3E4";
/// A second loopback address, so the server sees the attacker apart from the phone.
const ATTACKER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
/// Long enough for any answer on loopback; only a server that never answers reaches it.
const GUARD: Duration = Duration::from_secs(60);

/// Two N510s, each with its own MAC password.
fn bench(db: &Path) {
    let devices: Vec<NewDevice> = [(MAC, MAC_PASSWORD), (OTHER, OTHER_PASSWORD)]
        .into_iter()
        .map(|(mac, password)| {
            let mut device = NewDevice::with_mac(Mac::parse(mac).unwrap());
            device.model = find_model("N510");
            device.mac_password = Some(MacPassword::parse(password).unwrap());
            device
        })
        .collect();
    Inventory::open(db).unwrap().add_devices(&devices).unwrap();
}

async fn serving(config: ServeConfig) -> (tempfile::TempDir, RunningServer) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    bench(&db);
    let server = start(&db, "127.0.0.1:0".parse().unwrap(), config)
        .await
        .expect("the server starts");
    (dir, server)
}

async fn connect_from(from: Ipv4Addr, addr: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(IpAddr::V4(from), 0)).unwrap();
    socket.connect(addr).await.unwrap()
}

/// Sends `request` and reads what comes back until the server closes the connection.
async fn exchange(stream: &mut TcpStream, request: &[u8]) -> String {
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(GUARD, stream.read_to_end(&mut answer))
        .await
        .expect("the server closes the connection");
    String::from_utf8_lossy(&answer).into_owned()
}

fn get(path: &str, authorization: Option<&str>) -> Vec<u8> {
    let authorization = authorization
        .map(|value| format!("Authorization: {value}\r\n"))
        .unwrap_or_default();
    format!("GET {path} HTTP/1.1\r\nHost: phone\r\n{authorization}Connection: close\r\n\r\n")
        .into_bytes()
}

fn status(answer: &str) -> u16 {
    answer
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP answer: {answer:?}"))
}

/// The `Authorization` answering the first digest challenge of a `401` answer.
fn answer_to(challenged: &str, user: &str, password: &str, uri: &str) -> String {
    let header = challenged
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("www-authenticate")
                .then(|| value.trim())
        })
        .unwrap_or_else(|| panic!("no challenge in {challenged:?}"));
    let challenge = DigestChallenge::from_challenge(&parse_challenges(header).unwrap()[0]).unwrap();
    answer_with(&challenge, Algorithm::Md5, user, password, uri)
}

/// A phone's two requests from `from`: none, then the answer as `user`; the second's status.
async fn digest_get(addr: SocketAddr, from: Ipv4Addr, mac: &str, user: &str, pw: &str) -> u16 {
    let path = format!("/{mac}.xml");
    let challenged = exchange(&mut connect_from(from, addr).await, &get(&path, None)).await;
    if status(&challenged) != 401 {
        return status(&challenged);
    }
    let authorization = answer_to(&challenged, user, pw, &path);
    let answered = exchange(
        &mut connect_from(from, addr).await,
        &get(&path, Some(&authorization)),
    )
    .await;
    status(&answered)
}

fn events(server: &mut RunningServer) -> Vec<ServeEvent> {
    std::iter::from_fn(|| server.try_event()).collect()
}

#[tokio::test]
async fn a_mac_user_in_another_case_with_the_right_mac_password_is_served() {
    let (_dir, mut server) = serving(ServeConfig::default()).await;
    let user = MAC.to_ascii_lowercase();
    let got = digest_get(server.addr(), Ipv4Addr::LOCALHOST, MAC, &user, MAC_PASSWORD).await;
    let seen = events(&mut server);
    assert_eq!(got, 200, "{:?}", seen.last().map(ServeEvent::line));
}

#[tokio::test]
async fn an_unreadable_digest_answer_names_the_authorization_header_and_is_quoted_briefly() {
    let (_dir, mut server) = serving(ServeConfig::default()).await;
    let path = format!("/{MAC}.xml");
    let unterminated = format!(r#"Digest username="{MAC}, realm="provdesk"#);
    let huge_qop = format!(
        r#"Digest username="{MAC}", realm="provdesk", nonce="n", uri="{path}", response="r", qop={}, nc=00000001, cnonce="c""#,
        "x".repeat(20_000)
    );
    for authorization in [&unterminated, &huge_qop] {
        let mut stream = connect_from(Ipv4Addr::LOCALHOST, server.addr()).await;
        let answer = exchange(&mut stream, &get(&path, Some(authorization))).await;
        assert_eq!(status(&answer), 400);
    }
    let seen = events(&mut server);
    let lines: Vec<String> = seen.iter().map(ServeEvent::line).collect();
    assert!(lines[0].contains("Authorization header"), "{}", lines[0]);
    assert!(!lines[0].contains("WWW-Authenticate"), "{}", lines[0]);
    assert!(lines[1].len() < 1000, "{} characters", lines[1].len());
}

#[tokio::test]
async fn one_address_cannot_hold_more_than_its_share_of_connections() {
    let (_dir, mut server) = serving(ServeConfig::default()).await;
    let addr = server.addr();
    let path = format!("/{MAC}.xml");
    let mut held = Vec::new();
    for _ in 0..CONNECTIONS_PER_CLIENT {
        held.push(connect_from(ATTACKER, addr).await);
    }
    let one_more = exchange(&mut connect_from(ATTACKER, addr).await, &get(&path, None)).await;
    assert!(
        one_more.is_empty(),
        "a connection beyond the cap is closed unanswered: {one_more:?}"
    );
    let phone = exchange(
        &mut connect_from(Ipv4Addr::LOCALHOST, addr).await,
        &get(&path, None),
    )
    .await;
    assert_eq!(status(&phone), 401, "a phone elsewhere is still answered");
    let seen = events(&mut server);
    let refused = seen
        .iter()
        .find(|event| event.client.ip() == IpAddr::V4(ATTACKER))
        .expect("the closed connection is logged");
    assert!(
        refused.line().contains(&format!(
            "{CONNECTIONS_PER_CLIENT} connections open from this address already"
        )),
        "{}",
        refused.line()
    );
    drop(held);
}

fn tls_config(dir: &Path) -> ServeConfig {
    let identity = TlsIdentity::load(
        &TlsSource::SelfSigned {
            dir: dir.to_path_buf(),
        },
        &[],
    )
    .unwrap();
    ServeConfig {
        tls: Some(identity),
        ..ServeConfig::default()
    }
}

#[tokio::test]
async fn a_connection_that_never_starts_its_tls_handshake_is_closed() {
    let certs = tempfile::tempdir().unwrap();
    let (_dir, server) = serving(tls_config(certs.path())).await;
    let mut idle = connect_from(Ipv4Addr::LOCALHOST, server.addr()).await;
    let mut byte = [0u8; 1];
    let read = tokio::time::timeout(GUARD, idle.read(&mut byte)).await;
    assert!(
        matches!(read, Ok(Ok(0) | Err(_))),
        "the server closes it rather than hold a connection slot for ever: {read:?}"
    );
}

/// The start of a TLS ClientHello: a handshake record, TLS 1.0 record version.
const CLIENT_HELLO: &[u8] = b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03";

#[tokio::test]
async fn tls_to_the_plain_port_and_garbage_are_named_in_the_log() {
    let (_dir, mut server) = serving(ServeConfig::default()).await;
    let addr = server.addr();
    exchange(
        &mut connect_from(Ipv4Addr::LOCALHOST, addr).await,
        CLIENT_HELLO,
    )
    .await;
    let garbage = exchange(
        &mut connect_from(Ipv4Addr::LOCALHOST, addr).await,
        b"\x01\x02 hello there\r\n\r\n",
    )
    .await;
    assert_eq!(status(&garbage), 400);
    let lines: Vec<String> = events(&mut server).iter().map(ServeEvent::line).collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines[0].contains("TLS handshake"), "{}", lines[0]);
    assert!(lines[0].contains("https://"), "{}", lines[0]);
    assert!(
        lines[0].contains(" (no HTTP request) — 0B "),
        "no status 0, no '- -': {}",
        lines[0]
    );
    assert!(lines[1].contains("not an HTTP request"), "{}", lines[1]);
    assert!(lines[1].contains("invalid HTTP method"), "{}", lines[1]);
}

#[tokio::test]
async fn plain_http_to_the_tls_port_is_named_in_the_log() {
    let certs = tempfile::tempdir().unwrap();
    let (_dir, mut server) = serving(tls_config(certs.path())).await;
    let path = format!("/{MAC}.xml");
    let mut stream = connect_from(Ipv4Addr::LOCALHOST, server.addr()).await;
    exchange(&mut stream, &get(&path, None)).await;
    let mut broken = connect_from(Ipv4Addr::LOCALHOST, server.addr()).await;
    // A whole handshake record whose five bytes are no ClientHello.
    exchange(&mut broken, b"\x16\x03\x01\x00\x05hello").await;
    let seen = events(&mut server);
    assert_eq!(seen.len(), 2, "{seen:#?}");
    let line = seen[0].line();
    assert!(line.contains("plain HTTP"), "{line}");
    assert!(line.contains("http://"), "{line}");
    let line = seen[1].line();
    assert!(line.contains("TLS handshake failed: "), "{line}");
}

#[tokio::test]
async fn another_method_is_told_which_one_is_allowed() {
    let (_dir, mut server) = serving(ServeConfig::default()).await;
    let request = format!(
        "POST /{MAC}.xml HTTP/1.1\r\nHost: phone\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
    );
    let answer = exchange(
        &mut connect_from(Ipv4Addr::LOCALHOST, server.addr()).await,
        request.as_bytes(),
    )
    .await;
    assert_eq!(status(&answer), 405);
    assert!(
        answer.to_ascii_lowercase().contains("\r\nallow: get\r\n"),
        "{answer}"
    );
    assert_eq!(events(&mut server)[0].verdict, Verdict::MethodNotAllowed);
}

#[tokio::test]
async fn an_attackers_own_phone_does_not_clear_its_count_against_another_device() {
    let config = ServeConfig {
        lockout_after: Some(3),
        ..ServeConfig::default()
    };
    let (_dir, mut server) = serving(config).await;
    let addr = server.addr();
    let guess = |n: u32| format!("{n:012}");
    for n in 0..2 {
        let got = digest_get(addr, ATTACKER, OTHER, OTHER, &guess(n)).await;
        assert_eq!(got, 401);
    }
    let own = digest_get(addr, ATTACKER, MAC, MAC, MAC_PASSWORD).await;
    assert_eq!(own, 200, "the attacker's own phone is served");
    let third = digest_get(addr, ATTACKER, OTHER, OTHER, &guess(3)).await;
    assert_eq!(third, 401);
    let after = digest_get(addr, ATTACKER, OTHER, OTHER, &guess(4)).await;
    let seen = events(&mut server);
    assert_eq!(
        after,
        403,
        "three wrong answers for {OTHER} lock the address out: {:#?}",
        seen.iter().map(ServeEvent::line).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_brute_force_from_one_address_does_not_lock_out_another() {
    let config = ServeConfig {
        lockout_after: Some(2),
        ..ServeConfig::default()
    };
    let (_dir, server) = serving(config).await;
    let addr = server.addr();
    for n in 0..3 {
        digest_get(addr, ATTACKER, MAC, MAC, &format!("{n:012}")).await;
    }
    let locked = digest_get(addr, ATTACKER, MAC, MAC, MAC_PASSWORD).await;
    assert_eq!(locked, 403, "the attacker is locked out");
    let phone = digest_get(addr, Ipv4Addr::LOCALHOST, MAC, MAC, MAC_PASSWORD).await;
    assert_eq!(phone, 200, "the phone at another address is served");
}

fn unknown_device_event(n: u32) -> ServeEvent {
    let device = format!("7C2F81{n:06X}");
    ServeEvent {
        at: "2026-12-06T12:00:00.000Z".into(),
        client: "192.168.1.31:5060".parse().unwrap(),
        method: "GET".into(),
        target: format!("/{device}.xml"),
        device: Some(device.clone()),
        model: None,
        firmware: None,
        user: None,
        verdict: Verdict::UnknownDevice { mac: device },
        status: 404,
        bytes: 14,
        millis: 0,
        note: None,
    }
}

#[test]
fn invented_macs_do_not_grow_the_phone_table_without_bound() {
    let mut book = PhoneBook::default();
    let mut known = unknown_device_event(0);
    known.device = Some(MAC.into());
    known.verdict = Verdict::Served {
        credential: provdesk::serve::Credential::MacPassword,
    };
    book.record(&known);
    for n in 1..=20_000 {
        book.record(&unknown_device_event(n));
    }
    let rows = book.phones().count();
    assert!(rows <= 1_100, "{rows} rows kept");
    assert!(
        book.phones().any(|phone| phone.device == MAC),
        "the served phone keeps its row"
    );
    assert!(
        book.phones()
            .any(|phone| phone.device == unknown_device_event(20_000).device.unwrap()),
        "the newest stranger is shown"
    );
}

#[tokio::test]
async fn an_answer_with_a_name_beyond_ascii_is_judged_not_taken_for_no_credentials() {
    let (_dir, mut server) = serving(ServeConfig::default()).await;
    let path = format!("/{MAC}.xml");
    let authorization = format!(
        r#"Digest username="Jäsøn", realm="provdesk", nonce="n", uri="{path}", response="0""#
    );
    let answer = exchange(
        &mut connect_from(Ipv4Addr::LOCALHOST, server.addr()).await,
        &get(&path, Some(&authorization)),
    )
    .await;
    assert_eq!(status(&answer), 401);
    let seen = events(&mut server);
    assert_eq!(
        seen[0].verdict,
        Verdict::Refused {
            refusal: Refusal::UnknownUser {
                user: "Jäsøn".into()
            }
        },
        "{}",
        seen[0].line()
    );
}

#[tokio::test]
async fn a_phone_that_half_closes_after_its_request_still_gets_the_answer() {
    let (_dir, mut server) = serving(ServeConfig::default()).await;
    let mut stream = connect_from(Ipv4Addr::LOCALHOST, server.addr()).await;
    stream
        .write_all(format!("GET /{MAC}.xml HTTP/1.1\r\nHost: phone\r\n\r\n").as_bytes())
        .await
        .unwrap();
    stream.shutdown().await.unwrap();
    let answer = exchange(&mut stream, b"").await;
    let seen = events(&mut server);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer:?}: {seen:#?}");
    assert_eq!(seen.len(), 1);
}
/// Odd requests a scanner, a broken client or an attacker sends, each with the status it must
/// get and the verdict the live log must show.
fn odd_requests() -> Vec<(String, Vec<u8>, u16, &'static str)> {
    let path = format!("/{MAC}.xml");
    let digest = |fields: &str| format!("Authorization: Digest {fields}\r\n");
    let request = |line: &str, headers: &str| {
        format!("{line}\r\nHost: phone\r\n{headers}Connection: close\r\n\r\n").into_bytes()
    };
    let answer = |user: &str, realm: &str, uri: &str, extra: &str| {
        digest(&format!(
            r#"username="{user}", realm="{realm}", nonce="n", uri="{uri}", response="00000000000000000000000000000000"{extra}"#
        ))
    };
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "traversal",
            request("GET /../../etc/passwd HTTP/1.1", ""),
            404,
            "no_device",
        ),
        (
            "encoded traversal",
            request(&format!("GET /..%2f..%2f{MAC}.xml HTTP/1.1"), ""),
            404,
            "no_device",
        ),
        (
            "NUL",
            request(&format!("GET /{MAC}.xml%00.txt HTTP/1.1"), ""),
            404,
            "no_device",
        ),
        (
            "overlong UTF-8",
            request("GET /%C0%AE%C0%AE%C0%AF HTTP/1.1", ""),
            404,
            "no_device",
        ),
        (
            "backslash",
            request(&format!("GET \\{MAC}.xml HTTP/1.1"), ""),
            400,
            "not_http",
        ),
        (
            "query",
            request(&format!("GET {path}?a=../../x HTTP/1.1"), ""),
            401,
            "no_credentials",
        ),
        (
            "long line",
            request(&format!("GET /{} HTTP/1.1", "a".repeat(100_000)), ""),
            414,
            "not_http",
        ),
        (
            "header flood",
            request(&format!("GET {path} HTTP/1.1"), &"X-A: b\r\n".repeat(200)),
            431,
            "not_http",
        ),
        (
            "HEAD",
            request(&format!("HEAD {path} HTTP/1.1"), ""),
            405,
            "method_not_allowed",
        ),
        (
            "OPTIONS *",
            request("OPTIONS * HTTP/1.1", ""),
            405,
            "method_not_allowed",
        ),
        (
            "unknown method",
            request(&format!("BREW {path} HTTP/1.1"), ""),
            405,
            "method_not_allowed",
        ),
        (
            "HTTP/1.0",
            format!("GET {path} HTTP/1.0\r\n\r\n").into_bytes(),
            401,
            "no_credentials",
        ),
        (
            "Expect",
            request(
                &format!("POST {path} HTTP/1.1"),
                "Expect: 100-continue\r\nContent-Length: 9\r\n",
            ),
            405,
            "method_not_allowed",
        ),
        (
            "Basic",
            request(
                &format!("GET {path} HTTP/1.1"),
                "Authorization: Basic N0MyRjgwODIwRUMwOjJFRTNFRUNDODJDNA==\r\n",
            ),
            401,
            "not_digest",
        ),
        (
            "unterminated",
            request(&format!("GET {path} HTTP/1.1"), &digest(r#"username="x"#)),
            400,
            "malformed",
        ),
        (
            "duplicated user, huge nc",
            request(
                &format!("GET {path} HTTP/1.1"),
                &answer(
                    MAC,
                    "provdesk",
                    &path,
                    r#", username="x", qop=auth, nc=ffffffffffffffffffffffff, cnonce="c""#,
                ),
            ),
            401,
            "wrong_password",
        ),
        (
            "wrong realm",
            request(
                &format!("GET {path} HTTP/1.1"),
                &answer(MAC, "other", &path, ""),
            ),
            401,
            "wrong_realm",
        ),
        (
            "uri not the request's",
            request(
                &format!("GET {path} HTTP/1.1"),
                &answer(MAC, "provdesk", &format!("/{OTHER}.xml"), ""),
            ),
            400,
            "uri_mismatch",
        ),
        (
            "algorithm not offered",
            request(
                &format!("GET {path} HTTP/1.1"),
                &answer(MAC, "provdesk", &path, ", algorithm=SHA-256"),
            ),
            400,
            "malformed",
        ),
        (
            "empty user",
            request(
                &format!("GET {path} HTTP/1.1"),
                &answer("", "provdesk", &path, ""),
            ),
            401,
            "unknown_user",
        ),
        (
            "MAC with colons",
            request(
                &format!("GET {path} HTTP/1.1"),
                &answer("7C:2F:80:82:0E:C0", "provdesk", &path, ""),
            ),
            401,
            "unknown_user",
        ),
        (
            "another device's MAC",
            request(
                &format!("GET {path} HTTP/1.1"),
                &answer(OTHER, "provdesk", &path, ""),
            ),
            401,
            "unknown_user",
        ),
    ];
    cases
        .into_iter()
        .map(|(name, bytes, status, code)| (name.to_string(), bytes, status, code))
        .collect()
}

#[tokio::test]
async fn odd_requests_get_a_clear_answer_and_a_truthful_log_line_without_secrets() {
    let (_dir, mut server) = serving(ServeConfig::default()).await;
    for (name, request, expected, code) in odd_requests() {
        let mut stream = connect_from(Ipv4Addr::LOCALHOST, server.addr()).await;
        let answer = exchange(&mut stream, &request).await;
        assert_eq!(status(&answer), expected, "{name}: {answer}");
        assert!(!answer.contains("100 Continue"), "{name}: {answer}");
        let seen = events(&mut server);
        assert_eq!(seen.len(), 1, "{name}: {seen:#?}");
        assert_eq!(seen[0].verdict.code(), code, "{name}: {}", seen[0].line());
        assert_eq!(seen[0].status, expected, "{name}");
        let logged = format!(
            "{} {}",
            seen[0].line(),
            serde_json::to_string(&seen[0]).unwrap()
        );
        assert!(logged.len() < 2_000, "{name}: {} characters", logged.len());
        for secret in [MAC_PASSWORD, "00000000000000000000000000000000", "N0MyRjgw"] {
            assert!(!logged.contains(secret), "{name}: {logged}");
        }
    }
}

#[tokio::test]
async fn a_client_that_never_reads_its_answers_is_closed() {
    let (_dir, mut server) = serving(ServeConfig::default()).await;
    let addr = server.addr();
    // The live log is read, as the window and the command line read it.
    let log = tokio::spawn(async move { while server.next_event().await.is_some() {} });
    let mut stream = connect_from(Ipv4Addr::LOCALHOST, addr).await;
    let request = b"GET /index.html HTTP/1.1\r\nHost: phone\r\n\r\n".repeat(100);
    let flood = async {
        loop {
            if let Err(error) = stream.write_all(&request).await {
                return error;
            }
        }
    };
    let ended = tokio::time::timeout(GUARD, flood).await;
    assert!(
        ended.is_ok(),
        "the server closes a connection whose answers are never read"
    );
    log.abort();
}

/// A phone whose user and password fields are swapped sends a password as its user name: its
/// own device's or, holding another device's credentials, that one's. Neither is quoted in the
/// live log, the `--log-json` object or the phone's diagnosis; the refusal says what happened.
#[tokio::test]
async fn a_password_sent_as_the_user_name_is_never_logged() {
    let (_dir, mut server) = serving(ServeConfig::default()).await;
    let addr = server.addr();
    let mut book = PhoneBook::default();
    for (password, whose) in [
        (MAC_PASSWORD, "this device's"),
        (OTHER_PASSWORD, "another device's"),
    ] {
        let status = digest_get(addr, Ipv4Addr::LOCALHOST, MAC, password, "anything").await;
        assert_eq!(status, 401);
        let seen = events(&mut server);
        let refused = seen.last().unwrap();
        assert_eq!(
            refused.verdict.code(),
            "password_as_user",
            "{}",
            refused.line()
        );
        assert_eq!(refused.user, None, "no user name quoted");
        let json = serde_json::to_value(refused).unwrap();
        assert_eq!(
            json["refusal"],
            serde_json::json!({"code": "password_as_user"})
        );
        for event in &seen {
            book.record(event);
        }
        let diagnosis = book.phones().next().unwrap().diagnosis.explain();
        let logged = format!("{} {json} {diagnosis}", refused.line());
        assert!(!logged.contains(password), "{logged}");
        assert!(
            logged.contains(&format!("answered with {whose} password as its user name")),
            "{logged}"
        );
        assert!(
            diagnosis.contains("fields on the phone are swapped"),
            "{diagnosis}"
        );
    }
}

/// A right digest answer captured on the LAN and sent again (same nonce, nc and cnonce) is
/// refused as replayed, without `stale=true`; the phone's own request was served.
#[tokio::test]
async fn a_replayed_digest_answer_is_refused() {
    let (_dir, mut server) = serving(ServeConfig::default()).await;
    let addr = server.addr();
    let path = format!("/{MAC}.xml");
    let challenged = exchange(
        &mut connect_from(Ipv4Addr::LOCALHOST, addr).await,
        &get(&path, None),
    )
    .await;
    let authorization = answer_to(&challenged, MAC, MAC_PASSWORD, &path);
    let served = exchange(
        &mut connect_from(Ipv4Addr::LOCALHOST, addr).await,
        &get(&path, Some(&authorization)),
    )
    .await;
    assert_eq!(status(&served), 200);
    let replayed = exchange(
        &mut connect_from(ATTACKER, addr).await,
        &get(&path, Some(&authorization)),
    )
    .await;
    assert_eq!(status(&replayed), 401, "{replayed}");
    assert!(
        !replayed.to_ascii_lowercase().contains("stale=true"),
        "{replayed}"
    );
    assert!(!replayed.contains("<ProviderFrame"), "no file");
    let seen = events(&mut server);
    let last = seen.last().unwrap();
    assert_eq!(last.verdict.code(), "replayed", "{}", last.line());
    assert!(
        last.line().contains("an answer already taken"),
        "{}",
        last.line()
    );
}

/// Anyone on the LAN can ask for a device's file without credentials, naming any firmware in
/// its User-Agent. After the phone was served, that changes nothing in the inventory.
#[tokio::test]
async fn a_request_without_credentials_does_not_rewrite_what_the_inventory_saw() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    bench(&db);
    let server = start(&db, "127.0.0.1:0".parse().unwrap(), ServeConfig::default())
        .await
        .unwrap();
    let addr = server.addr();
    assert_eq!(
        digest_get(addr, Ipv4Addr::LOCALHOST, MAC, MAC, MAC_PASSWORD).await,
        200
    );
    let seen = |mac: &str| {
        Inventory::open(&db)
            .unwrap()
            .device_by_mac(Mac::parse(mac).unwrap())
            .unwrap()
            .unwrap()
            .seen
    };
    let before = seen(MAC);
    let forged = format!(
        "GET /{MAC}.xml HTTP/1.1\r\nHost: x\r\nUser-Agent: N510 IP PRO/{};{MAC}\r\nConnection: close\r\n\r\n",
        "9".repeat(300)
    );
    let answer = exchange(&mut connect_from(ATTACKER, addr).await, forged.as_bytes()).await;
    assert_eq!(status(&answer), 401);
    assert_eq!(
        seen(MAC),
        before,
        "firmware, last seen and verdict as the phone left them"
    );
    assert_eq!(before.verdict.as_deref(), Some("served"));

    let never_served = format!(
        "GET /{OTHER}.xml HTTP/1.1\r\nHost: x\r\nUser-Agent: N510 IP PRO/42.245.00.000.000;{OTHER}\r\nConnection: close\r\n\r\n"
    );
    exchange(
        &mut connect_from(Ipv4Addr::LOCALHOST, addr).await,
        never_served.as_bytes(),
    )
    .await;
    let other = seen(OTHER);
    assert_eq!(
        other.verdict.as_deref(),
        Some("no_credentials"),
        "a phone without credentials shows up"
    );
    assert_eq!(other.firmware.as_deref(), Some("42.245.00.000.000"));
    server.shutdown().await;
}
