//! What the Inventory panel's jobs answer, and the jobs themselves: each runs on the worker's
//! inventory queue and returns one of these events.

use std::path::PathBuf;

use crate::device::{Device, Mac};
use crate::inventory::{DevicePage, Site};
use crate::ui::widgets::answers::Picked;

#[derive(Debug)]
pub enum InventoryEvent {
    /// A page of the table: the matches from `offset` on, and how many match in all.
    Devices {
        generation: u64,
        offset: usize,
        page: DevicePage,
        /// All devices in the inventory, whatever the filter.
        inventory_total: usize,
        /// Of the selection sent along with a new query, the ids it no longer shows.
        unmatched: Vec<i64>,
    },
    /// The ids of the rows a Shift-click spans, some of them not loaded.
    Range {
        generation: u64,
        ids: Vec<i64>,
    },
    /// The device to edit, when its row is not loaded.
    ToEdit(Box<Device>),
    /// The MACs of the devices a row's "Redirect server…" asked for.
    ToRedirect(Vec<Mac>),
    Added(Box<Device>),
    Updated(Box<Device>),
    Deleted(Vec<Device>),
    Restored(usize),
    /// Devices moved to a site (or out of theirs): how many changed, and the site.
    SiteSet {
        count: usize,
        site: Option<String>,
    },
    /// What moving devices to `site` would do: the MACs whose phones would lose the
    /// credentials they hold, or why the move is refused.
    SiteMoveChecked {
        site: Option<String>,
        locked: Result<Vec<String>, String>,
    },
    Sites(Vec<Site>),
    /// The export's save dialog answered.
    ExportPath(Picked),
    Exported {
        path: PathBuf,
        count: usize,
    },
    /// The device form's add or save failed; the form shows why.
    SaveFailed(String),
    /// The device form's save was refused: the device changed elsewhere since the form was
    /// opened. The form says so and offers Reload.
    ChangedElsewhere(String),
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
            Self::Added(_)
                | Self::Updated(_)
                | Self::Deleted(_)
                | Self::Restored(_)
                | Self::SiteSet { .. }
        )
    }
}
