//! Whether a URL names this computer: a loopback address (127.0.0.0/8, ::1, localhost) or the
//! unspecified one. A phone given such a URL asks itself and never gets its file, so where a
//! URL goes out to phones (the redirect server) it gets a warning. A lab that runs its
//! redirect simulator on the same machine uses one on purpose, so it is not refused.

use std::net::IpAddr;

pub fn names_this_computer(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let name = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<IpAddr>()
            .map(|ip| ip.to_canonical())
            .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text is read without a panic, and every loopback address names this computer
        /// whatever its port, user and path.
        #[test]
        fn any_text_is_read_and_all_of_127_is_this_computer(
            text in "\\PC{0,80}",
            (b, c, d) in (any::<u8>(), any::<u8>(), any::<u8>()),
            port in 1u16..,
            path in "[a-zA-Z0-9/%._-]{0,20}",
        ) {
            let _ = names_this_computer(&text);
            let url = format!("http://u:p@127.{b}.{c}.{d}:{port}/{path}");
            prop_assert!(names_this_computer(&url), "{}", url);
        }
    }

    #[test]
    fn loopback_and_unspecified_hosts_name_this_computer() {
        for url in [
            "http://127.0.0.1:8631/%MACD.xml",
            "http://127.8.9.10/x",
            "https://localhost/%MACD.xml",
            "http://LOCALHOST.:80/x",
            "http://app.localhost/x",
            "http://[::1]:8631/%MACD.xml",
            "http://[::ffff:127.0.0.1]/x",
            "http://0.0.0.0:8631/x",
            "http://user:p%40ss@127.0.0.1/x",
        ] {
            assert!(names_this_computer(url), "{url}");
        }
    }

    #[test]
    fn hosts_a_phone_can_reach_do_not() {
        for url in [
            "http://192.168.1.20:8631/%MACD.xml",
            "https://prov.example.com/%MACD.xml",
            "http://[fe80::1]/x",
            "http://localhost.example.com/x",
            "http://10.0.0.1/127.0.0.1",
            "http://127.0.0.1.nip.io/x",
        ] {
            assert!(!names_this_computer(url), "{url}");
        }
    }
}
