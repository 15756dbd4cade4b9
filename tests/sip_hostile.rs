//! The SIP test against registrars that misbehave on purpose: each fake registrar here is a
//! socket scripted byte by byte on 127.0.0.1, because the simulator is too polite to send
//! someone else's answer, a flood, or a header that never ends. Every case must end with a
//! verdict that says what was wrong, with bounded events and no secret in them.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UdpSocket};

use provdesk::cancel::CancelFlag;
use provdesk::device::SipTransport;
use provdesk::secret::Secret;
use provdesk::sip::{
    Binding, SipCode, SipEvent, SipMessage, SipSeverity, SipTestSpec, SipTranscript, UdpTimers,
    message_length, parse_message,
};

const PASSWORD: &str = "hostile-secret-77";

/// What a scripted registrar does with request number `index`.
enum Reply {
    /// These datagrams or bytes, then wait for the next request.
    Send(Vec<Vec<u8>>),
    /// TCP: these bytes, then close the connection.
    SendAndClose(Vec<u8>),
    /// TCP: `chunk` again and again until the client goes away.
    Endless(Vec<u8>),
    /// TCP: reset the connection (RST, not FIN).
    Reset,
}

type Script = Box<dyn Fn(&SipMessage, usize) -> Reply + Send>;

fn spec(addr: SocketAddr, transport: SipTransport) -> SipTestSpec {
    let mut spec = SipTestSpec::new("127.0.0.1", transport, "1001", Secret::new(PASSWORD));
    spec.port = Some(addr.port());
    spec.domain = Some("provdesk.test".to_string());
    spec.udp_timers = UdpTimers::with_total(Duration::from_millis(1600));
    spec
}

async fn run(spec: &SipTestSpec) -> SipTranscript {
    provdesk::sip::run_sip_test(spec, &CancelFlag::default(), &mut |_| {}).await
}

/// A response to `request` echoing its Via, From, To, Call-ID and CSeq, with `extra` header
/// lines (each ending in CRLF) before `Content-Length: 0`.
fn reply(request: &SipMessage, status_line: &str, extra: &str) -> Vec<u8> {
    let mut text = format!("SIP/2.0 {status_line}\r\n");
    for name in ["Via", "From", "To", "Call-ID", "CSeq"] {
        if let Some(value) = request.header(name) {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    text.push_str(extra);
    text.push_str("Content-Length: 0\r\n\r\n");
    text.into_bytes()
}

async fn udp_registrar(script: Script) -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buffer = vec![0u8; 65_535];
        let mut index = 0;
        while let Ok((length, from)) = socket.recv_from(&mut buffer).await {
            let Ok(request) = parse_message(&buffer[..length]) else {
                continue;
            };
            if let Reply::Send(datagrams) = script(&request, index) {
                for datagram in datagrams {
                    let _ = socket.send_to(&datagram, from).await;
                }
            }
            index += 1;
        }
    });
    addr
}

async fn tcp_registrar(script: Script) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        let mut buffer = Vec::new();
        let mut index = 0;
        loop {
            while let Ok(Some(length)) = message_length(&buffer) {
                let request: Vec<u8> = buffer.drain(..length).collect();
                let Ok(request) = parse_message(&request) else {
                    return;
                };
                match script(&request, index) {
                    Reply::Send(parts) => {
                        for part in parts {
                            let _ = stream.write_all(&part).await;
                        }
                    }
                    Reply::SendAndClose(bytes) => {
                        let _ = stream.write_all(&bytes).await;
                        return;
                    }
                    Reply::Endless(chunk) => {
                        while stream.write_all(&chunk).await.is_ok() {}
                        return;
                    }
                    Reply::Reset => {
                        let _ = stream.set_zero_linger();
                        return;
                    }
                }
                index += 1;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(count) => buffer.extend_from_slice(&chunk[..count]),
            }
        }
    });
    addr
}

/// Everything the live log and the verdict show as text.
fn shown_text(transcript: &SipTranscript) -> String {
    let mut text = String::new();
    for event in &transcript.events {
        match event {
            SipEvent::Sent(sent) => {
                for header in &sent.headers {
                    text.push_str(&format!("{}: {}\n", header.name, header.value));
                }
            }
            SipEvent::Received(received) => {
                text.push_str(&received.start_line);
                for header in &received.headers {
                    text.push_str(&format!("{}: {}\n", header.name, header.value));
                }
            }
            SipEvent::Digest(step) => text.push_str(&step.words.join("\n")),
            SipEvent::Note { text: note } => text.push_str(note),
            SipEvent::Finished(verdict) => {
                for finding in &verdict.findings {
                    text.push_str(&format!(
                        "{}\n{}\n{}\n",
                        finding.title, finding.message, finding.fix
                    ));
                }
            }
            _ => {}
        }
    }
    text
}

/// No password, HA1 or digest response anywhere in the events or the JSON report.
fn assert_no_secrets(transcript: &SipTranscript) {
    let mut secrets = vec![PASSWORD.to_string()];
    for event in &transcript.events {
        if let SipEvent::Digest(step) = event {
            secrets.push(step.computation.ha1.expose().to_string());
            secrets.push(step.computation.response.clone());
        }
    }
    let json = transcript.to_json();
    let shown = shown_text(transcript);
    for secret in &secrets {
        assert!(
            !json.contains(secret.as_str()),
            "the JSON report holds a secret"
        );
        assert!(!shown.contains(secret.as_str()), "the log holds a secret");
    }
}

fn finding_text(transcript: &SipTranscript) -> String {
    let verdict = transcript.verdict().expect("a verdict");
    verdict
        .findings
        .iter()
        .map(|f| format!("{} | {} | {}", f.title, f.message, f.fix))
        .collect::<Vec<_>>()
        .join("\n")
}

/// How many requests the test sent: one means nothing was retried or followed.
fn requests_sent(transcript: &SipTranscript) -> usize {
    transcript
        .events
        .iter()
        .filter(|e| matches!(e, SipEvent::Sent(_)))
        .count()
}

fn code(transcript: &SipTranscript) -> SipCode {
    transcript.verdict().expect("a verdict").code()
}

const CHALLENGE: &str =
    "WWW-Authenticate: Digest realm=\"provdesk.test\", nonce=\"n1\", qop=\"auth\"\r\n";

/// A 200 that is not this transaction's: no Via, another Call-ID, or another CSeq method.
fn foreign_ok(request: &SipMessage) -> Vec<Vec<u8>> {
    let cseq = request.header("CSeq").unwrap_or("1 REGISTER");
    let number = cseq.split_whitespace().next().unwrap_or("1");
    let via = request.header("Via").unwrap_or("");
    let call_id = request.header("Call-ID").unwrap_or("");
    let ok = |lines: String| format!("SIP/2.0 200 OK\r\n{lines}Content-Length: 0\r\n\r\n");
    vec![
        ok(format!("Call-ID: {call_id}\r\nCSeq: {cseq}\r\n")),
        ok(format!(
            "Via: {via}\r\nCall-ID: someone-else@pbx\r\nCSeq: {cseq}\r\n"
        )),
        ok(format!(
            "Via: {via}\r\nCall-ID: {call_id}\r\nCSeq: {number} INVITE\r\n"
        )),
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect()
}

#[tokio::test]
async fn someone_elses_200_does_not_end_the_transaction() {
    let addr = udp_registrar(Box::new(|request, _| Reply::Send(foreign_ok(request)))).await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    let verdict = transcript.verdict().unwrap();
    assert!(
        !verdict.ok,
        "a foreign 200 registered: {:#?}",
        verdict.findings
    );
    assert_eq!(code(&transcript), SipCode::NoAnswer);
    assert!(
        finding_text(&transcript).contains("answer other requests"),
        "{}",
        finding_text(&transcript)
    );
}

/// Bytes a terminal would obey: clear the screen, set the window title, ring the bell.
const ESCAPES: &[u8] = b"\x1b[2J\x1b]0;owned\x07\xff\xfe";

fn with_escapes(prefix: &str, suffix: &str) -> String {
    format!("{prefix}{}{suffix}", String::from_utf8_lossy(ESCAPES))
}

#[tokio::test]
async fn control_characters_from_the_registrar_are_escaped_everywhere_they_show() {
    let addr = udp_registrar(Box::new(|request, index| {
        let mut bytes = match index {
            0 => reply(
                request,
                "401 Unauthorized",
                "WWW-Authenticate: Digest realm=\"pbx\x1b[31m\", nonce=\"n\x07\", qop=\"auth\"\r\n",
            ),
            _ => reply(request, "403 Forbidden XX", "Expires: 60\x1b[2J\r\n"),
        };
        if let Some(at) = bytes.windows(2).position(|w| w == b"XX") {
            bytes.splice(at..at + 2, ESCAPES.iter().copied());
        }
        Reply::Send(vec![bytes])
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_eq!(code(&transcript), SipCode::Forbidden);
    let shown = shown_text(&transcript);
    assert!(
        !shown.chars().any(|c| c.is_control() && c != '\n'),
        "raw control characters in the log or verdict: {shown:?}"
    );
    assert_no_secrets(&transcript);
}

#[tokio::test]
async fn hundreds_of_unanswerable_challenges_give_a_short_diagnosis() {
    let addr = udp_registrar(Box::new(|request, _| {
        let challenge = with_escapes(
            "WWW-Authenticate: Digest realm=\"pbx\", nonce=\"n\", algorithm=ROT13",
            "\r\n",
        );
        Reply::Send(vec![reply(
            request,
            "401 Unauthorized",
            &challenge.repeat(300),
        )])
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_eq!(code(&transcript), SipCode::UnexpectedStatus);
    let text = finding_text(&transcript);
    assert!(text.contains("ROT13"), "{text}");
    assert!(text.chars().count() < 2000, "{} characters", text.len());
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
}

/// More events than this for one test means the log grows with what the registrar sends.
const EVENT_BOUND: usize = 200;

#[tokio::test]
async fn provisional_answers_forever_end_with_a_bounded_log_that_says_so() {
    let addr = tcp_registrar(Box::new(|request, _| {
        Reply::Send(vec![reply(request, "100 Trying", "").repeat(3000)])
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Tcp)).await;
    assert_eq!(code(&transcript), SipCode::NoAnswer);
    assert!(
        transcript.events.len() < EVENT_BOUND,
        "{} events",
        transcript.events.len()
    );
    let text = finding_text(&transcript);
    assert!(text.contains("provisional"), "{text}");
}

#[tokio::test]
async fn a_udp_flood_of_strays_ends_with_a_bounded_log() {
    let addr = udp_registrar(Box::new(|request, index| {
        if index > 0 {
            return Reply::Send(Vec::new());
        }
        let mut stray = reply(
            request,
            "200 OK",
            &"X-Padding: aaaaaaaaaaaaaaaa\r\n".repeat(50),
        );
        let at = stray.windows(6).position(|w| w == b"branch").unwrap();
        stray[at + 10] ^= 1;
        let junk = b"not sip at all\r\n\r\n".to_vec();
        // About 10 MB in all, strays and junk taking turns.
        Reply::Send(
            (0..12_000)
                .map(|i| {
                    if i % 2 == 0 {
                        stray.clone()
                    } else {
                        junk.clone()
                    }
                })
                .collect(),
        )
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_eq!(code(&transcript), SipCode::NoAnswer);
    assert!(
        transcript.events.len() < EVENT_BOUND,
        "{} events",
        transcript.events.len()
    );
}

#[tokio::test]
async fn a_header_that_never_ends_is_a_bad_answer() {
    let addr = tcp_registrar(Box::new(|_, _| {
        let mut start = b"SIP/2.0 200 OK\r\nX-Endless: ".to_vec();
        start.extend(std::iter::repeat_n(b'a', 8192));
        Reply::Endless(start)
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Tcp)).await;
    let text = finding_text(&transcript);
    assert_eq!(code(&transcript).as_str(), "bad_answer", "{text}");
    assert!(text.contains("65535"), "{text}");
}

#[tokio::test]
async fn a_content_length_of_4_gb_is_a_bad_answer() {
    let addr = tcp_registrar(Box::new(|request, _| {
        let head = reply(request, "200 OK", "Content-Length: 4294967296\r\n");
        Reply::Endless(head)
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Tcp)).await;
    let text = finding_text(&transcript);
    assert_eq!(code(&transcript).as_str(), "bad_answer", "{text}");
}

#[tokio::test]
async fn a_connection_closed_in_the_middle_of_an_answer_says_so() {
    let addr = tcp_registrar(Box::new(|request, _| {
        let mut bytes = reply(request, "401 Unauthorized", CHALLENGE);
        bytes.truncate(bytes.len() / 2);
        Reply::SendAndClose(bytes)
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Tcp)).await;
    let text = finding_text(&transcript);
    assert_eq!(code(&transcript).as_str(), "bad_answer", "{text}");
    assert!(text.contains("closed the connection"), "{text}");
    assert!(!text.contains("could not be opened"), "{text}");
}

#[tokio::test]
async fn a_connection_reset_after_the_request_is_not_called_unopened() {
    let addr = tcp_registrar(Box::new(|_, _| Reply::Reset)).await;
    let transcript = run(&spec(addr, SipTransport::Tcp)).await;
    let text = finding_text(&transcript);
    assert_eq!(code(&transcript), SipCode::ConnectionFailed, "{text}");
    assert!(text.contains("broke"), "{text}");
    assert!(!text.contains("could not be opened"), "{text}");
}

#[tokio::test]
async fn a_broken_challenge_beside_a_good_one_does_not_stop_the_answer() {
    let addr = udp_registrar(Box::new(|request, index| {
        let answer = match index {
            0 => reply(
                request,
                "401 Unauthorized",
                &format!(
                    "WWW-Authenticate: Digest realm=\"pbx, nonce=\"unterminated\r\n{CHALLENGE}"
                ),
            ),
            _ => reply(request, "200 OK", ""),
        };
        Reply::Send(vec![answer])
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_eq!(
        code(&transcript),
        SipCode::Ok,
        "{}",
        finding_text(&transcript)
    );
    assert_no_secrets(&transcript);
}

/// A registrar that gives every request the same final answer.
fn answers(status: &'static str, headers: String) -> Script {
    Box::new(move |request, _| Reply::Send(vec![reply(request, status, &headers)]))
}

/// A registrar that challenges every request with a new nonce and these further parameters.
fn challenges_forever(params: &'static str) -> Script {
    Box::new(move |request, index| {
        let challenge = format!(
            "WWW-Authenticate: Digest realm=\"provdesk.test\", nonce=\"n{index}\", {params}\r\n"
        );
        Reply::Send(vec![reply(request, "401 Unauthorized", &challenge)])
    })
}

fn too_brief(min_expires: &'static str) -> Script {
    answers(
        "423 Interval Too Brief",
        format!("Min-Expires: {min_expires}\r\n"),
    )
}

#[tokio::test]
async fn a_min_expires_below_the_interval_asked_is_called_inconsistent() {
    let addr = udp_registrar(too_brief("0")).await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_eq!(code(&transcript), SipCode::IntervalTooBrief);
    let text = finding_text(&transcript);
    assert!(text.contains("contradicts"), "{text}");
}

#[tokio::test]
async fn an_unreadable_min_expires_is_quoted_not_called_missing() {
    let addr = udp_registrar(too_brief("4294967296")).await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_eq!(code(&transcript), SipCode::IntervalTooBrief);
    let text = finding_text(&transcript);
    assert!(text.contains("4294967296"), "{text}");
    assert!(!text.contains("no Min-Expires"), "{text}");
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_names_where_it_points() {
    let addr = udp_registrar(answers(
        "302 Moved Temporarily",
        "Contact: <sip:registrar.elsewhere.example:5060>\r\n".into(),
    ))
    .await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    let sent = requests_sent(&transcript);
    assert_eq!(sent, 1, "the redirect was followed");
    let text = finding_text(&transcript);
    assert!(text.contains("registrar.elsewhere.example"), "{text}");
    assert!(text.contains("not followed"), "{text}");
}

#[tokio::test]
async fn a_new_nonce_on_every_401_is_credentials_rejected_not_a_loop() {
    let addr = udp_registrar(challenges_forever("qop=\"auth\"")).await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_eq!(code(&transcript), SipCode::CredentialsRejected);
    assert_no_secrets(&transcript);
}

#[tokio::test]
async fn stale_true_forever_stops_as_a_stale_loop() {
    let addr = udp_registrar(challenges_forever("stale=TRUE")).await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_eq!(code(&transcript), SipCode::StaleLoop);
}

#[tokio::test]
async fn an_answer_from_another_udp_address_is_not_taken() {
    let addr = udp_registrar(Box::new(|request, _| {
        let bytes = reply(request, "200 OK", "");
        let from = request.header("Via").and_then(|via| {
            let sent_by = via.split_whitespace().nth(1)?.split(';').next()?;
            sent_by.parse::<SocketAddr>().ok()
        });
        if let Some(to) = from {
            let other = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
            let _ = other.send_to(&bytes, to);
        }
        Reply::Send(Vec::new())
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_eq!(code(&transcript), SipCode::NoAnswer);
}

#[tokio::test]
async fn a_tls_handshake_that_never_completes_is_a_tls_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let mut tls = spec(addr, SipTransport::Tls);
    tls.connect_timeout = Duration::from_millis(500);
    let transcript = run(&tls).await;
    assert_eq!(code(&transcript), SipCode::TlsError);
    assert!(finding_text(&transcript).contains("timed out"));
}

#[tokio::test]
async fn a_503_with_a_huge_retry_after_is_a_server_error_at_once() {
    let addr = udp_registrar(answers(
        "503 Service Unavailable",
        "Retry-After: 4294967295\r\n".into(),
    ))
    .await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_eq!(code(&transcript), SipCode::ServerError);
    let sent = requests_sent(&transcript);
    assert_eq!(sent, 1);
}

/// A registrar that challenges the first REGISTER, takes the answer with a 200 for 60 s, and
/// meets the removal (and any request after it) with `removal(request, n)`, n counting from 0.
fn registers_then(removal: fn(&SipMessage, usize) -> Vec<u8>) -> Script {
    Box::new(move |request, index| {
        let answer = match index {
            0 => reply(request, "401 Unauthorized", CHALLENGE),
            1 => {
                let contact = request.header("Contact").unwrap_or_default();
                reply(
                    request,
                    "200 OK",
                    &format!("Contact: {contact};expires=60\r\nExpires: 60\r\n"),
                )
            }
            n => removal(request, n - 2),
        };
        Reply::Send(vec![answer])
    })
}

fn binding(transcript: &SipTranscript) -> Binding {
    transcript
        .verdict()
        .and_then(|v| v.binding.clone())
        .expect("the verdict says what became of the registration")
}

/// The verdict of a test whose removal failed: registered, with the warning after it.
fn assert_left_behind(transcript: &SipTranscript, why: &str) {
    let verdict = transcript.verdict().unwrap();
    assert!(
        verdict.ok,
        "the account did register: {:#?}",
        verdict.findings
    );
    assert_eq!(verdict.final_status, Some(200), "the REGISTER's status");
    let codes: Vec<_> = verdict.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, [SipCode::Ok, SipCode::BindingLeft]);
    assert_eq!(verdict.findings[1].severity, SipSeverity::Warning);
    let text = finding_text(transcript);
    assert!(text.contains(why), "{text}");
    assert!(text.contains("up to 60 s"), "{text}");
    assert!(matches!(
        binding(transcript),
        Binding::Left { expires: 60, .. }
    ));
    assert_no_secrets(transcript);
}

#[tokio::test]
async fn a_removal_answered_500_leaves_a_warning_that_the_binding_stays() {
    let addr = udp_registrar(registers_then(|request, _| {
        reply(request, "500 Database Down", "")
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_left_behind(&transcript, "answered 500 Database Down");
    assert_eq!(
        requests_sent(&transcript),
        3,
        "no retry of a refused removal"
    );
}

#[tokio::test]
async fn a_removal_nobody_answers_is_left_after_the_timers() {
    let addr = udp_registrar(registers_then(|_, _| Vec::new())).await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_left_behind(&transcript, "no answer to it after");
}

#[tokio::test]
async fn a_challenged_removal_is_answered_once_with_the_new_nonce() {
    let addr = udp_registrar(registers_then(|request, n| match n {
        0 => reply(
            request,
            "401 Unauthorized",
            "WWW-Authenticate: Digest realm=\"provdesk.test\", nonce=\"n2\", qop=\"auth\"\r\n",
        ),
        _ => reply(request, "200 OK", ""),
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_eq!(
        binding(&transcript),
        Binding::Removed {
            status: 200,
            reason: "OK".into()
        }
    );
    let removals: Vec<_> = transcript
        .events
        .iter()
        .filter_map(|e| match e {
            SipEvent::Sent(sent) => Some(sent),
            _ => None,
        })
        .skip(2)
        .collect();
    assert_eq!(
        removals.len(),
        2,
        "the removal, then its answer to the challenge"
    );
    let header = |index: usize, name: &str| {
        removals[index]
            .headers
            .iter()
            .find(|h| h.is(name))
            .map(|h| h.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(header(0, "CSeq"), "3 REGISTER");
    assert_eq!(header(1, "CSeq"), "4 REGISTER");
    assert!(header(1, "Authorization").contains("nonce=\"n2\""));
    assert_eq!(header(1, "Expires"), "0");
    assert_eq!(
        finding_text(&transcript).matches(" | ").count(),
        2,
        "one finding"
    );
    assert_no_secrets(&transcript);
}

#[tokio::test]
async fn a_removal_challenged_again_after_its_answer_is_left() {
    let addr = udp_registrar(registers_then(|request, n| {
        let challenge = format!(
            "WWW-Authenticate: Digest realm=\"provdesk.test\", nonce=\"r{n}\", qop=\"auth\"\r\n"
        );
        reply(request, "401 Unauthorized", &challenge)
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_left_behind(&transcript, "challenged the removal again");
    assert_eq!(requests_sent(&transcript), 4);
}

#[tokio::test]
async fn a_200_that_still_lists_this_contact_is_not_a_removal() {
    let addr = udp_registrar(registers_then(|request, _| {
        let contact = request.header("Contact").unwrap_or_default();
        let kept = contact.replace(";expires=0", ";expires=58");
        reply(request, "200 OK", &format!("Contact: {kept}\r\n"))
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert_left_behind(&transcript, "still lists this computer's contact");
}

#[tokio::test]
async fn a_200_listing_other_phones_but_not_this_one_is_a_removal() {
    let addr = udp_registrar(registers_then(|request, _| {
        reply(
            request,
            "200 OK",
            "Contact: <sip:1001@192.0.2.50:5060>;expires=3000, <sip:1001@192.0.2.51:5060>;expires=12\r\n",
        )
    }))
    .await;
    let transcript = run(&spec(addr, SipTransport::Udp)).await;
    assert!(matches!(
        binding(&transcript),
        Binding::Removed { status: 200, .. }
    ));
}
