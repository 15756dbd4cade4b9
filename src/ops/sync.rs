//! Make the redirect server say what the inventory says: build the plan from both sides, then
//! apply it in batches with every device's result recorded as its batch returns. What the plan
//! observed on the server is recorded before anything is sent.

use std::path::PathBuf;

use futures_util::future;
use thiserror::Error;
use tokio::sync::mpsc;

use crate::cancel::CancelFlag;
use crate::device::Mac;
use crate::inventory::{
    Inventory, InventoryError, RecoveredAnswer, RedirectUpdate, Restored, write_recovery,
};
use crate::redirect::{
    Action, ApplyOptions, ApplyReport, DeviceResult, PlanOptions, Progress, RedirectError,
    RedirectService, SyncPlan, apply, build_plan,
};
use crate::words;

#[derive(Debug, Error)]
pub enum SyncFailure {
    #[error(transparent)]
    Inventory(#[from] InventoryError),
    #[error(transparent)]
    Server(#[from] RedirectError),
}

/// An apply's results and, where the inventory refused a write, why. A refused write stops
/// the apply: no further batch is sent. Answers already received, and those of calls already
/// on the wire, are kept: each write is tried [`RECORD_ATTEMPTS`] times (each waiting the busy
/// timeout for another writer), and as a last resort the registrations go to a recovery file
/// next to the inventory, which the next sync records.
#[derive(Debug)]
pub struct SyncReport {
    pub applied: ApplyReport,
    pub record_error: Option<InventoryError>,
    /// The recovery files this apply wrote (answers the inventory could not take).
    pub recovery_files: Vec<PathBuf>,
    /// What an earlier apply's recovery files brought back before this one began.
    pub restored: Vec<Restored>,
}

impl SyncReport {
    /// Where answers could not be recorded, what happened to them and what to do, for both
    /// faces: the recovery files are named (the next sync records them).
    pub fn record_failure(&self) -> Option<String> {
        let error = self.record_error.as_ref()?;
        let kept = if self.recovery_files.is_empty() {
            String::new()
        } else {
            let files: Vec<String> = self
                .recovery_files
                .iter()
                .map(|f| f.display().to_string())
                .collect();
            format!(
                "; the registrations it could not record (with their MAC passwords) are kept in {} (readable by you only), which the next sync records",
                files.join(", ")
            )
        };
        Some(format!(
            "the server's answers could not all be recorded in the inventory ({error}); no further batch was sent{kept}. Run sync again once the inventory is free"
        ))
    }

    /// What the recovery files of an earlier apply brought back, one line each.
    pub fn restored_lines(&self) -> Vec<String> {
        self.restored
            .iter()
            .map(|r| {
                let unknown = if r.unknown.is_empty() {
                    " (file removed)".to_string()
                } else {
                    format!(
                        "; {} {} not in the inventory ({}), so the file is kept",
                        words::count(r.unknown.len(), "device"),
                        words::agree(r.unknown.len(), "is", "are"),
                        r.unknown.join(", ")
                    )
                };
                format!(
                    "recorded {} from {}{unknown}",
                    words::count(r.recorded, "registration"),
                    r.file.display()
                )
            })
            .collect()
    }
}

/// How often one batch's write is tried before its answers go to a recovery file.
pub const RECORD_ATTEMPTS: usize = 3;

/// Records `updates`, trying again when the write fails (another writer held the file past
/// the busy timeout); the last error when every attempt failed.
fn record_with_retries(
    inventory: &mut Inventory,
    updates: &[(Mac, RedirectUpdate)],
) -> Result<(), InventoryError> {
    let mut last = None;
    for _ in 0..RECORD_ATTEMPTS {
        match inventory.record_redirect(updates) {
            Ok(_) => return Ok(()),
            Err(error) => last = Some(error),
        }
    }
    Err(last.expect("at least one attempt"))
}

/// The registrations among `results`, as a recovery file keeps them.
fn registrations(results: &[&DeviceResult]) -> Vec<RecoveredAnswer> {
    results
        .iter()
        .filter(|r| r.item.action != Action::Deregister)
        .filter_map(|r| {
            let password = r.outcome.as_ref().ok()?;
            Some(RecoveredAnswer {
                mac: r.item.mac.macd(),
                mac_id: r.item.mac_id.clone(),
                provider: r.item.provider.clone(),
                url: r.item.url.clone(),
                mac_password: password.as_ref().map(|p| p.secret().expose().to_string()),
            })
        })
        .collect()
}

/// The plan for the inventory's devices against the server's registrations.
pub async fn plan<S: RedirectService>(
    service: &S,
    inventory: &Inventory,
    options: &PlanOptions,
) -> Result<SyncPlan, SyncFailure> {
    let devices = inventory.sync_devices()?;
    Ok(build_plan(service, &devices, options).await?)
}

/// Applies `plan`, recording what it observed first, then each batch's results. `on_batch`
/// hears each batch after it is recorded.
///
/// The sender and the recorder run side by side: each answered batch goes through a channel
/// to the recorder, so the sender starts the next call before the batch is written and the
/// calls in flight stay at `options.concurrency` while the inventory is written. The
/// recorder writes every batch waiting for it in one transaction: on loopback, where answers
/// come faster than SQLite commits, a commit per batch was a third of the recording's time.
/// Every answered batch is still recorded before the apply returns.
pub async fn apply_and_record<S: RedirectService>(
    service: &S,
    inventory: &mut Inventory,
    plan: &SyncPlan,
    options: &ApplyOptions,
    on_batch: &mut dyn FnMut(&[DeviceResult], Progress),
    cancel: &CancelFlag,
) -> Result<SyncReport, InventoryError> {
    let restored = inventory.restore_recovered()?;
    inventory.record_redirect(&plan.observed_updates())?;
    let (answered, mut to_record) = mpsc::unbounded_channel::<(Vec<DeviceResult>, Progress)>();
    let sending = apply(service, plan, options, cancel, move |results, progress| {
        // The recorder drains the channel until this sender is dropped, so it is there.
        let _ = answered.send((results.to_vec(), progress));
    });
    let mut recorder = BatchRecorder {
        inventory,
        cancel,
        record_error: None,
        recovery_files: Vec::new(),
        recovery_error: None,
    };
    let recording = async {
        while let Some(answer) = to_record.recv().await {
            let mut answers = vec![answer];
            while let Ok(answer) = to_record.try_recv() {
                answers.push(answer);
            }
            let results: Vec<&DeviceResult> =
                answers.iter().flat_map(|(results, _)| results).collect();
            recorder.record(&results);
            for (results, progress) in &answers {
                on_batch(results, *progress);
            }
        }
    };
    let (applied, ()) = future::join(sending, recording).await;
    Ok(SyncReport {
        applied,
        // Where not even the recovery file could be written, that is the error to show.
        record_error: recorder.recovery_error.or(recorder.record_error),
        recovery_files: recorder.recovery_files,
        restored,
    })
}

/// Writes answered batches to the inventory, and where it refuses, stops the apply and keeps
/// the registrations in recovery files.
struct BatchRecorder<'a> {
    inventory: &'a mut Inventory,
    cancel: &'a CancelFlag,
    record_error: Option<InventoryError>,
    recovery_files: Vec<PathBuf>,
    recovery_error: Option<InventoryError>,
}

impl BatchRecorder<'_> {
    fn record(&mut self, results: &[&DeviceResult]) {
        let updates: Vec<_> = results
            .iter()
            .map(|r| (r.item.mac, r.inventory_update()))
            .collect();
        let Err(error) = record_with_retries(self.inventory, &updates) else {
            return;
        };
        self.cancel.cancel();
        let answers = registrations(results);
        if !answers.is_empty() {
            match write_recovery(self.inventory.path(), &answers) {
                Ok(file) => self.recovery_files.push(file),
                Err(failed) => {
                    self.recovery_error.get_or_insert(failed);
                }
            }
        }
        self.record_error.get_or_insert(error);
    }
}
