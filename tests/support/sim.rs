//! Talking to the provisioning simulator as a client would: reqwest for ordinary requests,
//! a raw socket where reqwest would tidy the request up (dot segments, a chosen Host).

use std::net::SocketAddr;
use std::sync::Arc;

use provdesk::digest::{Algorithm, DigestChallenge, DigestInput, choose_qop, compute, parse_all};
use provdesk::secret::Secret;
use provdesk::sim::provisioning::TEST_CA_PEM;
use reqwest::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const USER: &str = "7C2F80820EC0";
pub const PASSWORD: &str = "2EE3EECC82C4";
pub const FILE: &str = "/7C2F80820EC0.xml";
pub const BODY: &str = "<ProviderFrame><Provider/></ProviderFrame>";

/// A client trusting the test CA, optionally presenting the test client certificate, that
/// follows no redirects and uses no proxy. The rustls config is built here on the ring
/// provider, since the crate installs no process-wide one.
pub fn client_with(trust_test_ca: bool, client_cert: bool) -> reqwest::Client {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    if trust_test_ca {
        for ca in CertificateDer::pem_slice_iter(TEST_CA_PEM.as_bytes()) {
            roots.add(ca.unwrap()).unwrap();
        }
    }
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
    let config = if client_cert {
        let chain =
            CertificateDer::pem_slice_iter(include_str!("../data/tls/client.pem").as_bytes())
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
        let key = PrivateKeyDer::from_pem_slice(include_str!("../data/tls/client.key").as_bytes())
            .unwrap();
        builder.with_client_auth_cert(chain, key).unwrap()
    } else {
        builder.with_no_client_auth()
    };
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub fn client() -> reqwest::Client {
    client_with(true, false)
}

/// The typed Digest challenges of a response, in order.
pub fn digest_challenges(response: &reqwest::Response) -> Vec<DigestChallenge> {
    let headers = response
        .headers()
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .map(|value| value.to_str().unwrap());
    parse_all(headers)
        .unwrap()
        .iter()
        .filter_map(|challenge| DigestChallenge::from_challenge(challenge).ok())
        .collect()
}

/// The `Authorization` value answering `challenge` for `uri`, with the given algorithm.
pub fn answer_with(
    challenge: &DigestChallenge,
    algorithm: Algorithm,
    user: &str,
    password: &str,
    uri: &str,
) -> String {
    let password = Secret::new(password);
    let input = DigestInput {
        username: user,
        password: &password,
        method: "GET",
        uri,
        body: b"",
        cnonce: "0a4f113b",
        nc: 1,
    };
    compute(challenge, algorithm, choose_qop(challenge), &input).authorization()
}

/// The answer with the challenge's own algorithm.
pub fn answer(challenge: &DigestChallenge, user: &str, password: &str, uri: &str) -> String {
    let algorithm = challenge.algorithm.clone().expect("a known algorithm");
    answer_with(challenge, algorithm, user, password, uri)
}

/// The path and query of a URL: what a client puts in `uri`.
pub fn target(url: &str) -> String {
    let url = reqwest::Url::parse(url).unwrap();
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    }
}

pub async fn get(
    client: &reqwest::Client,
    url: &str,
    authorization: Option<&str>,
) -> reqwest::Response {
    let mut request = client.get(url);
    if let Some(value) = authorization {
        request = request.header(AUTHORIZATION, value);
    }
    request.send().await.unwrap()
}

/// A request that must be challenged, then its answer: what curl --digest does.
pub async fn digest_get(
    client: &reqwest::Client,
    url: &str,
    user: &str,
    password: &str,
) -> reqwest::Response {
    let first = get(client, url, None).await;
    assert_eq!(first.status(), 401, "{url} is protected");
    let challenges = digest_challenges(&first);
    let authorization = answer(&challenges[0], user, password, &target(url));
    get(client, url, Some(&authorization)).await
}

/// A response read off a raw socket.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn digest_challenges(&self) -> Vec<DigestChallenge> {
        let headers = self
            .headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case("www-authenticate"))
            .map(|(_, value)| value.as_str());
        parse_all(headers)
            .unwrap()
            .iter()
            .filter_map(|challenge| DigestChallenge::from_challenge(challenge).ok())
            .collect()
    }
}

/// Sends exactly this request-target and Host over plain TCP, then reads until the server
/// closes (the request asks it to).
pub async fn raw_get(
    addr: SocketAddr,
    target: &str,
    host: &str,
    authorization: Option<&str>,
) -> RawResponse {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut request = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    if let Some(value) = authorization {
        request.push_str(&format!("Authorization: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    parse_raw(&String::from_utf8_lossy(&raw))
}

pub fn parse_raw(raw: &str) -> RawResponse {
    let (head, body) = raw.split_once("\r\n\r\n").expect("a complete response");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_string(), value.trim().to_string()))
        .collect();
    RawResponse {
        status,
        headers,
        body: body.to_string(),
    }
}
