//! Locking out a client after refused answers, as the common third-party nginx digest module
//! does (5 failures, 300 s): off unless asked for, since a phone's deliberate MAC / MAC password
//! attempt counts as one refusal.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use crate::device::Mac;

/// Clients tracked at most; beyond it the ones seen longest ago are forgotten.
const MAX_CLIENTS: usize = 4096;

#[derive(Debug)]
pub(super) struct Lockout {
    after: u32,
    duration: Duration,
    clients: HashMap<IpAddr, Client>,
}

/// One client's refused answers.
#[derive(Debug, Clone, Copy)]
struct Client {
    refusals: u32,
    last: Instant,
    /// The one device every counted refusal was for; `None` once they were for several. A
    /// served request clears the count only for that device, so whoever has one phone's
    /// credentials (its MAC password is on its label) cannot reset a brute force against
    /// another device by fetching their own file in between.
    device: Option<Mac>,
}

impl Lockout {
    pub(super) fn new(after: u32, duration: Duration) -> Self {
        Self {
            after: after.max(1),
            duration,
            clients: HashMap::new(),
        }
    }

    /// Seconds until `client` is served again; `None` when it is not locked out.
    pub(super) fn locked(&mut self, client: IpAddr, now: Instant) -> Option<u64> {
        let Client {
            refusals: count,
            last: since,
            ..
        } = *self.clients.get(&client)?;
        if count < self.after {
            return None;
        }
        let left = self
            .duration
            .saturating_sub(now.saturating_duration_since(since));
        if left.is_zero() {
            self.clients.remove(&client);
            return None;
        }
        Some(left.as_secs().max(1))
    }

    /// Counts a refused answer for `device`; returns a note when it starts a lockout.
    pub(super) fn refused(&mut self, client: IpAddr, device: Mac, now: Instant) -> Option<String> {
        if self.clients.len() >= MAX_CLIENTS && !self.clients.contains_key(&client) {
            let oldest = self
                .clients
                .iter()
                .min_by_key(|(_, counted)| counted.last)
                .map(|(ip, _)| *ip);
            if let Some(oldest) = oldest {
                self.clients.remove(&oldest);
            }
        }
        let entry = self.clients.entry(client).or_insert(Client {
            refusals: 0,
            last: now,
            device: Some(device),
        });
        entry.refusals += 1;
        entry.last = now;
        entry.device = entry.device.filter(|counted| *counted == device);
        (entry.refusals == self.after).then(|| {
            format!(
                "{client} is now locked out for {} s after {} refused answers",
                self.duration.as_secs(),
                self.after
            )
        })
    }

    /// A request served `device`'s file clears the client's count when every refusal counted
    /// was for that device.
    pub(super) fn served(&mut self, client: IpAddr, device: Mac) {
        if self
            .clients
            .get(&client)
            .is_some_and(|counted| counted.device == Some(device))
        {
            self.clients.remove(&client);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nth_refusal_locks_until_the_time_is_up() {
        let client: IpAddr = "192.168.1.31".parse().unwrap();
        let phone = Mac::parse("7C2F80820EC0").unwrap();
        let mut lockout = Lockout::new(3, Duration::from_secs(300));
        let start = Instant::now();
        assert!(lockout.refused(client, phone, start).is_none());
        assert!(lockout.refused(client, phone, start).is_none());
        assert!(lockout.locked(client, start).is_none());
        assert!(
            lockout
                .refused(client, phone, start)
                .unwrap()
                .contains("locked out for 300 s")
        );
        assert_eq!(
            lockout.locked(client, start + Duration::from_secs(100)),
            Some(200)
        );
        assert!(
            lockout
                .locked(client, start + Duration::from_secs(301))
                .is_none()
        );
        lockout.refused(client, phone, start);
        lockout.served(client, phone);
        assert!(lockout.locked(client, start).is_none());
    }
}
