//! Make the redirect server say what the inventory says: build the plan from both sides, then
//! apply it in batches with every device's result recorded as its batch returns. What the plan
//! observed on the server is recorded before anything is sent.

use thiserror::Error;

use crate::cancel::CancelFlag;
use crate::inventory::{Inventory, InventoryError};
use crate::redirect::{
    ApplyOptions, ApplyReport, DeviceResult, PlanOptions, Progress, RedirectError, RedirectService,
    SyncPlan, apply, build_plan,
};

#[derive(Debug, Error)]
pub enum SyncFailure {
    #[error(transparent)]
    Inventory(#[from] InventoryError),
    #[error(transparent)]
    Server(#[from] RedirectError),
}

/// An apply's results and, where the inventory refused a write, why. A refused write stops
/// the apply: no further batch is sent, so no more answers can be lost.
#[derive(Debug)]
pub struct SyncReport {
    pub applied: ApplyReport,
    pub record_error: Option<InventoryError>,
}

/// The plan for the inventory's devices against the server's registrations.
pub async fn plan<S: RedirectService>(
    service: &S,
    inventory: &Inventory,
    options: &PlanOptions,
) -> Result<SyncPlan, SyncFailure> {
    let devices = inventory.all_devices()?;
    Ok(build_plan(service, &devices, options).await?)
}

/// Applies `plan`, recording what it observed first, then each batch's results. `on_batch`
/// hears each batch after it is recorded.
pub async fn apply_and_record<S: RedirectService>(
    service: &S,
    inventory: &mut Inventory,
    plan: &SyncPlan,
    options: &ApplyOptions,
    on_batch: &mut dyn FnMut(&[DeviceResult], Progress),
    cancel: &CancelFlag,
) -> Result<SyncReport, InventoryError> {
    inventory.record_redirect(&plan.observed_updates())?;
    let mut record_error = None;
    let applied = apply(service, plan, options, cancel, |results, progress| {
        let updates: Vec<_> = results
            .iter()
            .map(|r| (r.item.mac, r.inventory_update()))
            .collect();
        if let Err(error) = inventory.record_redirect(&updates) {
            record_error.get_or_insert(error);
            cancel.cancel();
        }
        on_batch(results, progress);
    })
    .await;
    Ok(SyncReport {
        applied,
        record_error,
    })
}
