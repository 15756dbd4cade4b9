//! A `500` from provdesk's own Serve. The diagnosis of a fetch says "read the server's error
//! log", which for a URL pointing at this laptop's running Serve is the Serve panel's log of
//! this phone: the fix names it, with the reason Serve logged where it is known.

use std::net::{IpAddr, SocketAddr};

use super::finding::{Code, Diagnosis};

/// provdesk's Serve as the app knows it while it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnServe {
    pub listening: SocketAddr,
    /// The addresses of this computer a listener on every interface (0.0.0.0) answers on,
    /// besides loopback.
    pub local: Vec<IpAddr>,
    /// Why Serve failed the fetched phone, as its log says; `None` when it has no such entry.
    pub why: Option<String>,
}

impl OwnServe {
    /// Whether a request to `url` reaches this Serve: its port, at its own address, at a
    /// loopback address or `localhost` while it listens on loopback or every interface, or at
    /// one of this computer's addresses while it listens on every interface.
    pub fn answers(&self, url: &str) -> bool {
        let Ok(url) = reqwest::Url::parse(url) else {
            return false;
        };
        if url.port_or_known_default() != Some(self.listening.port()) {
            return false;
        }
        let listener = self.listening.ip().to_canonical();
        let loopback = listener.is_loopback() || listener.is_unspecified();
        let host = url.host_str().unwrap_or_default();
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        match bare.parse::<IpAddr>() {
            Ok(ip) => self.has(ip),
            Err(_) => {
                let name = bare.trim_end_matches('.').to_ascii_lowercase();
                loopback && (name == "localhost" || name.ends_with(".localhost"))
            }
        }
    }

    fn has(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        let listener = self.listening.ip().to_canonical();
        ip == listener
            || (ip.is_loopback() && (listener.is_loopback() || listener.is_unspecified()))
            || (listener.is_unspecified() && self.local.iter().any(|l| l.to_canonical() == ip))
    }

    /// Whether `finding` of a fetch that requested `url` last is a server error this Serve gave.
    pub fn failed(&self, finding: &Diagnosis, url: &str) -> bool {
        finding.code == Code::ServerError && self.answers(url)
    }

    /// The fix for `finding` of a fetch that requested `url` last, when the finding is a
    /// server error and this Serve gave it; `None` otherwise.
    pub fn fix(&self, finding: &Diagnosis, url: &str) -> Option<String> {
        if !self.failed(finding, url) {
            return None;
        }
        let status = finding
            .title
            .rsplit_once('(')
            .and_then(|(_, status)| status.strip_suffix(')'))
            .unwrap_or("500");
        Some(match &self.why {
            Some(why) => format!(
                "provdesk's Serve answered {status} — see the Serve panel's log for this phone: {why}."
            ),
            None => format!(
                "provdesk's Serve answered {status} — see the Serve panel's log for this phone."
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::finding::Severity;

    fn serve(listening: &str) -> OwnServe {
        OwnServe {
            listening: listening.parse().unwrap(),
            local: vec!["192.168.1.20".parse().unwrap()],
            why: Some("its file cannot be rendered: unknown variable {{x}}".into()),
        }
    }

    #[test]
    fn the_listener_is_told_apart_by_host_and_port() {
        let lo = serve("127.0.0.1:8631");
        assert!(lo.answers("http://127.0.0.1:8631/x.xml"));
        assert!(lo.answers("http://localhost:8631/x.xml"));
        assert!(lo.answers("http://[::1]:8631/x.xml"));
        assert!(!lo.answers("http://127.0.0.1:8632/x.xml"), "another port");
        assert!(
            !lo.answers("http://192.168.1.20:8631/x.xml"),
            "not on the LAN"
        );
        assert!(!lo.answers("http://prov.example:8631/x.xml"));
        let every = serve("0.0.0.0:8631");
        assert!(every.answers("http://192.168.1.20:8631/x.xml"));
        assert!(every.answers("http://localhost:8631/x.xml"));
        assert!(
            !every.answers("http://192.168.1.21:8631/x.xml"),
            "another machine"
        );
        let lan = serve("192.168.1.20:80");
        assert!(lan.answers("http://192.168.1.20/x.xml"), "the default port");
        assert!(!lan.answers("not a url"));
    }

    #[test]
    fn only_a_server_error_of_this_serve_names_the_serve_panel() {
        let finding = |code| Diagnosis {
            code,
            severity: Severity::Error,
            title: "The server failed (500)".into(),
            message: String::new(),
            fix: "Read the server's error log".into(),
        };
        let lo = serve("127.0.0.1:8631");
        let fix = lo
            .fix(&finding(Code::ServerError), "http://127.0.0.1:8631/x.xml")
            .unwrap();
        assert_eq!(
            fix,
            "provdesk's Serve answered 500 — see the Serve panel's log for this phone: its file cannot be rendered: unknown variable {{x}}."
        );
        assert!(
            lo.fix(&finding(Code::NotFound), "http://127.0.0.1:8631/x.xml")
                .is_none()
        );
        assert!(
            lo.fix(&finding(Code::ServerError), "http://127.0.0.1:9/x.xml")
                .is_none()
        );
    }
}
