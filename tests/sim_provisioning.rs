//! The provisioning simulator over real sockets: digest as servers do it, and each fault.

use crate::support::sim;

use std::time::Duration;

use provdesk::digest::{Algorithm, Qop};
use provdesk::secret::Secret;
use provdesk::sim::provisioning::{Fault, ProvisioningSim, RunningSim, SimConfig, SimUser};
use sim::*;

fn config(fault: Fault) -> SimConfig {
    let mut config = SimConfig {
        fault,
        ..SimConfig::default()
    };
    config
        .users
        .push(SimUser::password(USER, Secret::new(PASSWORD)));
    config.files.insert(FILE.into(), BODY.as_bytes().to_vec());
    config
}

async fn start(config: SimConfig) -> RunningSim {
    ProvisioningSim::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap()
}

#[tokio::test]
async fn correct_credentials_get_the_file_and_the_log_shows_both_requests() {
    let sim = start(config(Fault::None)).await;
    let url = sim.url(FILE);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let first = get(&client(), &url, None).await;
    assert_eq!(first.status(), 401);
    let challenges = digest_challenges(&first);
    assert_eq!(challenges.len(), 1);
    assert_eq!(challenges[0].realm, "provdesk-sim");
    assert_eq!(challenges[0].algorithm, Ok(Algorithm::Md5));
    assert_eq!(challenges[0].qop, vec![Qop::Auth]);
    assert!(challenges[0].opaque.is_some() && !challenges[0].stale);

    let authorization = answer(&challenges[0], USER, PASSWORD, FILE);
    let second = get(&client(), &url, Some(&authorization)).await;
    assert_eq!(second.status(), 200);
    assert_eq!(second.headers()["content-type"], "application/xml");
    assert_eq!(second.text().await.unwrap(), BODY);

    let log = sim.requests();
    let statuses: Vec<_> = log.iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![Some(401), Some(200)]);
    assert_eq!(log[1].method, "GET");
    assert_eq!(log[1].target, FILE);
    assert_eq!(log[1].header("Authorization"), Some(authorization.as_str()));
    assert!(!log[1].headers.iter().any(|(_, v)| v.contains(PASSWORD)));
    sim.shutdown().await;
}

#[tokio::test]
async fn every_challenge_has_a_fresh_nonce_and_algorithms_keep_their_order() {
    let sim = start(SimConfig {
        algorithms: vec![Algorithm::Sha512_256, Algorithm::Sha256, Algorithm::Md5],
        ..config(Fault::None)
    })
    .await;
    let url = sim.url(FILE);
    let first = digest_challenges(&get(&client(), &url, None).await);
    let second = digest_challenges(&get(&client(), &url, None).await);
    let order: Vec<_> = first.iter().map(|c| c.algorithm.clone()).collect();
    assert_eq!(
        order,
        vec![
            Ok(Algorithm::Sha512_256),
            Ok(Algorithm::Sha256),
            Ok(Algorithm::Md5)
        ]
    );
    assert_ne!(first[0].nonce, second[0].nonce);
    for challenge in &second {
        let authorization = answer(challenge, USER, PASSWORD, FILE);
        assert_eq!(
            get(&client(), &url, Some(&authorization)).await.status(),
            200
        );
    }
}

#[tokio::test]
async fn wrong_password_gets_a_new_nonce_without_stale() {
    let sim = start(config(Fault::None)).await;
    let url = sim.url(FILE);
    let challenge = digest_challenges(&get(&client(), &url, None).await).remove(0);
    let wrong = answer(&challenge, USER, "000000000000", FILE);
    let rejected = get(&client(), &url, Some(&wrong)).await;
    assert_eq!(rejected.status(), 401);
    let again = digest_challenges(&rejected).remove(0);
    assert!(!again.stale);
    assert_ne!(again.nonce, challenge.nonce);
    let unknown = answer(&challenge, "someone", PASSWORD, FILE);
    assert_eq!(get(&client(), &url, Some(&unknown)).await.status(), 401);
    assert!(sim.requests()[1].why.contains("wrong response"));
}

#[tokio::test]
async fn a_uri_that_is_not_the_request_target_is_a_bad_request() {
    let sim = start(config(Fault::None)).await;
    let url = sim.url("/7C2F80820EC0.xml?fw=42");
    let challenge = digest_challenges(&get(&client(), &url, None).await).remove(0);
    // The query is part of the request-target: leaving it out is a mismatch.
    let without_query = answer(&challenge, USER, PASSWORD, FILE);
    assert_eq!(
        get(&client(), &url, Some(&without_query)).await.status(),
        400
    );
    let exact = answer(&challenge, USER, PASSWORD, &target(&url));
    let served = get(&client(), &url, Some(&exact)).await;
    assert_eq!(served.status(), 200, "query ignored for the file lookup");
}

#[tokio::test]
async fn an_expired_nonce_is_stale_when_the_answer_is_right() {
    let sim = start(SimConfig {
        nonce_lifetime: Duration::ZERO,
        ..config(Fault::None)
    })
    .await;
    let url = sim.url(FILE);
    let challenge = digest_challenges(&get(&client(), &url, None).await).remove(0);
    let right = answer(&challenge, USER, PASSWORD, FILE);
    let stale = get(&client(), &url, Some(&right)).await;
    assert_eq!(stale.status(), 401);
    let renewed = digest_challenges(&stale).remove(0);
    assert!(renewed.stale);
    assert_ne!(renewed.nonce, challenge.nonce);
}

#[tokio::test]
async fn rfc2069_without_qop() {
    let sim = start(SimConfig {
        qop: Vec::new(),
        ..config(Fault::None)
    })
    .await;
    let url = sim.url(FILE);
    let challenge = digest_challenges(&get(&client(), &url, None).await).remove(0);
    assert!(challenge.qop.is_empty());
    let authorization = answer(&challenge, USER, PASSWORD, FILE);
    assert!(!authorization.contains("qop="));
    assert_eq!(
        get(&client(), &url, Some(&authorization)).await.status(),
        200
    );
}

#[tokio::test]
async fn htdigest_users_answer_md5_but_not_sha256() {
    let ha1 = Algorithm::Md5.hash_hex(format!("{USER}:provdesk-sim:{PASSWORD}").as_bytes());
    let users = SimUser::load_htdigest(&format!("{USER}:provdesk-sim:{ha1}\n")).unwrap();
    let sim = start(SimConfig {
        users,
        algorithms: vec![Algorithm::Sha256, Algorithm::Md5],
        ..config(Fault::None)
    })
    .await;
    let url = sim.url(FILE);
    let challenges = digest_challenges(&get(&client(), &url, None).await);
    let sha256 = answer(&challenges[0], USER, PASSWORD, FILE);
    assert_eq!(get(&client(), &url, Some(&sha256)).await.status(), 401);
    let md5 = answer(&challenges[1], USER, PASSWORD, FILE);
    assert_eq!(get(&client(), &url, Some(&md5)).await.status(), 200);
}

#[tokio::test]
async fn a_missing_file_is_404_after_authentication() {
    let sim = start(config(Fault::None)).await;
    let response = digest_get(&client(), &sim.url("/nothing.xml"), USER, PASSWORD).await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn fault_stale_nonce_passes_after_one_retry() {
    let sim = start(config(Fault::StaleNonce)).await;
    let url = sim.url(FILE);
    let challenge = digest_challenges(&get(&client(), &url, None).await).remove(0);
    let first = get(
        &client(),
        &url,
        Some(&answer(&challenge, USER, PASSWORD, FILE)),
    )
    .await;
    assert_eq!(first.status(), 401);
    let renewed = digest_challenges(&first).remove(0);
    assert!(renewed.stale);
    let second = get(
        &client(),
        &url,
        Some(&answer(&renewed, USER, PASSWORD, FILE)),
    )
    .await;
    assert_eq!(second.status(), 200);
}

#[tokio::test]
async fn fault_stale_loop_is_stale_every_time() {
    let sim = start(config(Fault::StaleLoop)).await;
    let url = sim.url(FILE);
    let mut challenge = digest_challenges(&get(&client(), &url, None).await).remove(0);
    for _ in 0..3 {
        let response = get(
            &client(),
            &url,
            Some(&answer(&challenge, USER, PASSWORD, FILE)),
        )
        .await;
        assert_eq!(response.status(), 401);
        let renewed = digest_challenges(&response).remove(0);
        assert!(renewed.stale);
        assert_ne!(renewed.nonce, challenge.nonce);
        challenge = renewed;
    }
    // A wrong password is still a rejection, not stale.
    let wrong = get(&client(), &url, Some(&answer(&challenge, USER, "x", FILE))).await;
    assert!(!digest_challenges(&wrong)[0].stale);
}

#[tokio::test]
async fn fault_realm_changed_never_passes() {
    let sim = start(config(Fault::RealmChanged)).await;
    let url = sim.url(FILE);
    let challenge = digest_challenges(&get(&client(), &url, None).await).remove(0);
    assert_eq!(challenge.realm, "provdesk-sim-1");
    let response = get(
        &client(),
        &url,
        Some(&answer(&challenge, USER, PASSWORD, FILE)),
    )
    .await;
    assert_eq!(response.status(), 401);
    let next = digest_challenges(&response).remove(0);
    assert_eq!(next.realm, "provdesk-sim-2");
    assert!(!next.stale);
}

#[tokio::test]
async fn fault_algorithm_unsupported_offers_sha512_256_only() {
    let sim = start(config(Fault::AlgorithmUnsupported)).await;
    let url = sim.url(FILE);
    let challenges = digest_challenges(&get(&client(), &url, None).await);
    assert_eq!(challenges.len(), 1);
    assert_eq!(challenges[0].algorithm, Ok(Algorithm::Sha512_256));
    // What a Gigaset does: answer with MD5 anyway.
    let md5 = answer_with(&challenges[0], Algorithm::Md5, USER, PASSWORD, FILE);
    assert_eq!(get(&client(), &url, Some(&md5)).await.status(), 401);
    let sha = answer(&challenges[0], USER, PASSWORD, FILE);
    assert_eq!(get(&client(), &url, Some(&sha)).await.status(), 200);
}

#[tokio::test]
async fn fault_basic_only_challenges_basic_and_masks_it_in_the_log() {
    let sim = start(config(Fault::BasicOnly)).await;
    let url = sim.url(FILE);
    let first = get(&client(), &url, None).await;
    assert_eq!(first.status(), 401);
    let header = first.headers()["www-authenticate"].to_str().unwrap();
    assert!(
        header.starts_with("Basic realm=\"provdesk-sim\""),
        "{header}"
    );
    assert!(digest_challenges(&first).is_empty());
    let wrong = client()
        .get(&url)
        .basic_auth(USER, Some("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let right = client()
        .get(&url)
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    let logged = &sim.requests()[2];
    assert_eq!(logged.header("authorization"), Some("Basic ••••••"));
}

#[tokio::test]
async fn fault_no_challenge_is_401_without_www_authenticate() {
    let sim = start(config(Fault::NoChallenge)).await;
    let response = get(&client(), &sim.url(FILE), None).await;
    assert_eq!(response.status(), 401);
    assert!(response.headers().get("www-authenticate").is_none());
}

#[tokio::test]
async fn fault_uri_mismatch_refuses_every_answer() {
    let sim = start(config(Fault::UriMismatch)).await;
    let url = sim.url(FILE);
    let first = get(&client(), &url, None).await;
    assert_eq!(first.status(), 401, "the challenge itself is normal");
    let challenge = digest_challenges(&first).remove(0);
    let right = answer(&challenge, USER, PASSWORD, FILE);
    assert_eq!(get(&client(), &url, Some(&right)).await.status(), 400);
}

#[tokio::test]
async fn fault_redirect_needs_a_new_digest_for_the_new_uri() {
    let sim = start(config(Fault::Redirect)).await;
    let url = sim.url(FILE);
    let moved = get(&client(), &url, None).await;
    assert_eq!(moved.status(), 302);
    let location = moved.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, sim.url(&format!("/redirected{FILE}")));
    let challenge = digest_challenges(&get(&client(), &location, None).await).remove(0);
    let for_old_uri = answer(&challenge, USER, PASSWORD, FILE);
    assert_eq!(
        get(&client(), &location, Some(&for_old_uri)).await.status(),
        400
    );
    let served = digest_get(&client(), &location, USER, PASSWORD).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.text().await.unwrap(), BODY);
}

#[tokio::test]
async fn fault_redirect_other_host_swaps_the_host_name_and_keeps_the_port() {
    let sim = start(config(Fault::RedirectOtherHost)).await;
    let port = sim.addr().port();
    let by_ip = raw_get(sim.addr(), FILE, &format!("127.0.0.1:{port}"), None).await;
    assert_eq!(by_ip.status, 302);
    assert_eq!(
        by_ip.header("location"),
        Some(format!("http://localhost:{port}/redirected{FILE}").as_str())
    );
    let by_name = raw_get(sim.addr(), FILE, &format!("localhost:{port}"), None).await;
    assert_eq!(
        by_name.header("location"),
        Some(format!("http://127.0.0.1:{port}/redirected{FILE}").as_str())
    );
    let logged = sim.requests();
    assert_eq!(
        logged[1].header("host"),
        Some(format!("localhost:{port}").as_str())
    );
}

#[tokio::test]
async fn fault_lockout_answers_403_after_two_rejections() {
    let sim = start(config(Fault::Lockout { after: 2 })).await;
    let url = sim.url(FILE);
    let mut challenge = digest_challenges(&get(&client(), &url, None).await).remove(0);
    for _ in 0..2 {
        let wrong = get(&client(), &url, Some(&answer(&challenge, USER, "x", FILE))).await;
        assert_eq!(wrong.status(), 401);
        challenge = digest_challenges(&wrong).remove(0);
    }
    let right = get(
        &client(),
        &url,
        Some(&answer(&challenge, USER, PASSWORD, FILE)),
    )
    .await;
    assert_eq!(right.status(), 403);
    assert_eq!(get(&client(), &url, None).await.status(), 403);
}

#[tokio::test]
async fn fault_lockout_does_not_count_stale_or_missing_credentials() {
    let sim = start(SimConfig {
        nonce_lifetime: Duration::ZERO,
        ..config(Fault::Lockout { after: 1 })
    })
    .await;
    let url = sim.url(FILE);
    let mut challenge = digest_challenges(&get(&client(), &url, None).await).remove(0);
    for _ in 0..3 {
        let stale = get(
            &client(),
            &url,
            Some(&answer(&challenge, USER, PASSWORD, FILE)),
        )
        .await;
        assert_eq!(stale.status(), 401);
        challenge = digest_challenges(&stale).remove(0);
        assert!(challenge.stale);
    }
}

#[tokio::test]
async fn fault_not_found_authenticates_then_404() {
    let sim = start(config(Fault::NotFound)).await;
    let url = sim.url(FILE);
    assert_eq!(get(&client(), &url, None).await.status(), 401);
    assert_eq!(
        digest_get(&client(), &url, USER, PASSWORD).await.status(),
        404
    );
}

#[tokio::test]
async fn fault_server_error_is_500_to_everything() {
    let sim = start(config(Fault::ServerError)).await;
    let url = sim.url(FILE);
    assert_eq!(get(&client(), &url, None).await.status(), 500);
    assert_eq!(
        get(&client(), &url, Some("Digest username=\"x\""))
            .await
            .status(),
        500
    );
}

/// The client gives up, the request is logged unanswered, and shutdown closes the
/// connection the fault was holding open.
#[tokio::test]
async fn fault_timeout_never_answers_and_shutdown_closes_the_connection() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let sim = start(config(Fault::Timeout)).await;
    let impatient = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(300))
        .tls_backend_preconfigured(
            rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth(),
        )
        .build()
        .unwrap();
    let error = impatient.get(sim.url(FILE)).send().await.unwrap_err();
    assert!(error.is_timeout(), "{error}");

    let mut held = tokio::net::TcpStream::connect(sim.addr()).await.unwrap();
    held.write_all(format!("GET {FILE} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut events = sim.subscribe();
    while !sim.requests().iter().any(|r| r.header("host") == Some("x")) {
        events.recv().await.unwrap();
    }
    assert!(sim.requests().iter().all(|r| r.status.is_none()));
    sim.shutdown().await;
    let mut rest = Vec::new();
    let read = held.read_to_end(&mut rest).await;
    assert!(
        matches!(read, Ok(0)) || read.is_err(),
        "connection still answered: {rest:?}"
    );
}

/// For tests without a runtime: the simulator brings its own.
#[test]
fn start_blocking_serves_plain_blocking_clients() {
    use std::io::{Read, Write};

    let sim = ProvisioningSim::start_blocking("127.0.0.1:0".parse().unwrap(), config(Fault::None))
        .unwrap();
    let mut stream = std::net::TcpStream::connect(sim.addr()).unwrap();
    stream
        .write_all(
            format!("GET {FILE} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let response = parse_raw(&raw);
    assert_eq!(response.status, 401);
    assert_eq!(response.digest_challenges().len(), 1);
    assert_eq!(sim.requests().len(), 1);
    drop(sim);
}

#[tokio::test]
async fn start_blocking_refuses_inside_a_runtime() {
    let error =
        ProvisioningSim::start_blocking("127.0.0.1:0".parse().unwrap(), SimConfig::default())
            .unwrap_err();
    assert!(error.to_string().contains("use start"), "{error}");
}

#[tokio::test]
async fn dot_segments_are_400_before_authentication() {
    let sim = start(config(Fault::None)).await;
    let response = raw_get(sim.addr(), "/../etc/passwd", "127.0.0.1", None).await;
    assert_eq!(response.status, 400);
    assert!(response.header("www-authenticate").is_none());
}

#[tokio::test]
async fn the_folder_serves_its_files_and_nothing_outside() {
    let root = tempfile::tempdir().unwrap();
    let served = root.path().join("served");
    std::fs::create_dir(&served).unwrap();
    std::fs::write(served.join("a.xml"), "<a/>").unwrap();
    std::fs::write(root.path().join("secret.xml"), "<secret/>").unwrap();
    let sim = start(SimConfig {
        dir: Some(served),
        ..config(Fault::None)
    })
    .await;
    let ok = digest_get(&client(), &sim.url("/a.xml"), USER, PASSWORD).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "<a/>");
    assert_eq!(
        digest_get(&client(), &sim.url(FILE), USER, PASSWORD)
            .await
            .status(),
        200,
        "in-memory files still served"
    );
    // Encoded dot segments get past the early check; the folder lookup refuses them.
    for escape in ["/%2e%2e/secret.xml", "/..%2fsecret.xml", "/.%2e/secret.xml"] {
        let first = raw_get(sim.addr(), escape, "127.0.0.1", None).await;
        assert_eq!(first.status, 401, "{escape}");
        let authorization = answer(&first.digest_challenges()[0], USER, PASSWORD, escape);
        let second = raw_get(sim.addr(), escape, "127.0.0.1", Some(&authorization)).await;
        assert_eq!(second.status, 404, "{escape}");
        assert!(!second.body.contains("secret"), "{escape}");
    }
}

#[tokio::test]
async fn bad_configurations_are_refused_at_start() {
    let no_algorithm = SimConfig {
        algorithms: Vec::new(),
        ..SimConfig::default()
    };
    let error = ProvisioningSim::start("127.0.0.1:0".parse().unwrap(), no_algorithm)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    let missing_dir = SimConfig {
        dir: Some("/nonexistent/provdesk-sim".into()),
        ..SimConfig::default()
    };
    let error = ProvisioningSim::start("127.0.0.1:0".parse().unwrap(), missing_dir)
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("/nonexistent/provdesk-sim"),
        "{error}"
    );
}

/// A client that never finishes its request head cannot hold a connection for ever: the
/// simulator closes it after `HEADER_READ_TIMEOUT` (the guard only catches a hang).
#[tokio::test]
async fn a_request_head_that_never_ends_is_closed() {
    use provdesk::sim::HEADER_READ_TIMEOUT;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let sim = start(config(Fault::None)).await;
    let mut slow = tokio::net::TcpStream::connect(sim.addr()).await.unwrap();
    slow.write_all(format!("GET {FILE} HTTP/1.1\r\nHost: x\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(HEADER_READ_TIMEOUT * 6, slow.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the connection was still open");
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
}

/// The test fetch plays the model's own User-Agent, which the simulator recognises back; a
/// firmware older than the model's minimum for URL credentials leaves them out, as the phone
/// would.
#[tokio::test]
async fn the_test_fetch_sends_the_models_user_agent_and_honours_its_firmware() {
    use provdesk::device::{Mac, find_model};
    use provdesk::fetch::{FetchSpec, run_fetch};

    let sim = start(config(Fault::None)).await;
    let mut spec = FetchSpec::ad_hoc(sim.url(FILE), find_model("Maxwell 3").unwrap());
    spec.mac = Some(Mac::parse("7C2F80E61AF4").unwrap());
    spec.firmware = Some("82.2.25.1-release".into());
    run_fetch(&spec, None, &mut |_| {}).await.unwrap();
    let seen = sim.requests();
    assert_eq!(
        seen[0].header("user-agent"),
        Some("Maxwell 3 PRO/82.2.25.1-release;7C2F80E61AF4")
    );
    let phone = seen[0].phone().expect("the simulator recognises the phone");
    assert_eq!(phone.model.name, "Maxwell 3");
    assert_eq!(phone.firmware.as_deref(), Some("82.2.25.1-release"));

    let with_credentials =
        sim.url(FILE)
            .replacen("http://", &format!("http://{USER}:{PASSWORD}@"), 1);
    let mut n870 = FetchSpec::ad_hoc(with_credentials, find_model("N870").unwrap());
    n870.firmware = Some("83.V2.11.0".into());
    let old = run_fetch(&n870, None, &mut |_| {}).await.unwrap();
    assert!(
        old.notes
            .iter()
            .any(|(_, note)| note.contains("reads them only from 2.53")),
        "{:?}",
        old.notes
    );
    assert_eq!(old.steps.last().and_then(|s| s.status()), Some(401));
    n870.firmware = Some("83.V2.53.0".into());
    let current = run_fetch(&n870, None, &mut |_| {}).await.unwrap();
    assert_eq!(current.steps.last().and_then(|s| s.status()), Some(200));
    sim.shutdown().await;
}
