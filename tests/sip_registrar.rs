//! The SIP test against the registrar simulator over real UDP, TCP and TLS sockets: one test
//! per diagnosis code, and the secrets kept out of every event and the JSON report.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use provdesk::cancel::CancelFlag;
use provdesk::device::{SipAccount, SipTransport};
use provdesk::secret::Secret;
use provdesk::sim::provisioning::SimTls;
use provdesk::sim::registrar::{RegistrarConfig, RegistrarFault, RegistrarSim, RunningRegistrar};
use provdesk::sip::{Binding, SipCode, SipEvent, SipMethod, SipTestSpec, SipTranscript, UdpTimers};

const PASSWORD: &str = "secret1001";

async fn registrar(fault: RegistrarFault) -> RunningRegistrar {
    let config = RegistrarConfig {
        fault,
        tls: Some(SimTls::test_pair()),
        ..RegistrarConfig::default()
    };
    RegistrarSim::start("127.0.0.1".parse().unwrap(), config)
        .await
        .unwrap()
}

fn spec(addr: SocketAddr, transport: SipTransport, password: &str) -> SipTestSpec {
    let mut spec = SipTestSpec::new("127.0.0.1", transport, "1001", Secret::new(password));
    spec.port = Some(addr.port());
    spec.domain = Some("provdesk.test".to_string());
    spec.udp_timers = UdpTimers::with_total(Duration::from_millis(1600));
    spec.tls.ca_file = Some(PathBuf::from("tests/data/tls/ca.pem"));
    spec
}

async fn run(spec: &SipTestSpec) -> SipTranscript {
    provdesk::sip::run_sip_test(spec, &CancelFlag::default(), &mut |_| {}).await
}

async fn code_of(fault: RegistrarFault, password: &str) -> (SipTranscript, SipCode) {
    let sim = registrar(fault).await;
    let transcript = run(&spec(sim.udp, SipTransport::Udp, password)).await;
    let code = transcript.verdict().expect("a verdict").code();
    (transcript, code)
}

fn sent_headers(transcript: &SipTranscript) -> Vec<Vec<(String, String)>> {
    transcript
        .events
        .iter()
        .filter_map(|event| match event {
            SipEvent::Sent(sent) => Some(
                sent.headers
                    .iter()
                    .map(|h| (h.name.clone(), h.value.clone()))
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn udp_registers_with_the_real_local_address_and_keeps_secrets_out() {
    let sim = registrar(RegistrarFault::None).await;
    let transcript = run(&spec(sim.udp, SipTransport::Udp, PASSWORD)).await;
    let verdict = transcript.verdict().unwrap();
    assert!(verdict.ok, "{:#?}", verdict.findings);
    assert_eq!(verdict.code(), SipCode::Ok);
    assert_eq!(verdict.final_status, Some(200));

    let local = transcript
        .events
        .iter()
        .find_map(|e| match e {
            SipEvent::Connected { local, .. } => Some(*local),
            _ => None,
        })
        .unwrap();
    let sent = sent_headers(&transcript);
    assert_eq!(
        sent.len(),
        3,
        "REGISTER, REGISTER with the answer, then its removal"
    );
    let contact = header(&sent[0], "Contact").unwrap();
    assert_eq!(contact, format!("<sip:1001@{local}>"));
    assert!(header(&sent[0], "Via").unwrap().contains(";rport"));
    assert_ne!(
        header(&sent[0], "Via").unwrap(),
        header(&sent[1], "Via").unwrap(),
        "each request has its own branch"
    );
    assert_eq!(header(&sent[0], "Call-ID"), header(&sent[1], "Call-ID"));
    assert_eq!(header(&sent[1], "CSeq"), Some("2 REGISTER"));

    let digest = transcript
        .events
        .iter()
        .find_map(|e| match e {
            SipEvent::Digest(step) => Some(step.clone()),
            _ => None,
        })
        .unwrap();
    let response = digest.computation.response.clone();
    let ha1 = digest.computation.ha1.expose().to_string();
    let json = transcript.to_json();
    for secret in [PASSWORD, response.as_str(), ha1.as_str()] {
        assert!(!json.contains(secret), "the JSON report holds {secret}");
    }
    assert!(json.contains("\"code\": \"ok\""));
    let authorization = header(&sent[1], "Authorization").unwrap();
    assert!(!authorization.contains(&response));
    assert!(authorization.contains("username=\"1001\""));
}

#[tokio::test]
async fn tcp_and_tls_register_too() {
    let sim = registrar(RegistrarFault::None).await;
    let tcp = run(&spec(sim.tcp, SipTransport::Tcp, PASSWORD)).await;
    assert_eq!(tcp.verdict().unwrap().code(), SipCode::Ok);
    let sent = sent_headers(&tcp);
    assert!(
        header(&sent[0], "Contact")
            .unwrap()
            .contains(";transport=tcp")
    );
    let tls = run(&spec(sim.tls.unwrap(), SipTransport::Tls, PASSWORD)).await;
    assert_eq!(
        tls.verdict().unwrap().code(),
        SipCode::Ok,
        "{:#?}",
        tls.verdict()
    );
}

#[tokio::test]
async fn a_certificate_from_an_unknown_ca_is_a_tls_error_unless_insecure() {
    let sim = registrar(RegistrarFault::None).await;
    let mut strict = spec(sim.tls.unwrap(), SipTransport::Tls, PASSWORD);
    strict.tls.ca_file = None;
    let refused = run(&strict).await;
    assert_eq!(refused.verdict().unwrap().code(), SipCode::TlsError);
    strict.tls.insecure = true;
    assert_eq!(run(&strict).await.verdict().unwrap().code(), SipCode::Ok);
}

#[tokio::test]
async fn a_wrong_password_is_credentials_rejected_naming_the_user() {
    let (transcript, code) = code_of(RegistrarFault::None, "wrong").await;
    assert_eq!(code, SipCode::CredentialsRejected);
    let finding = &transcript.verdict().unwrap().findings[0];
    assert!(finding.message.contains("\"1001\""), "{}", finding.message);
    assert!(finding.message.contains("authentication user"));
}

#[tokio::test]
async fn an_account_with_an_auth_user_is_answered_as_that_user() {
    let sim = registrar(RegistrarFault::None).await;
    let account = SipAccount {
        index: 1,
        registrar: Some(sim.udp.to_string()),
        user: "2002".into(),
        auth_user: Some("1001".into()),
        ..SipAccount::default()
    };
    let mut spec = SipTestSpec::from_account(&account, Secret::new(PASSWORD)).unwrap();
    spec.domain = Some("provdesk.test".into());
    let transcript = run(&spec).await;
    assert_eq!(transcript.verdict().unwrap().code(), SipCode::Ok);
    let sent = sent_headers(&transcript);
    assert!(
        header(&sent[1], "From")
            .unwrap()
            .contains("sip:2002@provdesk.test")
    );
    assert!(
        header(&sent[1], "Authorization")
            .unwrap()
            .contains("username=\"1001\"")
    );
}

#[tokio::test]
async fn a_realm_that_changes_is_realm_mismatch() {
    assert_eq!(
        code_of(RegistrarFault::WrongRealm, PASSWORD).await.1,
        SipCode::RealmMismatch
    );
}

#[tokio::test]
async fn nonces_always_stale_are_a_stale_loop() {
    let (transcript, code) = code_of(RegistrarFault::StaleLoop, PASSWORD).await;
    assert_eq!(code, SipCode::StaleLoop);
    let digests = transcript
        .events
        .iter()
        .filter(|e| matches!(e, SipEvent::Digest(_)))
        .count();
    assert_eq!(digests, 3, "the first answer and two stale re-answers");
}

#[tokio::test]
async fn a_423_is_retried_once_with_min_expires() {
    let sim = registrar(RegistrarFault::TooBrief { min_expires: 7200 }).await;
    let transcript = run(&spec(sim.udp, SipTransport::Udp, PASSWORD)).await;
    let verdict = transcript.verdict().unwrap();
    assert!(verdict.ok);
    assert_eq!(
        verdict.code(),
        SipCode::Ok,
        "the test's own 60 s is no fault of the phone's"
    );
    assert!(
        verdict.findings[0].message.contains("at least 7200 s"),
        "{}",
        verdict.findings[0].message
    );
    let sent = sent_headers(&transcript);
    let [.., registered, removal] = sent.as_slice() else {
        panic!("{sent:?}")
    };
    assert_eq!(header(registered, "Expires"), Some("7200"));
    assert_eq!(header(removal, "Expires"), Some("0"));
    assert!(
        sim.bindings("1001").is_empty(),
        "{:?}",
        sim.bindings("1001")
    );
}

#[tokio::test]
async fn a_kept_registration_refused_its_interval_is_a_warning() {
    let sim = registrar(RegistrarFault::TooBrief { min_expires: 7200 }).await;
    let mut keep = spec(sim.udp, SipTransport::Udp, PASSWORD);
    keep.expires = 3600;
    keep.keep = true;
    let verdict = run(&keep).await.verdict().unwrap().clone();
    assert!(verdict.ok);
    assert_eq!(verdict.code(), SipCode::IntervalTooBrief);
    assert_eq!(verdict.binding, Some(Binding::Kept { expires: 7200 }));
}

#[tokio::test]
async fn the_test_removes_its_registration_over_every_transport() {
    let sim = registrar(RegistrarFault::None).await;
    let transports = [
        (SipTransport::Udp, sim.udp),
        (SipTransport::Tcp, sim.tcp),
        (SipTransport::Tls, sim.tls.unwrap()),
    ];
    for (transport, addr) in transports {
        let transcript = run(&spec(addr, transport, PASSWORD)).await;
        let verdict = transcript.verdict().unwrap();
        assert_eq!(
            verdict.code(),
            SipCode::Ok,
            "{transport}: {:#?}",
            verdict.findings
        );
        assert_eq!(
            verdict.binding,
            Some(Binding::Removed {
                status: 200,
                reason: "OK".into()
            }),
            "{transport}"
        );
        assert!(
            verdict.findings[0]
                .message
                .contains("removed its registration")
        );
        assert!(
            sim.bindings("1001").is_empty(),
            "{transport} left {:?}",
            sim.bindings("1001")
        );

        let sent = sent_headers(&transcript);
        let (registered, removal) = (&sent[1], &sent[2]);
        assert_eq!(
            header(registered, "Expires"),
            Some("60"),
            "a short interval"
        );
        assert_eq!(header(removal, "Call-ID"), header(registered, "Call-ID"));
        assert_eq!(header(removal, "From"), header(registered, "From"));
        assert_eq!(header(removal, "CSeq"), Some("3 REGISTER"));
        assert_eq!(header(removal, "Expires"), Some("0"));
        assert_eq!(
            header(removal, "Contact").unwrap(),
            format!("{};expires=0", header(registered, "Contact").unwrap()),
            "this contact only, never `*`"
        );
        assert!(header(removal, "Authorization").is_some(), "answered again");
        let digests: Vec<_> = transcript
            .events
            .iter()
            .filter_map(|e| match e {
                SipEvent::Digest(step) => Some(step.computation.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(digests.len(), 2, "{transport}");
        assert_eq!(digests[1].nc, "00000002", "the nonce used again, counted");
        let json = transcript.to_json();
        for digest in &digests {
            assert!(!json.contains(&digest.response));
            assert!(!json.contains(digest.ha1.expose()));
        }
        assert!(!json.contains(PASSWORD));
        assert!(json.contains("\"outcome\": \"removed\""));
    }
}

#[tokio::test]
async fn a_kept_registration_stays_and_the_verdict_says_for_how_long() {
    let sim = registrar(RegistrarFault::None).await;
    let mut keep = spec(sim.udp, SipTransport::Udp, PASSWORD);
    keep.keep = true;
    let transcript = run(&keep).await;
    let verdict = transcript.verdict().unwrap();
    assert_eq!(verdict.code(), SipCode::Ok);
    assert_eq!(verdict.binding, Some(Binding::Kept { expires: 60 }));
    assert!(
        verdict.findings[0].message.contains("kept as asked"),
        "{}",
        verdict.findings[0].message
    );
    assert_eq!(sent_headers(&transcript).len(), 2, "no removal");
    assert_eq!(sim.bindings("1001").len(), 1);
}

#[tokio::test]
async fn forbidden_not_found_and_server_errors_are_named() {
    for (fault, code) in [
        (RegistrarFault::Forbidden, SipCode::Forbidden),
        (RegistrarFault::NotFound, SipCode::NotFound),
        (RegistrarFault::ServerError, SipCode::ServerError),
    ] {
        assert_eq!(code_of(fault, PASSWORD).await.1, code, "{fault}");
    }
}

#[tokio::test]
async fn a_proxy_challenge_is_answered_with_proxy_authorization() {
    let (transcript, code) = code_of(RegistrarFault::ProxyAuth, PASSWORD).await;
    assert_eq!(code, SipCode::Ok);
    let sent = sent_headers(&transcript);
    assert!(header(&sent[1], "Proxy-Authorization").is_some());
}

#[tokio::test]
async fn silence_over_udp_is_no_answer_after_the_retransmissions() {
    let (transcript, code) = code_of(RegistrarFault::Silence, PASSWORD).await;
    assert_eq!(code, SipCode::NoAnswer);
    let resends = transcript
        .events
        .iter()
        .filter(|e| matches!(e, SipEvent::Retransmitted { .. }))
        .count();
    let expected = UdpTimers::with_total(Duration::from_millis(1600))
        .send_times()
        .len()
        - 1;
    assert_eq!(resends, expected);
    let timers = transcript.events.iter().find_map(|e| match e {
        SipEvent::Timers { text } => Some(text.clone()),
        _ => None,
    });
    assert!(timers.unwrap().contains("shortened"));
}

#[tokio::test]
async fn a_closed_udp_port_stops_after_two_refusals_not_timer_f() {
    let closed = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut full = spec(closed, SipTransport::Udp, PASSWORD);
    full.udp_timers = UdpTimers::RFC3261;
    let transcript = run(&full).await;
    let verdict = transcript.verdict().unwrap();
    assert_eq!(verdict.code(), SipCode::NoAnswer);
    assert!(
        verdict.elapsed < Duration::from_secs(5),
        "waited {:?} for a port nothing listens on",
        verdict.elapsed
    );
    assert!(
        verdict.findings[0].message.contains("nothing listens"),
        "{}",
        verdict.findings[0].message
    );
    let notes: Vec<_> = transcript
        .events
        .iter()
        .filter_map(|e| match e {
            SipEvent::Note { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("2 times in a row")),
        "{notes:?}"
    );
}

#[tokio::test]
async fn a_closed_tcp_port_is_connection_failed() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let transcript = run(&spec(port, SipTransport::Tcp, PASSWORD)).await;
    assert_eq!(
        transcript.verdict().unwrap().code(),
        SipCode::ConnectionFailed
    );
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_dns_failed() {
    let mut spec = spec(
        "127.0.0.1:5060".parse().unwrap(),
        SipTransport::Udp,
        PASSWORD,
    );
    spec.registrar = "registrar.provdesk.invalid".into();
    let transcript = run(&spec).await;
    assert_eq!(transcript.verdict().unwrap().code(), SipCode::DnsFailed);
    assert!(
        transcript
            .events
            .iter()
            .any(|e| matches!(e, SipEvent::Dns(_)))
    );
}

#[tokio::test]
async fn options_probes_without_credentials() {
    let sim = registrar(RegistrarFault::None).await;
    let mut probe = spec(sim.udp, SipTransport::Udp, "");
    probe.method = SipMethod::Options;
    let transcript = run(&probe).await;
    assert_eq!(transcript.verdict().unwrap().code(), SipCode::Ok);
    let sent = sent_headers(&transcript);
    assert_eq!(sent.len(), 1, "an OPTIONS registers nothing to remove");
    assert!(sent[0].iter().all(|(n, _)| n != "Expires"));
    assert_eq!(transcript.verdict().unwrap().binding, None);
}

#[tokio::test]
async fn a_cancelled_test_stops_and_says_so() {
    let sim = registrar(RegistrarFault::Silence).await;
    let cancel = CancelFlag::default();
    cancel.cancel();
    let transcript = provdesk::sip::run_sip_test(
        &spec(sim.udp, SipTransport::Udp, PASSWORD),
        &cancel,
        &mut |_| {},
    )
    .await;
    assert_eq!(transcript.verdict().unwrap().code(), SipCode::Cancelled);
}

#[tokio::test]
async fn stopping_the_wait_ends_the_test_as_no_answer_not_cancelled() {
    let sim = registrar(RegistrarFault::Silence).await;
    let stop = CancelFlag::default();
    stop.stop_waiting();
    let transcript = provdesk::sip::run_sip_test(
        &spec(sim.udp, SipTransport::Udp, PASSWORD),
        &stop,
        &mut |_| {},
    )
    .await;
    let verdict = transcript.verdict().unwrap();
    assert_eq!(verdict.code(), SipCode::NoAnswer);
    let main = &verdict.findings[0];
    assert!(
        main.message.contains("before the wait was stopped after ")
            && main.message.contains("and 1 send."),
        "{}",
        main.message
    );
    assert!(main.fix.contains("firewall"), "{}", main.fix);
}
