//! What the Inventory panel's jobs answer, and the jobs themselves: each runs on the worker's
//! inventory queue and returns one of these events.

use std::path::PathBuf;

use crate::device::Device;
use crate::inventory::{DevicePage, Site};
use crate::ui::widgets::answers::Picked;

#[derive(Debug)]
pub enum InventoryEvent {
    Devices {
        generation: u64,
        page: DevicePage,
        /// All devices in the inventory, whatever the filter.
        inventory_total: usize,
    },
    Added(Box<Device>),
    Updated(Box<Device>),
    Deleted(Vec<Device>),
    Restored(usize),
    Sites(Vec<Site>),
    /// The export's save dialog answered.
    ExportPath(Picked),
    Exported {
        path: PathBuf,
        count: usize,
    },
    /// The device form's add or save failed; the form shows why.
    SaveFailed(String),
    /// A job of this panel failed: what it was doing, and why.
    Failed {
        action: &'static str,
        error: String,
    },
}

impl InventoryEvent {
    /// The inventory's devices changed, so panels that show them should ask again.
    pub fn changes_devices(&self) -> bool {
        matches!(
            self,
            Self::Added(_) | Self::Updated(_) | Self::Deleted(_) | Self::Restored(_)
        )
    }
}
