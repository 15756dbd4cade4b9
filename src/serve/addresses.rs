//! The addresses the server can listen on, for the window's picker: loopback (this laptop
//! only, the safe default), the address the laptop reaches the LAN with, and every interface;
//! and where phones reach the server, for the URL both faces give them.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};

/// One choice of listening address, with what it means for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenChoice {
    pub ip: IpAddr,
    pub label: String,
}

/// Loopback first, then the LAN address (when the laptop has a route), then all interfaces.
pub fn listen_choices() -> Vec<ListenChoice> {
    let mut choices = vec![ListenChoice {
        ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
        label: "127.0.0.1 — this laptop only".into(),
    }];
    if let Some(lan) = lan_address() {
        choices.push(ListenChoice {
            ip: lan,
            label: format!("{lan} — the local network (phones can reach it)"),
        });
    }
    choices.push(ListenChoice {
        ip: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        label: "0.0.0.0 — every interface".into(),
    });
    choices
}

/// Where phones reach a server listening on `addr`: there, except that a server on every
/// interface (0.0.0.0) is reached at the laptop's address in the local network, since
/// 0.0.0.0 in a phone's URL reaches nothing.
pub fn reachable(addr: SocketAddr) -> SocketAddr {
    reachable_with(addr, lan_address())
}

fn reachable_with(addr: SocketAddr, lan: Option<IpAddr>) -> SocketAddr {
    match lan {
        Some(lan) if addr.ip().is_unspecified() => SocketAddr::new(lan, addr.port()),
        _ => addr,
    }
}

/// The address outgoing traffic would leave from: a UDP socket "connected" to a documentation
/// address sends nothing but makes the system choose its route.
fn lan_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_interface_is_reached_at_the_lan_address_and_the_rest_where_they_are() {
        let lan = Some(IpAddr::V4(Ipv4Addr::new(192, 168, 1, 20)));
        let any: SocketAddr = "0.0.0.0:8631".parse().unwrap();
        assert_eq!(
            reachable_with(any, lan),
            "192.168.1.20:8631".parse().unwrap()
        );
        assert_eq!(reachable_with(any, None), any, "no route: as listened on");
        for own in ["127.0.0.1:8631", "10.0.0.5:8631"] {
            let own: SocketAddr = own.parse().unwrap();
            assert_eq!(reachable_with(own, lan), own);
        }
    }

    #[test]
    fn loopback_comes_first_and_every_interface_last() {
        let choices = listen_choices();
        assert_eq!(choices[0].ip, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(
            choices.last().unwrap().ip,
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        );
    }
}
