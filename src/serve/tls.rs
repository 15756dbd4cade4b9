//! HTTPS for `provdesk serve`: a certificate and key from files, or a self-signed one made on
//! first use and kept beside the inventory (the key user-only), so phones that pin or accept it
//! see the same one next time. Its SHA-256 fingerprint is shown to compare on the phone.

use std::io;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio_rustls::TlsAcceptor;

use crate::private_file::write_private;
use crate::secret::Secret;
use crate::sim::provisioning::SimTls;

/// Where the server's certificate comes from.
#[derive(Debug, Clone)]
pub enum TlsSource {
    /// `serve-cert.pem` / `serve-key.pem` in `dir`, made when missing.
    SelfSigned { dir: PathBuf },
    /// PEM files the user gives.
    Files { cert: PathBuf, key: PathBuf },
}

/// A certificate and key ready to serve, with what to show about them.
#[derive(Debug, Clone)]
pub struct TlsIdentity {
    pair: SimTls,
    /// SHA-256 of the certificate (DER), hex pairs with colons, as browsers show it.
    pub fingerprint: String,
    /// The file the certificate is in, to give to clients that should trust it.
    pub cert_path: PathBuf,
    /// True when this run made the certificate.
    pub made_now: bool,
}

impl TlsSource {
    /// The self-signed pair kept in the inventory's folder, where the CLI and the window both
    /// look for it.
    pub fn beside_inventory(db: &Path) -> Self {
        TlsSource::SelfSigned {
            dir: db
                .parent()
                .filter(|dir| !dir.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        }
    }
}

const CERT_FILE: &str = "serve-cert.pem";
const KEY_FILE: &str = "serve-key.pem";

impl TlsIdentity {
    /// Reads the files, or makes the self-signed pair valid for `localhost`, loopback and
    /// `addresses`.
    pub fn load(source: &TlsSource, addresses: &[IpAddr]) -> io::Result<Self> {
        let (cert_path, key_path, made_now) = match source {
            TlsSource::Files { cert, key } => (cert.clone(), key.clone(), false),
            TlsSource::SelfSigned { dir } => {
                let cert = dir.join(CERT_FILE);
                let key = dir.join(KEY_FILE);
                let made = !cert.exists() || !key.exists();
                if made {
                    make_self_signed(&cert, &key, addresses)?;
                }
                (cert, key, made)
            }
        };
        let read = |path: &Path, what: &str| {
            std::fs::read_to_string(path)
                .map_err(|e| io::Error::new(e.kind(), format!("{what} {}: {e}", path.display())))
        };
        let cert_pem = read(&cert_path, "certificate")?;
        let key_pem = Secret::new(read(&key_path, "key")?);
        let fingerprint = fingerprint(&cert_pem)?;
        Ok(Self {
            pair: SimTls {
                cert_chain_pem: cert_pem,
                key_pem,
                client_ca_pem: None,
            },
            fingerprint,
            cert_path,
            made_now,
        })
    }

    pub(super) fn acceptor(&self) -> io::Result<TlsAcceptor> {
        self.pair.acceptor()
    }
}

fn make_self_signed(cert: &Path, key: &Path, addresses: &[IpAddr]) -> io::Result<()> {
    let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    names.extend(
        addresses
            .iter()
            .filter(|ip| !ip.is_unspecified())
            .map(ToString::to_string),
    );
    names.dedup();
    let made = rcgen::generate_simple_self_signed(names)
        .map_err(|e| io::Error::other(format!("cannot make a certificate: {e}")))?;
    if let Some(dir) = cert.parent() {
        std::fs::create_dir_all(dir)?;
    }
    write_private(key, made.signing_key.serialize_pem().as_bytes())?;
    std::fs::write(cert, made.cert.pem())
}

fn fingerprint(cert_pem: &str) -> io::Result<String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let der = CertificateDer::pem_slice_iter(cert_pem.as_bytes())
        .next()
        .ok_or_else(|| io::Error::other("the certificate file holds no certificate"))?
        .map_err(|e| io::Error::other(format!("certificate unreadable: {e}")))?;
    Ok(Sha256::digest(der.as_ref())
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_self_signed_pair_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let source = TlsSource::SelfSigned {
            dir: dir.path().to_path_buf(),
        };
        let first = TlsIdentity::load(&source, &[]).unwrap();
        assert!(first.made_now);
        assert_eq!(first.fingerprint.len(), 32 * 3 - 1);
        let again = TlsIdentity::load(&source, &[]).unwrap();
        assert!(!again.made_now);
        assert_eq!(again.fingerprint, first.fingerprint);
        assert!(first.acceptor().is_ok());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_missing_file_says_which() {
        let source = TlsSource::Files {
            cert: "/nonexistent/c.pem".into(),
            key: "/nonexistent/k.pem".into(),
        };
        let error = TlsIdentity::load(&source, &[]).unwrap_err().to_string();
        assert!(error.contains("certificate /nonexistent/c.pem"), "{error}");
    }
}
