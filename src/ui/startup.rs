//! How long the window took to show itself and then the inventory's first page, said once in
//! the log (`PROVDESK_LOG=provdesk=info`), so that the start with 100,000 devices can be
//! measured on the real binary (issue 16: ≤ 400 ms).

use std::time::Instant;

pub struct StartupClock {
    started: Instant,
    painted: bool,
}

impl StartupClock {
    pub fn new(started: Instant) -> Self {
        Self {
            started,
            painted: false,
        }
    }

    /// Called at the end of each frame until it says it is done: notes the first frame, and
    /// the first one that holds the inventory's page (`devices_shown`).
    pub fn frame(&mut self, devices_shown: Option<usize>) -> bool {
        let elapsed = self.started.elapsed().as_secs_f64() * 1000.0;
        if !self.painted {
            self.painted = true;
            tracing::info!(ms = elapsed.round(), "startup: first frame");
        }
        match devices_shown {
            Some(total) => {
                tracing::info!(
                    ms = elapsed.round(),
                    devices = total,
                    "startup: the inventory's first page shown"
                );
                true
            }
            None => false,
        }
    }
}
