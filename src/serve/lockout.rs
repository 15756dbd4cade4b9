//! Locking out a client after refused answers, as the common third-party nginx digest module
//! does (5 failures, 300 s): off unless asked for, since a phone's deliberate MAC / MAC password
//! attempt counts as one refusal.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Clients tracked at most; beyond it the ones seen longest ago are forgotten.
const MAX_CLIENTS: usize = 4096;

#[derive(Debug)]
pub(super) struct Lockout {
    after: u32,
    duration: Duration,
    clients: HashMap<IpAddr, (u32, Instant)>,
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
        let (count, since) = *self.clients.get(&client)?;
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

    /// Counts a refused answer; returns a note when it starts a lockout.
    pub(super) fn refused(&mut self, client: IpAddr, now: Instant) -> Option<String> {
        if self.clients.len() >= MAX_CLIENTS && !self.clients.contains_key(&client) {
            let oldest = self
                .clients
                .iter()
                .min_by_key(|(_, (_, at))| *at)
                .map(|(ip, _)| *ip);
            if let Some(oldest) = oldest {
                self.clients.remove(&oldest);
            }
        }
        let entry = self.clients.entry(client).or_insert((0, now));
        entry.0 += 1;
        entry.1 = now;
        (entry.0 == self.after).then(|| {
            format!(
                "{client} is now locked out for {} s after {} refused answers",
                self.duration.as_secs(),
                self.after
            )
        })
    }

    /// A served request clears the client's count.
    pub(super) fn served(&mut self, client: IpAddr) {
        self.clients.remove(&client);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nth_refusal_locks_until_the_time_is_up() {
        let client: IpAddr = "192.168.1.31".parse().unwrap();
        let mut lockout = Lockout::new(3, Duration::from_secs(300));
        let start = Instant::now();
        assert!(lockout.refused(client, start).is_none());
        assert!(lockout.refused(client, start).is_none());
        assert!(lockout.locked(client, start).is_none());
        assert!(
            lockout
                .refused(client, start)
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
        lockout.refused(client, start);
        lockout.served(client);
        assert!(lockout.locked(client, start).is_none());
    }
}
