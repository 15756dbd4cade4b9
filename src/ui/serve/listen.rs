//! Where the Serve panel listens, kept between runs by kind (loopback, the local network,
//! every interface): the laptop's address in a site's network changes from site to site.

use std::net::IpAddr;

use crate::serve::ListenChoice;
use crate::ui::remember::Listen;

/// Where to listen among this laptop's `choices` now, for what was chosen last time: the
/// local network's address when the laptop has one, else every interface (phones reach that
/// too); loopback only when loopback was chosen.
pub fn choice_for(listen: Listen, choices: &[ListenChoice]) -> usize {
    let position = |wanted: fn(&IpAddr) -> bool| choices.iter().position(|c| wanted(&c.ip));
    let every = || position(IpAddr::is_unspecified);
    let found = match listen {
        Listen::ThisLaptop => position(IpAddr::is_loopback),
        Listen::LocalNetwork => {
            position(|ip| !ip.is_loopback() && !ip.is_unspecified()).or_else(every)
        }
        Listen::EveryInterface => every(),
    };
    found.unwrap_or(0)
}

/// The kind of a choice, to keep.
pub fn kind_of(choice: Option<&ListenChoice>) -> Listen {
    match choice.map(|c| c.ip) {
        Some(ip) if ip.is_unspecified() => Listen::EveryInterface,
        Some(ip) if !ip.is_loopback() => Listen::LocalNetwork,
        _ => Listen::ThisLaptop,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices(ips: &[&str]) -> Vec<ListenChoice> {
        ips.iter()
            .map(|ip| ListenChoice {
                ip: ip.parse().unwrap(),
                label: (*ip).to_string(),
            })
            .collect()
    }

    #[test]
    fn the_local_network_is_found_again_at_another_site_s_address() {
        let at_a_site = choices(&["127.0.0.1", "10.4.0.17", "0.0.0.0"]);
        let chosen = choice_for(Listen::LocalNetwork, &at_a_site);
        assert_eq!(at_a_site[chosen].ip.to_string(), "10.4.0.17");
        assert_eq!(kind_of(at_a_site.get(chosen)), Listen::LocalNetwork);
        for kind in [Listen::ThisLaptop, Listen::EveryInterface] {
            assert_eq!(kind_of(at_a_site.get(choice_for(kind, &at_a_site))), kind);
        }
    }

    #[test]
    fn without_a_network_the_local_choice_serves_every_interface() {
        let offline = choices(&["127.0.0.1", "0.0.0.0"]);
        assert_eq!(choice_for(Listen::LocalNetwork, &offline), 1);
        assert_eq!(choice_for(Listen::ThisLaptop, &offline), 0);
    }
}
