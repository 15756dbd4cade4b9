//! Every fault mode of the provisioning simulator, fetched by the real test-fetch engine over a
//! real socket, ends in its own diagnosis code; the ladder stops without looping; manual entry
//! and TLS (private CA, accept-all, client certificates) work end to end.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use provdesk::device::{Mac, ManualEntry, ModelSpec, find_model};
use provdesk::fetch::{
    Attempt, ClientIdentity, Code, Credentials, Event, FetchSpec, Report, Severity, Shell,
    TlsOptions, Transcript, proven_credentials, run_fetch, to_curl, to_har,
};
use provdesk::secret::Secret;
use provdesk::sim::provisioning::{Fault, ProvisioningSim, RunningSim, SimConfig, SimTls, SimUser};
use tokio::sync::mpsc;

const MAC: &str = "7C2F80820EC0";
const MAC_PASSWORD: &str = "123456789012";
const USER: &str = "provision";
const PASSWORD: &str = "s3cret:pass";
const WRONG: &str = "Falsch-7Q";
const PATH: &str = "/cfg/7C2F80820EC0.xml";
const BODY: &[u8] = b"<?xml version=\"1.0\"?><ProviderFrame><Provider/></ProviderFrame>";

fn config(fault: Fault) -> SimConfig {
    SimConfig {
        users: vec![
            SimUser::password(MAC, Secret::new(MAC_PASSWORD)),
            SimUser::password(USER, Secret::new(PASSWORD)),
        ],
        files: BTreeMap::from([(PATH.to_string(), BODY.to_vec())]),
        fault,
        ..SimConfig::default()
    }
}

async fn start(config: SimConfig) -> RunningSim {
    ProvisioningSim::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .expect("the simulator starts")
}

/// A device of `model` whose MAC password and configured password are as given.
fn device(sim: &RunningSim, model: &str, mac_password: Option<&str>, password: &str) -> FetchSpec {
    let url = sim.url("/cfg/%MACD.xml");
    let mut spec = FetchSpec::ad_hoc(url, find_model(model).unwrap());
    spec.mac = Some(Mac::parse(MAC).unwrap());
    spec.mac_password = mac_password.map(Secret::new);
    spec.configured = Some(Credentials::new(USER, password));
    spec.timeout = Duration::from_secs(2);
    spec
}

async fn fetch(spec: &FetchSpec) -> Transcript {
    run_fetch(spec, None, &mut |_| {})
        .await
        .expect("the fetch starts")
}

fn codes(transcript: &Transcript) -> Vec<Code> {
    transcript.diagnosis().iter().map(|d| d.code).collect()
}

fn statuses(transcript: &Transcript) -> Vec<Option<u16>> {
    transcript.steps.iter().map(|s| s.status()).collect()
}

/// Runs a fault with right credentials and returns the transcript.
async fn fault(fault: Fault) -> Transcript {
    let sim = start(config(fault)).await;
    fetch(&device(&sim, "N510", Some(MAC_PASSWORD), PASSWORD)).await
}

#[tokio::test]
async fn no_fault_is_ok_on_the_second_request() {
    let transcript = fault(Fault::None).await;
    assert_eq!(statuses(&transcript), [Some(401), Some(200)]);
    assert_eq!(codes(&transcript), [Code::Ok]);
    assert_eq!(transcript.steps[1].response.as_ref().unwrap().body, BODY);
}

/// *Copy as curl* of the answered request: curl does the digest itself as the same user, with
/// the fetch's TLS options, quoted for the shell it goes to; no password goes with it.
#[tokio::test]
async fn copy_as_curl_carries_the_user_and_the_tls_options_never_a_password() {
    let transcript = fault(Fault::None).await;
    let answered = &transcript.steps[1];
    let tls = TlsOptions {
        accept_invalid_certs: true,
        ca_file: Some(PathBuf::from("C:\\certs\\our ca.pem")),
        client_identity: Some(ClientIdentity::Pkcs12 {
            path: PathBuf::from("id.p12"),
            password: Secret::new("p12-pass"),
        }),
    };
    let posix = to_curl(answered, &tls, Shell::Posix);
    assert!(
        posix.starts_with(&format!(
            "curl -v --insecure --cacert 'C:\\certs\\our ca.pem' --cert-type P12 --cert id.p12 --digest --user {MAC} -A "
        )),
        "{posix}"
    );
    assert!(
        posix.ends_with(&format!(" {}", answered.request.url)),
        "{posix}"
    );
    let powershell = to_curl(answered, &tls, Shell::PowerShell);
    assert!(
        powershell.starts_with("curl.exe -v --insecure "),
        "{powershell}"
    );
    for command in [&posix, &powershell] {
        assert!(!command.contains(MAC_PASSWORD) && !command.contains("p12-pass"));
    }
}

#[tokio::test]
async fn wrong_credentials_are_rejected_without_a_loop() {
    let sim = start(config(Fault::None)).await;
    let transcript = fetch(&device(&sim, "N510", Some("000000000000"), WRONG)).await;
    assert_eq!(statuses(&transcript), [Some(401), Some(401), Some(401)]);
    assert_eq!(codes(&transcript), [Code::CredentialsRejected]);
    assert_eq!(
        sim.requests().len(),
        3,
        "the server saw three requests, no more"
    );
}

#[tokio::test]
async fn a_stale_nonce_is_renewed_once() {
    let transcript = fault(Fault::StaleNonce).await;
    assert_eq!(statuses(&transcript), [Some(401), Some(401), Some(200)]);
    assert_eq!(codes(&transcript), [Code::Ok, Code::StaleNonce]);
    let attempts: Vec<Attempt> = transcript.steps.iter().map(|s| s.request.attempt).collect();
    assert_eq!(
        attempts,
        [Attempt::None, Attempt::Mac, Attempt::Mac],
        "the same credentials answer the new nonce"
    );
}

#[tokio::test]
async fn a_stale_loop_stops_and_is_named() {
    let transcript = fault(Fault::StaleLoop).await;
    assert_eq!(codes(&transcript)[0], Code::StaleLoop);
    assert!(
        transcript.steps.len() <= 6,
        "{} requests",
        transcript.steps.len()
    );
}

#[tokio::test]
async fn each_fault_has_its_code() {
    for (fault_mode, expected) in [
        (Fault::RealmChanged, Code::RealmChanged),
        (Fault::AlgorithmUnsupported, Code::AlgorithmUnsupported),
        (Fault::BasicOnly, Code::BasicOnly),
        (Fault::NoChallenge, Code::NoChallenge),
        (Fault::UriMismatch, Code::UriMismatch),
        (Fault::RedirectOtherHost, Code::RedirectOtherHost),
        (Fault::NotFound, Code::NotFound),
        (Fault::ServerError, Code::ServerError),
        (Fault::RateLimited, Code::RateLimited),
        (Fault::Maintenance, Code::ServerUnavailable),
    ] {
        let transcript = fault(fault_mode).await;
        assert_eq!(
            codes(&transcript).first(),
            Some(&expected),
            "{fault_mode:?}: {:#?}",
            transcript.diagnosis()
        );
        assert!(!transcript.ok());
        assert!(transcript.steps.len() <= 4, "{fault_mode:?} looped");
    }
}

#[tokio::test]
async fn a_same_host_redirect_gets_a_new_digest_for_the_new_uri() {
    let transcript = fault(Fault::Redirect).await;
    assert!(transcript.ok(), "{:#?}", transcript.diagnosis());
    let last = transcript.steps.last().unwrap();
    assert!(last.request.target.starts_with("/redirected/"));
    let digest_uri = last
        .request
        .headers
        .iter()
        .find(|h| h.name == "Authorization")
        .map(|h| h.value.clone())
        .unwrap_or_default();
    assert!(
        digest_uri.contains(&format!("uri=\"{}\"", last.request.target)),
        "{digest_uri}"
    );
}

#[tokio::test]
async fn the_other_host_never_sees_credentials() {
    let sim = start(config(Fault::RedirectOtherHost)).await;
    let transcript = fetch(&device(&sim, "N510", Some(MAC_PASSWORD), PASSWORD)).await;
    assert_eq!(codes(&transcript)[0], Code::RedirectOtherHost);
    let after_redirect = transcript
        .steps
        .iter()
        .skip_while(|s| s.status() != Some(302))
        .skip(1);
    for step in after_redirect {
        assert!(
            step.answer.is_none(),
            "credentials went to {}",
            step.request.url
        );
    }
}

#[tokio::test]
async fn basic_is_answered_by_a_de_phone() {
    let sim = start(config(Fault::BasicOnly)).await;
    let transcript = fetch(&device(&sim, "DE900", Some(MAC_PASSWORD), PASSWORD)).await;
    assert!(transcript.ok(), "{:#?}", transcript.diagnosis());
    let authorization = transcript.steps[1]
        .request
        .headers
        .iter()
        .find(|h| h.name == "Authorization")
        .unwrap();
    assert_eq!(authorization.value, "Basic ••••••", "logged masked");
}

#[tokio::test]
async fn a_lockout_after_failures_is_suspected() {
    let sim = start(config(Fault::Lockout { after: 1 })).await;
    let transcript = fetch(&device(&sim, "N510", Some("000000000000"), PASSWORD)).await;
    assert_eq!(statuses(&transcript).last(), Some(&Some(403)));
    assert_eq!(codes(&transcript)[0], Code::LockoutSuspected);
    let finding = &transcript.diagnosis()[0];
    assert!(
        finding.fix.contains("300 s after 5 failures"),
        "a lockout that does not say how long names the common default: {}",
        finding.fix
    );
}

/// Issue 12: a lockout page and its Retry-After are quoted and used, in the fetch that was
/// refused and in the next one, which meets the lockout before any credentials are refused.
#[tokio::test]
async fn a_lockout_that_says_why_is_quoted_with_its_wait() {
    let sim = start(config(Fault::LockoutSaid { after: 1 })).await;
    let transcript = fetch(&device(&sim, "N510", Some("000000000000"), PASSWORD)).await;
    assert_eq!(statuses(&transcript).last(), Some(&Some(403)));
    let finding = &transcript.diagnosis()[0];
    assert_eq!(finding.code, Code::LockoutSuspected);
    assert!(
        finding.message.contains("After 1 refused attempt")
            && finding.message.contains(
                "It says: \"Forbidden Client 127.0.0.1 locked after too many failed authentication attempts. Try again later.\""
            ),
        "{}",
        finding.message
    );
    assert!(
        finding
            .fix
            .starts_with("Wait 600 s (10 min), as the server asks in Retry-After"),
        "{}",
        finding.fix
    );

    let again = fetch(&device(&sim, "N510", Some(MAC_PASSWORD), PASSWORD)).await;
    assert_eq!(statuses(&again), [Some(403)]);
    let finding = &again.diagnosis()[0];
    assert_eq!(finding.code, Code::LockoutSuspected);
    assert!(
        finding
            .message
            .contains("No credentials were refused in this fetch"),
        "{}",
        finding.message
    );
    assert!(finding.fix.contains("600 s"), "{}", finding.fix);
}

#[tokio::test]
async fn a_rate_limit_and_maintenance_are_read_from_the_answer() {
    let limited = fault(Fault::RateLimited).await;
    let finding = &limited.diagnosis()[0];
    assert_eq!(finding.code, Code::RateLimited);
    assert!(
        finding.message.contains(
            "It says: \"Rate limit exceeded: too many requests from 127.0.0.1. Slow down.\""
        ),
        "{}",
        finding.message
    );
    assert!(
        finding
            .fix
            .starts_with("Wait 30 s before the next fetch, as the server asks in Retry-After"),
        "{}",
        finding.fix
    );

    let down = fault(Fault::Maintenance).await;
    let finding = &down.diagnosis()[0];
    assert_eq!(finding.code, Code::ServerUnavailable);
    assert!(
        finding.message.contains("It says: \"Down for maintenance The provisioning server is being upgraded and will be back shortly.\""),
        "{}",
        finding.message
    );
    assert!(
        finding
            .fix
            .starts_with("Try again after 120 s (2 min), as the server asks in Retry-After"),
        "{}",
        finding.fix
    );
}

#[tokio::test]
async fn silence_is_a_timeout() {
    let sim = start(config(Fault::Timeout)).await;
    let mut spec = device(&sim, "N510", Some(MAC_PASSWORD), PASSWORD);
    spec.timeout = Duration::from_millis(300);
    let transcript = fetch(&spec).await;
    assert_eq!(codes(&transcript), [Code::Timeout]);
    assert!(transcript.final_status().is_none());
    // Worded for an installer: the wait in seconds and what a phone would do, while the HTTP
    // client's own message stays with the step.
    let finding = &transcript.diagnosis()[0];
    assert!(
        finding.message.contains("no complete answer within 0.3 s"),
        "{}",
        finding.message
    );
    assert!(
        !finding.message.contains("error sending request"),
        "{}",
        finding.message
    );
    assert!(
        finding
            .fix
            .contains("A phone fetching this URL gets no answer either")
    );
    assert!(!finding.fix.contains("about as long"), "{}", finding.fix);
    let (_, cause) = transcript.steps[0].error.as_ref().unwrap();
    assert!(cause.contains("error sending request"), "{cause}");
}

#[tokio::test]
async fn no_mac_password_says_register_first() {
    let sim = start(config(Fault::None)).await;
    let transcript = fetch(&device(&sim, "N510", None, WRONG)).await;
    let found = codes(&transcript);
    assert_eq!(found[0], Code::CredentialsRejected);
    assert!(found.contains(&Code::MacPasswordUnknown), "{found:?}");
    let skipped: Vec<Attempt> = transcript.skipped.iter().map(|(a, _)| *a).collect();
    assert_eq!(skipped, [Attempt::Mac]);
}

#[tokio::test]
async fn manual_entry_is_asked_for_and_tried() {
    let sim = start(config(Fault::None)).await;
    let spec = device(&sim, "Maxwell 3", Some("000000000000"), WRONG);
    let (answers, mut asked) = mpsc::channel(1);
    let mut prompts = 0;
    let mut on_event = |event: &Event| {
        if let Event::ManualEntry { attempt_no, tries } = event {
            prompts += 1;
            assert_eq!((*attempt_no, *tries), (1, 3));
            answers
                .try_send(Some(Credentials::new(USER, PASSWORD)))
                .expect("room for one answer");
        }
    };
    let transcript = run_fetch(&spec, Some(&mut asked), &mut on_event)
        .await
        .unwrap();
    assert_eq!(prompts, 1);
    assert!(transcript.ok(), "{:#?}", transcript.diagnosis());
    assert!(
        transcript.answered_challenge(0).is_some(),
        "the first challenge was answered by the next request"
    );
    assert_eq!(
        transcript.steps.last().unwrap().request.attempt,
        Attempt::Manual
    );
}

#[tokio::test]
async fn cancelled_manual_entry_ends_the_fetch() {
    let sim = start(config(Fault::None)).await;
    let spec = device(&sim, "DE900", Some("000000000000"), WRONG);
    let (answers, mut asked) = mpsc::channel(1);
    let mut on_event = |event: &Event| {
        if let Event::ManualEntry { tries, .. } = event {
            assert_eq!(*tries, 1, "a DE phone allows one manual try");
            answers.try_send(None).unwrap();
        }
    };
    let transcript = run_fetch(&spec, Some(&mut asked), &mut on_event)
        .await
        .unwrap();
    assert_eq!(statuses(&transcript), [Some(401), Some(401), Some(401)]);
    assert_eq!(codes(&transcript)[0], Code::CredentialsRejected);
}

/// Maxwell 3 with a display prompt that closes after one second instead of sixty, so that the
/// prompt running out takes a second of the test.
fn maxwell_with_a_brief_prompt() -> &'static ModelSpec {
    let maxwell = find_model("Maxwell 3").unwrap();
    let ManualEntry::Display {
        tries,
        from_firmware,
        ..
    } = maxwell.manual_entry
    else {
        panic!("the Maxwell 3 asks on its display");
    };
    Box::leak(Box::new(ModelSpec {
        manual_entry: ManualEntry::Display {
            tries,
            idle_timeout_s: 1,
            from_firmware,
        },
        ..*maxwell
    }))
}

#[tokio::test]
async fn a_prompt_nobody_types_into_is_diagnosed_as_run_out_not_as_no_credentials() {
    let sim = start(config(Fault::None)).await;
    let mut spec = FetchSpec::ad_hoc(sim.url("/cfg/%MACD.xml"), maxwell_with_a_brief_prompt());
    spec.mac = Some(Mac::parse(MAC).unwrap());
    // The prompt is open, and nobody answers it.
    let (_nobody, mut asked) = mpsc::channel(1);
    let transcript = run_fetch(&spec, Some(&mut asked), &mut |_| {})
        .await
        .unwrap();
    let main = &transcript.diagnosis()[0];
    assert_eq!(main.code, Code::ManualEntryTimedOut, "{main:#?}");
    assert_eq!(main.code.as_str(), "manual_entry_timed_out");
    assert_eq!(main.severity, Severity::Error);
    assert!(main.title.contains("within 1 s"), "{}", main.title);
    assert!(
        main.message.contains("Nothing was typed for 1 s"),
        "{}",
        main.message
    );
    for either in [
        "type the user name and password on the phone's prompt within 1 s",
        "an ad hoc fetch",
        "inventory device",
    ] {
        assert!(main.fix.contains(either), "{either:?} in {}", main.fix);
    }
    assert!(!codes(&transcript).contains(&Code::NoCredentials));
    assert_eq!(transcript.manual_closed, Some(Duration::from_secs(1)));
    let step = &transcript.steps[0];
    assert!(
        step.chosen_challenge().is_some(),
        "the device picked a challenge"
    );
    assert_eq!(
        transcript.answered_challenge(0),
        None,
        "and nothing answered it"
    );
}

fn tls_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tls")
        .join(name)
}

#[tokio::test]
async fn tls_is_verified_unless_told_otherwise() {
    let sim = start(SimConfig {
        tls: Some(SimTls::test_pair()),
        ..config(Fault::None)
    })
    .await;
    let mut spec = device(&sim, "N510", Some(MAC_PASSWORD), PASSWORD);
    assert!(spec.url.starts_with("https://"));
    let refused = fetch(&spec).await;
    assert_eq!(codes(&refused), [Code::TlsError]);
    assert!(
        refused.diagnosis()[0]
            .message
            .to_lowercase()
            .contains("certificate"),
        "{}",
        refused.diagnosis()[0].message
    );

    spec.tls.ca_file = Some(tls_file("ca.pem"));
    assert!(fetch(&spec).await.ok(), "trusted through the private CA");

    spec.tls.ca_file = None;
    spec.tls.accept_invalid_certs = true;
    assert!(fetch(&spec).await.ok(), "accept all certificates");
}

#[tokio::test]
async fn client_certificates_from_pem_and_pkcs12() {
    let mut tls = SimTls::test_pair();
    tls.client_ca_pem = Some(std::fs::read_to_string(tls_file("ca.pem")).unwrap());
    let sim = start(SimConfig {
        tls: Some(tls),
        ..config(Fault::None)
    })
    .await;
    let mut spec = device(&sim, "N510", Some(MAC_PASSWORD), PASSWORD);
    spec.tls.ca_file = Some(tls_file("ca.pem"));

    let without = fetch(&spec).await;
    assert!(!without.ok());

    spec.tls.client_identity = Some(ClientIdentity::Pem {
        cert: tls_file("client.pem"),
        key: tls_file("client.key"),
    });
    assert!(fetch(&spec).await.ok(), "PEM client certificate");

    spec.tls.client_identity = Some(ClientIdentity::Pkcs12 {
        path: tls_file("client.p12"),
        password: Secret::new("provdesk"),
    });
    assert!(fetch(&spec).await.ok(), "PKCS#12 client certificate");
    let seen = sim.requests();
    assert_eq!(
        seen.last().unwrap().client_cert_cn.as_deref(),
        Some(MAC),
        "the server identified the device by its certificate"
    );

    spec.tls.client_identity = Some(ClientIdentity::Pkcs12 {
        path: tls_file("client.p12"),
        password: Secret::new("not the password"),
    });
    let error = run_fetch(&spec, None, &mut |_| {}).await.unwrap_err();
    assert!(error.to_string().contains("client.p12"), "{error}");
}

#[tokio::test]
async fn reports_hold_no_secret() {
    let sim = start(config(Fault::None)).await;
    let transcript = fetch(&device(&sim, "N510", Some(MAC_PASSWORD), WRONG)).await;
    let json = Report::from_transcript(&transcript, false).to_json();
    let har = to_har(&transcript, Default::default());
    for text in [&json, &har] {
        assert!(!text.contains(MAC_PASSWORD));
        assert!(!text.contains(WRONG));
    }
    let ha1 = md5_hex(&format!("{MAC}:provdesk-sim:{MAC_PASSWORD}"));
    assert!(!json.contains(&ha1) && !har.contains(&ha1), "no HA1");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["final_status"], 200);
    assert_eq!(report["ok"], true);
    assert_eq!(report["steps"][1]["attempt"], "mac");
    assert_eq!(report["steps"][1]["digest"]["nc"], "00000001");
    assert_eq!(report["diagnosis"][0]["code"], "ok");
    let har: serde_json::Value = serde_json::from_str(&har).unwrap();
    assert_eq!(har["log"]["version"], "1.2");
    assert_eq!(har["log"]["entries"][0]["response"]["status"], 401);
    assert_eq!(har["log"]["entries"][1]["response"]["status"], 200);
    assert_eq!(transcript.diagnosis()[0].severity, Severity::Ok);
}

fn md5_hex(text: &str) -> String {
    use md5::Digest as _;
    md5::Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Review item 9: only the configured credentials that got the file are offered to keep; a
/// file got with the MAC password, or no file at all, proves nothing about them.
#[tokio::test]
async fn only_configured_credentials_that_got_the_file_are_proven() {
    let sim = start(config(Fault::None)).await;
    let spec = device(&sim, "N510", None, PASSWORD);
    let (mac, proven) = proven_credentials(&spec, &fetch(&spec).await).expect("proven");
    assert_eq!(mac, Mac::parse(MAC).unwrap());
    assert_eq!(proven, Credentials::new(USER, PASSWORD));

    let by_mac = device(&sim, "N510", Some(MAC_PASSWORD), WRONG);
    assert_eq!(proven_credentials(&by_mac, &fetch(&by_mac).await), None);
    let refused = device(&sim, "N510", None, WRONG);
    assert_eq!(proven_credentials(&refused, &fetch(&refused).await), None);
    let mut no_mac = device(&sim, "N510", None, PASSWORD);
    no_mac.url = sim.url(PATH);
    no_mac.mac = None;
    assert_eq!(proven_credentials(&no_mac, &fetch(&no_mac).await), None);
}
