//! Why no connection could be made, told apart: a name DNS does not know, a port nothing
//! listens on, a network with no route there. reqwest's message names the cause only in the
//! last of four links ("client error (Connect): tcp connect error: Connection refused (os
//! error 111)"), and each cause has its own fix. The test fetch's diagnosis and the redirect
//! client both read it from here.

use std::error::Error;
use std::io::ErrorKind;

/// A cause of a failed connection that has a fix of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreachable {
    /// The host name did not resolve.
    NameNotFound,
    /// The host answered the connection with a refusal: nothing listens on the port.
    Refused,
    /// No route to the host or its network.
    NoRoute,
}

impl Unreachable {
    /// Reads the cause from an error and its sources; `None` when it is none of these.
    pub fn of(error: &(dyn Error + 'static)) -> Option<Self> {
        let mut source = Some(error);
        while let Some(cause) = source {
            // hyper-util's resolver failure says "dns error" and wraps the system's own words.
            if cause.to_string().starts_with("dns error") {
                return Some(Self::NameNotFound);
            }
            if let Some(io) = cause.downcast_ref::<std::io::Error>() {
                match io.kind() {
                    ErrorKind::ConnectionRefused => return Some(Self::Refused),
                    ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => {
                        return Some(Self::NoRoute);
                    }
                    _ => {}
                }
            }
            source = cause.source();
        }
        None
    }

    /// The cause in a few words, for `host` (with its port where the URL gives one).
    pub fn words(self, host: &str) -> String {
        match self {
            Self::NameNotFound => format!("the name {} is not found (DNS)", name_of(host)),
            Self::Refused => format!("nothing listens on {host} (connection refused)"),
            Self::NoRoute => format!("no route to {host} (the network is unreachable)"),
        }
    }
}

/// The host name without its port (a name DNS could not find is never an IPv6 literal).
fn name_of(host: &str) -> &str {
    host.rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cause_is_found_among_the_sources() {
        let refused = std::io::Error::from(ErrorKind::ConnectionRefused);
        assert_eq!(Unreachable::of(&refused), Some(Unreachable::Refused));
        let no_route = std::io::Error::from(ErrorKind::HostUnreachable);
        assert_eq!(Unreachable::of(&no_route), Some(Unreachable::NoRoute));
        let other = std::io::Error::from(ErrorKind::PermissionDenied);
        assert_eq!(Unreachable::of(&other), None);
    }

    #[test]
    fn the_name_is_named_without_its_port() {
        assert_eq!(
            Unreachable::NameNotFound.words("prov.example.com:8080"),
            "the name prov.example.com is not found (DNS)"
        );
        assert_eq!(
            Unreachable::NameNotFound.words("prov.example.com"),
            "the name prov.example.com is not found (DNS)"
        );
        assert_eq!(
            Unreachable::Refused.words("127.0.0.1:9"),
            "nothing listens on 127.0.0.1:9 (connection refused)"
        );
    }
}
