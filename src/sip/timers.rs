//! The non-INVITE client transaction's timers over UDP (RFC 3261 §17.1.2.2): Timer E resends
//! the request after T1, then doubling up to T2; Timer F gives up after 64·T1. With the RFC's
//! T1 = 500 ms and T2 = 4 s that is 11 sends in 32 s, which is what a phone does, and what the
//! installer waits through before "no answer". A shorter total is allowed (the schedule is cut
//! there) and the event log says which timers ran.

use std::time::Duration;

use crate::words;

/// The timers of one test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UdpTimers {
    pub t1: Duration,
    pub t2: Duration,
    /// Timer F: when the transaction gives up.
    pub total: Duration,
}

impl Default for UdpTimers {
    fn default() -> Self {
        Self::RFC3261
    }
}

impl UdpTimers {
    /// T1 = 500 ms, T2 = 4 s, Timer F = 64·T1 = 32 s.
    pub const RFC3261: UdpTimers = UdpTimers {
        t1: Duration::from_millis(500),
        t2: Duration::from_secs(4),
        total: Duration::from_secs(32),
    };

    /// The RFC's T1 and T2 with Timer F cut to `total` (at least T1, at most the RFC's 32 s).
    pub fn with_total(total: Duration) -> Self {
        Self {
            total: total.clamp(Self::RFC3261.t1, Self::RFC3261.total),
            ..Self::RFC3261
        }
    }

    /// The timers for a give-up time typed as seconds (`--udp-total`, the window's *Give up
    /// after*): `None` for a number that is no duration above 0; more than the RFC's 32 s is
    /// cut to 32, as [`with_total`](Self::with_total) does.
    pub fn giving_up_after(seconds: f64) -> Option<Self> {
        Duration::try_from_secs_f64(seconds)
            .ok()
            .filter(|d| !d.is_zero())
            .map(Self::with_total)
    }

    /// When each send happens, counted from the first (which is at zero): 0, 0.5, 1.5, 3.5,
    /// 7.5, 11.5 … s, every one before Timer F fires.
    pub fn send_times(&self) -> Vec<Duration> {
        let mut times = vec![Duration::ZERO];
        let mut interval = self.t1;
        let mut at = self.t1;
        while at < self.total && !interval.is_zero() {
            times.push(at);
            interval = (interval * 2).min(self.t2);
            at += interval;
        }
        times
    }

    /// The timers in words, for the event log.
    pub fn describe(&self) -> String {
        let rfc = if *self == Self::RFC3261 {
            "the RFC 3261 timers"
        } else {
            "shortened timers"
        };
        format!(
            "UDP with {rfc}: Timer E resends after T1 = {}, doubling up to T2 = {}; \
             Timer F gives up after {} ({} sends)",
            words::duration(self.t1),
            words::duration(self.t2),
            words::duration(self.total),
            self.send_times().len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_schedule_sends_eleven_times_in_32_seconds() {
        let times: Vec<u128> = UdpTimers::RFC3261
            .send_times()
            .iter()
            .map(Duration::as_millis)
            .collect();
        assert_eq!(
            times,
            [
                0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500
            ]
        );
    }

    #[test]
    fn a_shorter_total_cuts_the_schedule_and_says_so() {
        let timers = UdpTimers::with_total(Duration::from_secs(2));
        assert_eq!(timers.send_times().len(), 3);
        assert!(timers.describe().contains("shortened"));
        let brief = UdpTimers::with_total(Duration::from_millis(700)).describe();
        assert!(brief.contains("T1 = 500 ms"), "{brief}");
        assert!(brief.contains("gives up after 700 ms"), "{brief}");
        assert_eq!(
            UdpTimers::with_total(Duration::from_secs(99)),
            UdpTimers::RFC3261
        );
        assert_eq!(UdpTimers::giving_up_after(99.0), Some(UdpTimers::RFC3261));
        assert_eq!(
            UdpTimers::giving_up_after(8.0).map(|t| t.total),
            Some(Duration::from_secs(8))
        );
        for nonsense in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(UdpTimers::giving_up_after(nonsense), None, "{nonsense}");
        }
    }
}
