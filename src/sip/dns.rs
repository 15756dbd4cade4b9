//! Finding the registrar (RFC 3263 §4, in the part phones use): an IP address needs no DNS; a
//! name with a port is looked up as A/AAAA; a name without one is first asked for SRV
//! (`_sip._udp`, `_sip._tcp`, `_sips._tcp` by transport), whose targets give host and port,
//! and else looked up as A/AAAA on the transport's default port. Every step becomes a
//! [`DnsStep`], so the installer sees why a test went where it went.

use std::net::{IpAddr, SocketAddr};

use hickory_resolver::TokioResolver;
use hickory_resolver::proto::rr::RData;

use crate::device::SipTransport;

use super::events::DnsStep;

/// Where to send, and the steps that led there; `Err` carries the steps too and why.
pub type Resolution = Result<Vec<SocketAddr>, String>;

/// The SRV name for a transport.
pub fn srv_name(transport: SipTransport, host: &str) -> String {
    let service = match transport {
        SipTransport::Udp => "_sip._udp",
        SipTransport::Tcp => "_sip._tcp",
        SipTransport::Tls => "_sips._tcp",
    };
    format!("{service}.{}.", host.trim_end_matches('.'))
}

/// Resolves `host` for `transport`, reporting each step to `step`.
pub async fn resolve(
    host: &str,
    port: Option<u16>,
    transport: SipTransport,
    step: &mut (dyn FnMut(DnsStep) + Send),
) -> Resolution {
    let default_port = port.unwrap_or(transport.default_port());
    if let Ok(ip) = host.parse::<IpAddr>() {
        step(DnsStep {
            query: format!("(none: {host} is an IP address)"),
            answers: vec![SocketAddr::new(ip, default_port).to_string()],
            note: "an IP address is used as it is; no DNS".to_string(),
        });
        return Ok(vec![SocketAddr::new(ip, default_port)]);
    }
    let resolver = TokioResolver::builder_tokio()
        .map_err(|e| format!("the system's DNS settings are unreadable: {e}"))?
        .build()
        .map_err(|e| format!("the DNS resolver cannot start: {e}"))?;
    if port.is_none() {
        let targets = srv_targets(&resolver, host, transport, step).await;
        for (target, target_port) in targets {
            if let Ok(found) = addresses(&resolver, &target, target_port, step).await {
                return Ok(found);
            }
        }
    }
    addresses(&resolver, host, default_port, step).await
}

/// The SRV targets for `host`, best first (lowest priority, then highest weight).
async fn srv_targets(
    resolver: &TokioResolver,
    host: &str,
    transport: SipTransport,
    step: &mut (dyn FnMut(DnsStep) + Send),
) -> Vec<(String, u16)> {
    let name = srv_name(transport, host);
    let query = format!("SRV {name}");
    match resolver.srv_lookup(name.as_str()).await {
        Ok(lookup) => {
            let mut records: Vec<_> = lookup
                .answers()
                .iter()
                .filter_map(|record| match &record.data {
                    RData::SRV(srv) => Some(srv.clone()),
                    _ => None,
                })
                .collect();
            records.sort_by_key(|srv| (srv.priority, std::cmp::Reverse(srv.weight)));
            let targets: Vec<(String, u16)> = records
                .iter()
                .map(|srv| (srv.target.to_utf8(), srv.port))
                .collect();
            step(DnsStep {
                query,
                answers: records
                    .iter()
                    .map(|srv| {
                        format!(
                            "priority {} weight {} → {}:{}",
                            srv.priority,
                            srv.weight,
                            srv.target.to_utf8(),
                            srv.port
                        )
                    })
                    .collect(),
                note: "the registrar is where the SRV records point, best first".to_string(),
            });
            targets
        }
        Err(error) => {
            step(DnsStep {
                query,
                answers: Vec::new(),
                note: format!(
                    "no SRV records ({}); the name itself is used on port {}",
                    dns_reason(&error),
                    transport.default_port()
                ),
            });
            Vec::new()
        }
    }
}

/// The A/AAAA addresses of `host` on `port`.
async fn addresses(
    resolver: &TokioResolver,
    host: &str,
    port: u16,
    step: &mut (dyn FnMut(DnsStep) + Send),
) -> Resolution {
    let query = format!("A/AAAA {host}");
    match resolver.lookup_ip(host).await {
        Ok(lookup) => {
            let found: Vec<SocketAddr> =
                lookup.iter().map(|ip| SocketAddr::new(ip, port)).collect();
            step(DnsStep {
                query,
                answers: found.iter().map(SocketAddr::to_string).collect(),
                note: "the test uses the first address".to_string(),
            });
            if found.is_empty() {
                Err(format!("{host} has no A or AAAA record"))
            } else {
                Ok(found)
            }
        }
        Err(error) => {
            let reason = dns_reason(&error);
            step(DnsStep {
                query,
                answers: Vec::new(),
                note: format!("no address: {reason}"),
            });
            Err(reason)
        }
    }
}

/// The resolver's error in the installer's words: "no records found for Query { name: … }"
/// says that the name has no such record (it does not exist, or not in this DNS).
fn dns_reason(error: &impl std::fmt::Display) -> String {
    let text = error.to_string();
    if text.contains("no records found") {
        "the DNS has no such record for this name".to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_record_is_said_plainly() {
        let raw = "DNS error: no records found for Query { name: Name(\"pbx.example.\"), query_type: AAAA }";
        assert!(!dns_reason(&raw).contains("Query {"));
        assert!(dns_reason(&raw).contains("no such record"));
        assert_eq!(dns_reason(&"connection refused"), "connection refused");
    }

    #[test]
    fn srv_names_follow_the_transport() {
        assert_eq!(
            srv_name(SipTransport::Udp, "example.com"),
            "_sip._udp.example.com."
        );
        assert_eq!(
            srv_name(SipTransport::Tls, "example.com."),
            "_sips._tcp.example.com."
        );
    }

    #[tokio::test]
    async fn an_ip_literal_skips_dns_and_says_so() {
        let mut steps = Vec::new();
        let found = resolve("127.0.0.1", Some(5070), SipTransport::Udp, &mut |s| {
            steps.push(s)
        })
        .await
        .unwrap();
        assert_eq!(found, vec!["127.0.0.1:5070".parse().unwrap()]);
        assert_eq!(steps.len(), 1);
        assert!(steps[0].note.contains("no DNS"));
    }
}
