//! The provisioning simulator over HTTPS, with and without client certificates.

use crate::support::sim;

use provdesk::secret::Secret;
use provdesk::sim::provisioning::{
    ProvisioningSim, RunningSim, SimConfig, SimTls, SimUser, TEST_CA_PEM,
};
use sim::*;

async fn start(tls: SimTls) -> RunningSim {
    let mut config = SimConfig {
        tls: Some(tls),
        ..SimConfig::default()
    };
    config
        .users
        .push(SimUser::password(USER, Secret::new(PASSWORD)));
    config.files.insert(FILE.into(), BODY.as_bytes().to_vec());
    ProvisioningSim::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap()
}

fn mutual() -> SimTls {
    SimTls {
        client_ca_pem: Some(TEST_CA_PEM.to_string()),
        ..SimTls::test_pair()
    }
}

#[tokio::test]
async fn https_with_the_test_ca_serves_the_file() {
    let sim = start(SimTls::test_pair()).await;
    let url = sim.url(FILE);
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let response = digest_get(&client(), &url, USER, PASSWORD).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), BODY);
    assert_eq!(sim.requests()[1].client_cert_cn, None);
}

#[tokio::test]
async fn a_client_that_does_not_trust_the_ca_gets_no_answer() {
    let sim = start(SimTls::test_pair()).await;
    let error = client_with(false, false)
        .get(sim.url(FILE))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn mutual_tls_logs_the_client_certificate_name() {
    let sim = start(mutual()).await;
    let response = digest_get(&client_with(true, true), &sim.url(FILE), USER, PASSWORD).await;
    assert_eq!(response.status(), 200);
    let logged = sim.requests();
    assert_eq!(logged.len(), 2);
    for request in &logged {
        assert_eq!(request.client_cert_cn.as_deref(), Some("7C2F80820EC0"));
    }
}

#[tokio::test]
async fn mutual_tls_refuses_a_client_without_a_certificate() {
    let sim = start(mutual()).await;
    let result = client().get(sim.url(FILE)).send().await;
    assert!(result.is_err(), "{result:?}");
    assert!(sim.requests().is_empty());
}
