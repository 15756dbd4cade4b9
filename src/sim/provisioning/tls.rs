//! HTTPS for the simulator, optionally with client certificates (mutual TLS, as BroadWorks
//! uses to learn a device's MAC from its certificate).

use std::io;
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use tokio_rustls::TlsAcceptor;

use crate::secret::Secret;

/// The test CA that signed [`SimTls::test_pair`] and the test client certificate
/// (`tests/data/tls/`). Public test material, trusted by nothing real.
pub const TEST_CA_PEM: &str = include_str!("../../../tests/data/tls/ca.pem");

// Public test keys from tests/data/tls/ (see its README): anyone can read them, so they only
// serve demos and tests, never a real deployment.
const TEST_SERVER_CERT_PEM: &str = include_str!("../../../tests/data/tls/server.pem");
const TEST_SERVER_KEY_PEM: &str = include_str!("../../../tests/data/tls/server.key");

/// Certificates for serving HTTPS.
#[derive(Debug, Clone)]
pub struct SimTls {
    /// The server certificate first, then any intermediates.
    pub cert_chain_pem: String,
    /// The server's private key (PKCS#8, PKCS#1 or SEC1).
    pub key_pem: Secret,
    /// When set, clients must present a certificate signed by one of these CAs.
    pub client_ca_pem: Option<String>,
}

impl SimTls {
    /// The public test pair: valid for `127.0.0.1` and `localhost`, signed by [`TEST_CA_PEM`].
    pub fn test_pair() -> Self {
        Self {
            cert_chain_pem: TEST_SERVER_CERT_PEM.to_string(),
            key_pem: Secret::new(TEST_SERVER_KEY_PEM),
            client_ca_pem: None,
        }
    }

    /// A TLS acceptor on the ring provider, never a process-wide default, so the host
    /// program's own choice of provider does not matter.
    pub(crate) fn acceptor(&self) -> io::Result<TlsAcceptor> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let chain = certificates(&self.cert_chain_pem, "server certificate")?;
        let key = PrivateKeyDer::from_pem_slice(self.key_pem.expose().as_bytes())
            .map_err(|e| invalid(format!("server key unreadable: {e}")))?;
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid(e.to_string()))?;
        let builder = match &self.client_ca_pem {
            None => builder.with_no_client_auth(),
            Some(pem) => {
                let mut roots = RootCertStore::empty();
                for ca in certificates(pem, "client CA")? {
                    roots
                        .add(ca)
                        .map_err(|e| invalid(format!("client CA unusable: {e}")))?;
                }
                let verifier =
                    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                        .build()
                        .map_err(|e| invalid(format!("client CA unusable: {e}")))?;
                builder.with_client_cert_verifier(verifier)
            }
        };
        let mut config = builder
            .with_single_cert(chain, key)
            .map_err(|e| invalid(format!("server certificate and key do not fit: {e}")))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}

fn certificates(pem: &str, what: &str) -> io::Result<Vec<CertificateDer<'static>>> {
    let certificates = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid(format!("{what} unreadable: {e}")))?;
    if certificates.is_empty() {
        return Err(invalid(format!("{what}: no CERTIFICATE in the PEM text")));
    }
    Ok(certificates)
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// The subject common name of a DER certificate, for the request log. A hand-rolled DER walk
/// rather than an X.509 crate: only this one field is wanted, and rustls has already verified
/// the certificate. Returns `None` for anything unexpected, never panics.
pub(super) fn subject_common_name(certificate: &[u8]) -> Option<String> {
    const SEQUENCE: u8 = 0x30;
    const SET: u8 = 0x31;
    const OID_COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
    let (_, cert, _) = tlv(certificate, SEQUENCE)?;
    let (_, mut tbs, _) = tlv(cert, SEQUENCE)?;
    if tbs.first() == Some(&0xA0) {
        tbs = any_tlv(tbs)?.2; // [0] version
    }
    // serial, signature algorithm, issuer, validity; the subject follows.
    for _ in 0..4 {
        tbs = any_tlv(tbs)?.2;
    }
    let (_, mut subject, _) = tlv(tbs, SEQUENCE)?;
    while !subject.is_empty() {
        let (_, mut set, rest) = tlv(subject, SET)?;
        subject = rest;
        while !set.is_empty() {
            let (_, attribute, rest) = tlv(set, SEQUENCE)?;
            set = rest;
            let (_, oid, value) = tlv(attribute, 0x06)?;
            if oid == OID_COMMON_NAME {
                let (_, text, _) = any_tlv(value)?;
                return Some(String::from_utf8_lossy(text).into_owned());
            }
        }
    }
    None
}

/// One DER element with the expected tag: `(tag, contents, rest)`.
fn tlv(input: &[u8], tag: u8) -> Option<(u8, &[u8], &[u8])> {
    any_tlv(input).filter(|(found, _, _)| *found == tag)
}

/// One DER element of any (single-byte) tag: `(tag, contents, rest)`.
fn any_tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, input) = input.split_first()?;
    let (&first, mut input) = input.split_first()?;
    let length = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7F);
        if count == 0 || count > 4 {
            return None;
        }
        let (digits, rest) = input.split_at_checked(count)?;
        input = rest;
        digits
            .iter()
            .fold(0usize, |length, &digit| (length << 8) | usize::from(digit))
    };
    let (contents, rest) = input.split_at_checked(length)?;
    Some((tag, contents, rest))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn reads_the_test_client_common_name() {
        let pem = include_str!("../../../tests/data/tls/client.pem");
        let der = CertificateDer::from_pem_slice(pem.as_bytes()).unwrap();
        assert_eq!(subject_common_name(&der).as_deref(), Some("7C2F80820EC0"));
        let server = CertificateDer::from_pem_slice(TEST_SERVER_CERT_PEM.as_bytes()).unwrap();
        assert_eq!(subject_common_name(&server).as_deref(), Some("localhost"));
    }

    #[test]
    fn the_test_pair_makes_an_acceptor_and_bad_pem_says_what() {
        assert!(SimTls::test_pair().acceptor().is_ok());
        let mutual = SimTls {
            client_ca_pem: Some(TEST_CA_PEM.to_string()),
            ..SimTls::test_pair()
        };
        assert!(mutual.acceptor().is_ok());
        let broken = SimTls {
            cert_chain_pem: "not a certificate".into(),
            ..SimTls::test_pair()
        };
        let Err(error) = broken.acceptor() else {
            panic!("a broken certificate was accepted");
        };
        let error = error.to_string();
        assert!(error.contains("server certificate"), "{error}");
    }

    proptest! {
        #[test]
        fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = subject_common_name(&bytes);
        }
    }
}
