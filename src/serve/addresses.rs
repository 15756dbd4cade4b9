//! The addresses the server can listen on, for the window's picker: loopback (this laptop
//! only, the safe default), the address the laptop reaches the LAN with, and every interface.

use std::net::{IpAddr, Ipv4Addr, UdpSocket};

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
    fn loopback_comes_first_and_every_interface_last() {
        let choices = listen_choices();
        assert_eq!(choices[0].ip, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(
            choices.last().unwrap().ip,
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        );
    }
}
