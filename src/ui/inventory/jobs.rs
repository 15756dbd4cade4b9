//! The Inventory panel's jobs: each runs on the worker's inventory queue and answers with an
//! [`InventoryEvent`].

use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;

use crate::device::{Device, NewDevice};
use crate::inventory::{DeviceQuery, Inventory, InventoryError};
use crate::ops::labels::export_csv;
use crate::ui::inventory::events::InventoryEvent;
use crate::ui::worker::Worker;

fn failed(action: &'static str) -> impl Fn(InventoryError) -> InventoryEvent {
    move |error| InventoryEvent::Failed {
        action,
        error: error.to_string(),
    }
}

/// Lists the rows `rows` of the query's matches; a newer list queued behind replaces this
/// one. `selected` are the ids selected now: the answer names those the query no longer
/// shows (empty when the query did not change).
pub fn query(
    worker: &Worker,
    generation: u64,
    query: DeviceQuery,
    rows: Range<usize>,
    selected: Vec<i64>,
) {
    worker.inventory_latest("inventory list", move |inventory, _| {
        let page = DeviceQuery {
            limit: Some(rows.len()),
            offset: rows.start,
            ..query.clone()
        };
        let unmatched = |inventory: &Inventory| -> Result<Vec<i64>, InventoryError> {
            if selected.is_empty() {
                return Ok(Vec::new());
            }
            let matching: HashSet<i64> = inventory.device_ids(&query)?.into_iter().collect();
            Ok(selected
                .into_iter()
                .filter(|id| !matching.contains(id))
                .collect())
        };
        inventory
            .query_devices(&page)
            .and_then(|found| {
                // Scrolled past the end of a shorter list: its last rows instead.
                if !found.devices.is_empty() || found.total == 0 || rows.start == 0 {
                    return Ok((rows.start, found));
                }
                let start = found.total.saturating_sub(rows.len());
                let last = DeviceQuery {
                    offset: start,
                    ..page.clone()
                };
                Ok((start, inventory.query_devices(&last)?))
            })
            .and_then(|(offset, page)| {
                Ok(InventoryEvent::Devices {
                    generation,
                    offset,
                    page,
                    inventory_total: inventory.device_count()?,
                    unmatched: unmatched(inventory)?,
                })
            })
            .unwrap_or_else(failed("list devices"))
    });
}

/// The ids of the matches `from..=to`, for a Shift-click over rows not loaded.
pub fn range(worker: &Worker, generation: u64, query: DeviceQuery, from: usize, to: usize) {
    worker.inventory(move |inventory, _| {
        let span = DeviceQuery {
            limit: Some(to + 1 - from),
            offset: from,
            ..query
        };
        inventory
            .device_ids(&span)
            .map(|ids| InventoryEvent::Range { generation, ids })
            .unwrap_or_else(failed("select the rows"))
    });
}

/// The device with this id, to edit.
pub fn edit(worker: &Worker, id: i64) {
    worker.inventory(move |inventory, _| {
        inventory
            .devices_by_ids(&[id])
            .map_err(|e| e.to_string())
            .and_then(|devices| {
                let device = devices.into_iter().next();
                device.ok_or_else(|| InventoryError::DeviceIdNotFound(id).to_string())
            })
            .map_or_else(
                |error| InventoryEvent::Failed {
                    action: "open the device",
                    error,
                },
                |device| InventoryEvent::ToEdit(Box::new(device)),
            )
    });
}

/// The MACs of these devices, for the Redirect panel.
pub fn redirect(worker: &Worker, ids: Vec<i64>) {
    worker.inventory(move |inventory, _| {
        inventory
            .devices_by_ids(&ids)
            .map(|devices| InventoryEvent::ToRedirect(devices.iter().map(|d| d.mac).collect()))
            .unwrap_or_else(failed("pick the devices"))
    });
}

pub fn redirect_site(worker: &Worker, site: String) {
    worker.inventory(move |inventory, _| {
        let query = DeviceQuery {
            site: Some(site),
            ..DeviceQuery::default()
        };
        inventory
            .query_devices(&query)
            .map(|page| InventoryEvent::ToRedirect(page.devices.iter().map(|d| d.mac).collect()))
            .unwrap_or_else(failed("pick the site's devices"))
    });
}

pub fn add(worker: &Worker, device: NewDevice) {
    worker.inventory(move |inventory, _| {
        inventory
            .add_device(&device)
            .map(|device| InventoryEvent::Added(Box::new(device)))
            .unwrap_or_else(|error| InventoryEvent::SaveFailed(error.to_string()))
    });
}

/// Saves the device over `base`, the device as the form loaded it; refused when another
/// process changed it meanwhile.
pub fn update(worker: &Worker, device: NewDevice, base: Device) {
    worker.inventory(
        move |inventory, _| match inventory.update_device_over(&device, &base) {
            Ok(device) => InventoryEvent::Updated(Box::new(device)),
            Err(error @ InventoryError::DeviceChangedElsewhere { .. }) => {
                InventoryEvent::ChangedElsewhere(error.to_string())
            }
            Err(error) => InventoryEvent::SaveFailed(error.to_string()),
        },
    );
}

pub fn delete(worker: &Worker, ids: Vec<i64>) {
    worker.inventory(move |inventory, _| {
        inventory
            .delete_devices(&ids)
            .map(InventoryEvent::Deleted)
            .unwrap_or_else(failed("delete devices"))
    });
}

/// Puts the devices in `site` (created when new), or in none.
pub fn set_site(worker: &Worker, ids: Vec<i64>, site: Option<String>) {
    worker.inventory(move |inventory, _| {
        inventory
            .set_site(&ids, site.as_deref())
            .map(|count| InventoryEvent::SiteSet { count, site })
            .unwrap_or_else(failed("set the site"))
    });
}

/// Checks a move to `site` before it is made: refused when the site's credentials do not
/// fit a moved model, else the phones it would lock out.
pub fn check_site_move(worker: &Worker, ids: Vec<i64>, site: Option<String>) {
    worker.inventory(move |inventory, _| {
        let locked = inventory
            .site_move_lockouts(&ids, site.as_deref())
            .map_err(|error| error.to_string());
        InventoryEvent::SiteMoveChecked { site, locked }
    });
}

/// Puts back devices removed by a delete (undo).
pub fn restore(worker: &Worker, devices: Vec<Device>) {
    worker.inventory(move |inventory, _| {
        inventory
            .restore_devices(&devices)
            .map(InventoryEvent::Restored)
            .unwrap_or_else(failed("undo delete"))
    });
}

pub fn load_sites(worker: &Worker) {
    worker.inventory_latest("inventory sites", |inventory, _| {
        inventory
            .sites()
            .map(InventoryEvent::Sites)
            .unwrap_or_else(failed("list sites"))
    });
}

/// The devices an export writes: the selected ones, or every match of the query; in the
/// query's order either way.
pub struct ExportScope {
    pub query: DeviceQuery,
    /// The selected devices; all matches when empty.
    pub selected: HashSet<i64>,
}

/// Reads the devices and writes them as CSV, off the UI thread.
pub fn export(worker: &Worker, scope: ExportScope, path: PathBuf) {
    worker.inventory(move |inventory, _| {
        let devices = if scope.selected.is_empty() {
            inventory.query_devices(&scope.query).map(|p| p.devices)
        } else {
            inventory.device_ids(&scope.query).and_then(|mut ids| {
                ids.retain(|id| scope.selected.contains(id));
                inventory.devices_by_ids(&ids)
            })
        };
        let written = devices
            .map_err(|e| e.to_string())
            .and_then(|devices| export_csv(&devices, &path).map(|()| devices.len()));
        match written {
            Ok(count) => InventoryEvent::Exported { path, count },
            Err(error) => InventoryEvent::Failed {
                action: "export",
                error,
            },
        }
    });
}
