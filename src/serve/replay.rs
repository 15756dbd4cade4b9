//! The highest nonce count each nonce was taken with, so a digest answer is taken once: a
//! phone counts `nc` up for each request on a nonce (RFC 7616 §3.4), or asks for a new nonce,
//! and Apache's `mod_auth_digest` refuses a count it has seen; an answer captured on the LAN
//! would otherwise fetch the file (with its passwords) again until the nonce expires.
//!
//! Only answers that passed the password check are noted, so a client without credentials
//! cannot grow this. It is bounded all the same: a nonce past its lifetime is stale whatever
//! its count and is forgotten; when the table is full, the oldest is forgotten and every nonce
//! issued up to it is then answered as stale (the phone takes a new nonce and is served),
//! never taken again.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Nonces remembered at most: a bench of phones each fetching once uses one per phone.
const MAX_NONCES: usize = 4096;

/// What the count says of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Count {
    /// A count above every earlier one on this nonce: taken, and noted.
    New,
    /// The count (or a higher one) was taken on this nonce before.
    Repeated,
    /// The nonce was forgotten to make room: answered as stale.
    Forgotten,
}

#[derive(Debug, Default)]
pub(super) struct NonceCounts {
    /// Per nonce: when it was issued, and the highest count taken.
    counts: HashMap<String, (Instant, u32)>,
    /// Nonces issued up to this time are no longer counted.
    forgotten_up_to: Option<Instant>,
}

impl NonceCounts {
    /// Notes `nc` (the text the phone sent: 8 hex digits; absent without qop, counted as 0) for
    /// `nonce`, issued at `issued`, at `now`.
    pub(super) fn take(
        &mut self,
        nonce: &str,
        nc: Option<&str>,
        issued: Instant,
        now: Instant,
        lifetime: Duration,
    ) -> Count {
        let count = nc
            .and_then(|nc| u32::from_str_radix(nc, 16).ok())
            .unwrap_or(0);
        if let Some((_, highest)) = self.counts.get_mut(nonce) {
            if count <= *highest {
                return Count::Repeated;
            }
            *highest = count;
            return Count::New;
        }
        if self.forgotten_up_to.is_some_and(|up_to| issued <= up_to) {
            return Count::Forgotten;
        }
        if self.counts.len() >= MAX_NONCES {
            self.counts
                .retain(|_, (at, _)| now.saturating_duration_since(*at) <= lifetime);
        }
        if self.counts.len() >= MAX_NONCES {
            self.forget_oldest();
        }
        self.counts.insert(nonce.to_string(), (issued, count));
        Count::New
    }

    fn forget_oldest(&mut self) {
        let Some((nonce, at)) = self
            .counts
            .iter()
            .min_by_key(|(_, (at, _))| *at)
            .map(|(nonce, (at, _))| (nonce.clone(), *at))
        else {
            return;
        };
        self.counts.remove(&nonce);
        self.forgotten_up_to = Some(self.forgotten_up_to.map_or(at, |up_to| up_to.max(at)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIFETIME: Duration = Duration::from_secs(300);

    #[test]
    fn a_count_is_taken_once_and_only_upwards() {
        let mut counts = NonceCounts::default();
        let now = Instant::now();
        let take = |counts: &mut NonceCounts, nc| counts.take("n1", Some(nc), now, now, LIFETIME);
        assert_eq!(take(&mut counts, "00000001"), Count::New);
        assert_eq!(take(&mut counts, "00000001"), Count::Repeated);
        assert_eq!(take(&mut counts, "00000003"), Count::New);
        assert_eq!(take(&mut counts, "00000002"), Count::Repeated);
        assert_eq!(take(&mut counts, "0000000a"), Count::New);
        assert_eq!(
            counts.take("n2", Some("00000001"), now, now, LIFETIME),
            Count::New,
            "another nonce counts on its own"
        );
        assert_eq!(counts.take("n3", None, now, now, LIFETIME), Count::New);
        assert_eq!(
            counts.take("n3", None, now, now, LIFETIME),
            Count::Repeated,
            "without qop a nonce is taken once"
        );
    }

    /// A full table forgets its oldest nonce, and an answer on a forgotten nonce is stale,
    /// never taken again; the table does not grow past its bound.
    #[test]
    fn the_table_is_bounded_and_a_forgotten_nonce_is_never_taken_again() {
        let mut counts = NonceCounts::default();
        let start = Instant::now();
        let at = |n: usize| start + Duration::from_millis(n as u64);
        for n in 0..=MAX_NONCES {
            let nonce = format!("n{n}");
            assert_eq!(
                counts.take(&nonce, Some("00000001"), at(n), at(n), LIFETIME),
                Count::New
            );
        }
        assert_eq!(counts.counts.len(), MAX_NONCES);
        let now = at(MAX_NONCES);
        assert_eq!(
            counts.take("n0", Some("00000001"), at(0), now, LIFETIME),
            Count::Forgotten
        );
        assert_eq!(
            counts.take("n1", Some("00000001"), at(1), now, LIFETIME),
            Count::Repeated
        );
        let later = now + LIFETIME * 2;
        assert_eq!(
            counts.take("fresh", Some("00000001"), later, later, LIFETIME),
            Count::New
        );
        assert_eq!(counts.counts.len(), 1, "the expired nonces were dropped");
    }
}
