//! The Inventory panel's jobs: each runs on the worker's inventory queue (or, for the CSV
//! export, a blocking thread) and answers with an [`InventoryEvent`].

use std::path::PathBuf;

use crate::device::{Device, NewDevice};
use crate::inventory::{DeviceQuery, InventoryError};
use crate::ops::labels::export_csv;
use crate::ui::inventory::events::InventoryEvent;
use crate::ui::worker::Worker;

fn failed(action: &'static str) -> impl Fn(InventoryError) -> InventoryEvent {
    move |error| InventoryEvent::Failed {
        action,
        error: error.to_string(),
    }
}

/// Lists devices; a newer list queued behind replaces this one.
pub fn query(worker: &Worker, generation: u64, query: DeviceQuery) {
    worker.inventory_latest("inventory list", move |inventory, _| {
        inventory
            .query_devices(&query)
            .and_then(|page| {
                Ok(InventoryEvent::Devices {
                    generation,
                    page,
                    inventory_total: inventory.device_count()?,
                })
            })
            .unwrap_or_else(failed("list devices"))
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

pub fn update(worker: &Worker, id: i64, device: NewDevice) {
    worker.inventory(move |inventory, _| {
        inventory
            .update_device(id, &device)
            .map(|device| InventoryEvent::Updated(Box::new(device)))
            .unwrap_or_else(|error| InventoryEvent::SaveFailed(error.to_string()))
    });
}

pub fn delete(worker: &Worker, ids: Vec<i64>) {
    worker.inventory(move |inventory, _| {
        inventory
            .delete_devices(&ids)
            .map(InventoryEvent::Deleted)
            .unwrap_or_else(failed("delete devices"))
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
    worker.inventory(|inventory, _| {
        inventory
            .sites()
            .map(InventoryEvent::Sites)
            .unwrap_or_else(failed("list sites"))
    });
}

/// Writes the devices as CSV off the UI thread.
pub fn export(worker: &Worker, devices: Vec<Device>, path: PathBuf) {
    let sink = worker.sink();
    worker.spawn_blocking(move || {
        sink.send(match export_csv(&devices, &path) {
            Ok(()) => InventoryEvent::Exported {
                path,
                count: devices.len(),
            },
            Err(error) => InventoryEvent::Failed {
                action: "export",
                error,
            },
        });
    });
}
