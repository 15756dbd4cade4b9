//! The test fetch against real servers: lighttpd (MD5, SHA-256) and Apache mod_auth_digest,
//! started on loopback with temporary configs. The whole ladder runs for real: a device whose
//! MAC password is right gets 200 on the second request, one with only the configured
//! credentials right on the third, and wrong credentials end with `credentials_rejected`.
//!
//! Ignored by default: they need lighttpd and Apache. `.ci/run` installs both and runs
//! `cargo test --test integration interop_ -- --include-ignored`.

use crate::support::servers;

use provdesk::device::{Mac, find_model};
use provdesk::fetch::{Attempt, Code, Credentials, FetchSpec, Transcript, run_fetch};
use provdesk::secret::Secret;
use servers::{DigestUser, RealServer, apache, lighttpd};

const REALM: &str = "provdesk interop";
const MAC: &str = "7C2F80820EC0";
const MAC_PASSWORD: &str = "123456789012";
const CONFIGURED: DigestUser = DigestUser {
    name: "provision",
    password: "s3cret:pass",
};
/// A wrong configured password, distinctive enough to spot if it ever leaked into a message.
const WRONG: &str = "Falsch-7Q";
const FILE: &str = "/cfg/7C2F80820EC0.xml";
const CONTENT: &[u8] = b"<?xml version=\"1.0\"?>\n<ProviderFrame/>\n";

/// The device: its URL with %MACD, its MAC password and its configured credentials, each
/// right or wrong as the test needs.
fn device(server: &RealServer, model: &str, mac_password: &str, password: &str) -> FetchSpec {
    let mut spec = FetchSpec::ad_hoc(
        format!("{}/cfg/%MACD.xml", server.base_url()),
        find_model(model).unwrap(),
    );
    spec.mac = Some(Mac::parse(MAC).unwrap());
    spec.mac_password = Some(Secret::new(mac_password));
    spec.configured = Some(Credentials::new(CONFIGURED.name, password));
    spec
}

fn fetch(spec: &FetchSpec) -> Transcript {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime
        .block_on(run_fetch(spec, None, &mut |_| {}))
        .expect("the fetch starts")
}

fn users() -> [DigestUser<'static>; 2] {
    [
        DigestUser {
            name: MAC,
            password: MAC_PASSWORD,
        },
        CONFIGURED,
    ]
}

/// The attempts made and their statuses, for failure messages and assertions.
fn ladder(transcript: &Transcript) -> Vec<(Attempt, Option<u16>)> {
    transcript
        .steps
        .iter()
        .map(|s| (s.request.attempt, s.status()))
        .collect()
}

fn codes(transcript: &Transcript) -> Vec<Code> {
    transcript.diagnosis().iter().map(|d| d.code).collect()
}

/// The three outcomes of the issue, against one server.
fn the_ladder_holds(server: &RealServer, model: &str) {
    let right_mac = fetch(&device(server, model, MAC_PASSWORD, WRONG));
    assert_eq!(
        ladder(&right_mac),
        [(Attempt::None, Some(401)), (Attempt::Mac, Some(200))],
        "{}",
        server.error_log()
    );
    assert_eq!(right_mac.steps[1].response.as_ref().unwrap().body, CONTENT);
    assert_eq!(codes(&right_mac), [Code::Ok]);

    let right_configured = fetch(&device(server, model, "000000000000", CONFIGURED.password));
    assert_eq!(
        ladder(&right_configured),
        [
            (Attempt::None, Some(401)),
            (Attempt::Mac, Some(401)),
            (Attempt::Configured, Some(200)),
        ]
    );
    assert_eq!(codes(&right_configured)[0], Code::Ok);

    let all_wrong = fetch(&device(server, model, "000000000000", WRONG));
    assert_eq!(
        ladder(&all_wrong),
        [
            (Attempt::None, Some(401)),
            (Attempt::Mac, Some(401)),
            (Attempt::Configured, Some(401)),
        ],
        "three requests and no loop"
    );
    assert_eq!(codes(&all_wrong)[0], Code::CredentialsRejected);
    let message = &all_wrong.diagnosis()[0].message;
    assert!(
        message.contains(MAC) && message.contains(CONFIGURED.name),
        "{message}"
    );
    assert!(!message.contains(WRONG), "no password in the diagnosis");
}

#[test]
#[ignore = "needs lighttpd (apt-get install -y lighttpd)"]
fn lighttpd_md5_ladder() {
    let server = lighttpd("MD5", REALM, &users(), &[(FILE, CONTENT)]);
    the_ladder_holds(&server, "N510");
}

#[test]
#[ignore = "needs lighttpd (apt-get install -y lighttpd)"]
fn lighttpd_sha256_for_a_model_that_does_sha256() {
    // No Gigaset model is known to do SHA-256; the generic SIP device does, and its ladder is
    // anonymous → configured.
    let server = lighttpd("SHA-256", REALM, &users(), &[(FILE, CONTENT)]);
    let right = fetch(&device(
        &server,
        "Generic",
        MAC_PASSWORD,
        CONFIGURED.password,
    ));
    assert_eq!(
        ladder(&right),
        [(Attempt::None, Some(401)), (Attempt::Configured, Some(200))],
        "{}",
        server.error_log()
    );
    let authorization = &right.steps[1].request.headers;
    assert!(
        authorization
            .iter()
            .any(|h| h.name == "Authorization" && h.value.contains("algorithm=SHA-256")),
        "{authorization:?}"
    );
    let wrong = fetch(&device(&server, "Generic", MAC_PASSWORD, WRONG));
    assert_eq!(
        ladder(&wrong),
        [(Attempt::None, Some(401)), (Attempt::Configured, Some(401))]
    );
    assert_eq!(codes(&wrong)[0], Code::CredentialsRejected);
}

#[test]
#[ignore = "needs lighttpd (apt-get install -y lighttpd)"]
fn lighttpd_offering_sha256_and_md5_gets_md5_from_a_gigaset() {
    let server = lighttpd("SHA-256|MD5", REALM, &users(), &[(FILE, CONTENT)]);
    the_ladder_holds(&server, "Maxwell 3");
}

#[test]
#[ignore = "needs lighttpd (apt-get install -y lighttpd)"]
fn lighttpd_sha256_only_is_algorithm_unsupported_for_a_gigaset() {
    let server = lighttpd("SHA-256", REALM, &users(), &[(FILE, CONTENT)]);
    let transcript = fetch(&device(&server, "N510", MAC_PASSWORD, CONFIGURED.password));
    assert_eq!(ladder(&transcript), [(Attempt::None, Some(401))]);
    assert_eq!(codes(&transcript), [Code::AlgorithmUnsupported]);
}

#[test]
#[ignore = "needs Apache (apt-get install -y apache2)"]
fn apache_mod_auth_digest_ladder() {
    let server = apache(REALM, &users(), &[(FILE, CONTENT)]);
    the_ladder_holds(&server, "N720");
}

#[test]
#[ignore = "needs lighttpd (apt-get install -y lighttpd)"]
fn a_missing_file_is_not_found_after_authentication() {
    let server = lighttpd("MD5", REALM, &users(), &[(FILE, CONTENT)]);
    let mut spec = device(&server, "N510", MAC_PASSWORD, WRONG);
    spec.url = format!("{}/cfg/other-%MACD.xml", server.base_url());
    let transcript = fetch(&spec);
    assert_eq!(
        ladder(&transcript),
        [(Attempt::None, Some(401)), (Attempt::Mac, Some(404))]
    );
    assert_eq!(codes(&transcript), [Code::NotFound]);
}
