//! A cancel token for long jobs (sync, render, file reading). Shared by the core, the use cases
//! and both faces, so it sits at the bottom with no imports of its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

const RUNNING: u8 = 0;
const CANCELLED: u8 = 1;
const STOP_WAITING: u8 = 2;

/// Cancels a job from another thread or task. Work already done is kept and reported; the job
/// stops at its next safe point.
///
/// A job that waits for someone else's answer (the SIP test) may also be told to stop waiting:
/// unlike a cancel, that ends it as if its own give-up time had run out, with the verdict that
/// silence earns, because the installer who presses it has learnt what the test was to find out.
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicU8>);

impl CancelFlag {
    pub fn cancel(&self) {
        self.0.store(CANCELLED, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed) == CANCELLED
    }

    /// Ends the wait in progress now, as its time running out would; a cancel already asked
    /// for stays a cancel.
    pub fn stop_waiting(&self) {
        let _ =
            self.0
                .compare_exchange(RUNNING, STOP_WAITING, Ordering::Relaxed, Ordering::Relaxed);
    }

    /// Whether [`stop_waiting`](Self::stop_waiting) was asked for (and no cancel).
    pub fn stops_waiting(&self) -> bool {
        self.0.load(Ordering::Relaxed) == STOP_WAITING
    }
}

#[cfg(test)]
mod tests {
    use super::CancelFlag;

    #[test]
    fn stopping_the_wait_is_no_cancel_and_a_cancel_wins() {
        let flag = CancelFlag::default();
        flag.stop_waiting();
        assert!(flag.stops_waiting());
        assert!(!flag.is_cancelled());
        flag.cancel();
        assert!(flag.is_cancelled());
        assert!(!flag.stops_waiting());
        flag.stop_waiting();
        assert!(
            flag.is_cancelled(),
            "a cancel is not undone by a later stop"
        );
    }
}
