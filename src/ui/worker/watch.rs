//! Noticing what another process changed in the inventory: the README promises the window and
//! the CLI on one file (installers script imports while the window is open), but the window
//! reloads what it shows only after its own changes. Every few seconds, and at once when the
//! window gets the focus back, a job on the inventory queue asks the connection whether another
//! one committed meanwhile ([`Inventory::changed_elsewhere`], one counter read) and sends
//! [`Event::ChangedElsewhere`] when so; the UI thread never touches the file for it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::Jobs;
use super::queue::Job;
use crate::inventory::{ChangedElsewhere, Inventory};
use crate::ui::event::Event;

/// How often the focused window asks: a CLI change shows within this, and an idle window
/// costs one counter read per interval.
const EVERY: Duration = Duration::from_secs(2);

/// Without the focus, the window asks every this many intervals: an installer who types in a
/// terminal beside it still sees a script's imports arrive (the review saw the status bar keep
/// its count while the CLI added devices), without the window asking as often behind others.
const UNFOCUSED_EVERY: u64 = 5;

/// Whether the window has the focus, as the UI thread last said, shared with the ticker.
#[derive(Clone)]
pub struct Focus(Arc<AtomicBool>);

impl Focus {
    /// Starts the ticker on the worker's runtime; the window starts focused.
    pub fn start(runtime: &tokio::runtime::Runtime, jobs: Jobs) -> Self {
        let focus = Self(Arc::new(AtomicBool::new(true)));
        let ticking = focus.clone();
        runtime.spawn(async move {
            let mut every = tokio::time::interval(EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            for tick in 0u64.. {
                every.tick().await;
                if ticking.0.load(Ordering::Relaxed) || tick % UNFOCUSED_EVERY == 0 {
                    ask(&jobs);
                }
            }
        });
        focus
    }

    /// Takes the window's focus this frame; getting it back asks at once, since the user
    /// most likely comes back from the terminal where the change was made.
    pub fn set(&self, focused: bool, jobs: &Jobs) {
        let was = self.0.swap(focused, Ordering::Relaxed);
        if focused && !was {
            ask(jobs);
        }
    }
}

/// Queues the question; a newer one waiting behind replaces it.
fn ask(jobs: &Jobs) {
    jobs.queue_job(Job {
        kind: Some("changed elsewhere"),
        run: Box::new(
            |inventory: &mut Inventory, sink| match inventory.changed_elsewhere() {
                Ok(ChangedElsewhere::Nothing) => {}
                Ok(ChangedElsewhere::Unaudited) => {
                    sink.send(Event::ChangedElsewhere { audited: false });
                }
                Ok(ChangedElsewhere::Audited) => {
                    sink.send(Event::ChangedElsewhere { audited: true });
                }
                Err(error) => tracing::warn!(%error, "could not ask the inventory for changes"),
            },
        ),
    });
}
