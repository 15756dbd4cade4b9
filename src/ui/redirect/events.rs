//! What the Redirect panel's jobs answer.

use std::collections::HashSet;

use crate::device::Mac;
use crate::inventory::PickableDevice;
use crate::ops::redirect::{DeviceAction, DeviceOutcome};
use crate::redirect::{Account, DeviceResult, PasswordHome, Progress, RemoteDevice, SyncPlan};

/// The server's registrations, and which of them the inventory holds.
#[derive(Debug, Clone, Default)]
pub struct RemoteList {
    pub devices: Vec<RemoteDevice>,
    pub known: HashSet<Mac>,
}

#[derive(Debug)]
pub enum RedirectEvent {
    /// The saved account, if any (the password empty when none is stored).
    AccountLoaded(Result<Option<Account>, String>),
    AccountSaved(Result<PasswordHome, String>),
    /// The inventory's devices, for the panel's picker.
    Devices(Result<Vec<PickableDevice>, String>),
    Connection(Result<String, String>),
    DeviceResults {
        action: DeviceAction,
        outcomes: Vec<DeviceOutcome>,
    },
    Plan {
        run: u64,
        plan: Result<SyncPlan, String>,
    },
    /// One batch of apply `run` answered and recorded.
    Applied {
        run: u64,
        progress: Progress,
        results: Vec<DeviceResult>,
    },
    /// Apply `run` is over; `error` says why it could not run (or record) at all.
    ApplyEnded {
        run: u64,
        cancelled: bool,
        error: Option<String>,
    },
    Remote(Result<RemoteList, String>),
    /// A Register, Check or Deregister could not run at all: why, and what to do.
    DevicesFailed(String),
}

impl RedirectEvent {
    /// What the server said is now in the inventory, so views of it should ask again.
    pub fn changes_devices(&self) -> bool {
        matches!(
            self,
            Self::DeviceResults { .. } | Self::Applied { .. } | Self::Plan { plan: Ok(_), .. }
        )
    }
}
