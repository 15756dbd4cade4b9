//! Applying a sync plan with the list calls: batches, bounded concurrency, progress, cancel.
//!
//! Updates and deregistrations go first (`deregisterDeviceList`), then registrations and the
//! second half of updates (`registerDeviceList`, one URL and provider per call, so batches are
//! grouped by both). Every batch's results are handed to the caller as soon as they arrive, so
//! that a failure later in the run loses nothing already done; a batch that gets no answer
//! fails its devices with the reason, and running the sync again finishes them.
//!
//! The plan lists only the account's own registrations, so a device registered by someone
//! else comes back from `registerDeviceList` as `mac_already_in_use`. Those devices alone are
//! then asked about with `checkDevice`: one already registered as wanted is done, one
//! registered with another URL or provider is moved (deregistered, registered again) as an
//! update would be, one gone meanwhile is registered again. A second refusal is final.

use std::collections::BTreeMap;

use futures_util::{StreamExt as _, stream};

use super::answer::{CheckAnswer, DeviceAnswer, ListAnswer};
use super::code::ResultCode;
use super::plan::{Action, DeviceFailure, PlanItem, SyncPlan};
use super::service::{RedirectError, RedirectService};
use crate::cancel::CancelFlag;
use crate::device::MacPassword;
use crate::inventory::RedirectUpdate;

/// How to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplyOptions {
    /// Devices per list call. Default 100.
    pub batch_size: usize,
    /// List calls in flight at once. Default 4: enough to hide the round trip, few enough not
    /// to look like a flood to the server.
    pub concurrency: usize,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            batch_size: 100,
            concurrency: 4,
        }
    }
}

/// The code given to devices whose batch was not sent because of a cancel.
pub const CANCELLED: &str = "cancelled";

/// The final result for one device of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceResult {
    pub item: PlanItem,
    /// On success, the MAC password of a (re-)registration.
    pub outcome: Result<Option<MacPassword>, DeviceFailure>,
    /// An update's old registration was removed in this apply (so a failed registration
    /// leaves the device unregistered until the next sync).
    pub deregistered: bool,
}

impl DeviceResult {
    /// What the inventory should now record about the device.
    pub fn inventory_update(&self) -> RedirectUpdate {
        match (&self.outcome, self.item.action) {
            (Ok(_), Action::Deregister) => RedirectUpdate::NotRegistered,
            (Ok(mac_password), _) => RedirectUpdate::Registered {
                provider: self.item.provider.clone(),
                url: self.item.url.clone(),
                date: None,
                mac_password: mac_password.clone(),
            },
            (Err(failure), _) if self.deregistered => RedirectUpdate::Lost {
                error: format!("{}: {}", failure.code, failure.message),
            },
            (Err(failure), _) => RedirectUpdate::Failed {
                error: format!("{}: {}", failure.code, failure.message),
            },
        }
    }
}

/// How far an apply is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Devices with a final result.
    pub done: usize,
    /// Devices to change (unchanged ones are not counted).
    pub total: usize,
}

/// Every changed device's result, in the order they arrived.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyReport {
    pub results: Vec<DeviceResult>,
    pub cancelled: bool,
}

impl ApplyReport {
    pub fn failures(&self) -> impl Iterator<Item = &DeviceFailure> {
        self.results.iter().filter_map(|r| r.outcome.as_ref().err())
    }

    pub fn succeeded(&self, action: Action) -> impl Iterator<Item = &PlanItem> {
        self.results
            .iter()
            .filter(move |r| r.outcome.is_ok() && r.item.action == action)
            .map(|r| &r.item)
    }
}

/// What one list call is for.
#[derive(Clone, Copy)]
enum Call<'a> {
    Deregister,
    Register { url: &'a str, provider: &'a str },
}

/// What came back for one batch.
enum BatchAnswer {
    Answered(ListAnswer),
    Failed(RedirectError),
    /// Not sent: the user cancelled first.
    Cancelled,
}

/// The failure of a device not asked about because of a cancel.
fn cancelled(item: &PlanItem) -> DeviceFailure {
    DeviceFailure {
        mac: item.mac.macd(),
        code: CANCELLED.to_string(),
        message: "not sent: the sync was cancelled; run it again to finish".into(),
    }
}

/// Each device's answer in a batch, or why it has none.
fn per_device(
    items: &[&PlanItem],
    answer: BatchAnswer,
) -> Vec<Result<DeviceAnswer, DeviceFailure>> {
    match answer {
        BatchAnswer::Answered(list) => list.devices.into_iter().map(Ok).collect(),
        BatchAnswer::Failed(error) => items
            .iter()
            .map(|item| Err(DeviceFailure::from_error(item.mac, &error)))
            .collect(),
        BatchAnswer::Cancelled => items.iter().map(|item| Err(cancelled(item))).collect(),
    }
}

/// Sends the batches, at most `concurrency` at once, yielding each as it is answered.
fn run_batches<'a, S: RedirectService>(
    service: &'a S,
    batches: Vec<(Call<'a>, Vec<&'a PlanItem>)>,
    concurrency: usize,
    cancel: &'a CancelFlag,
) -> impl futures_util::Stream<Item = (Vec<&'a PlanItem>, BatchAnswer)> + 'a {
    stream::iter(batches)
        .map(move |(call, items)| async move {
            if cancel.is_cancelled() {
                return (items, BatchAnswer::Cancelled);
            }
            let ids: Vec<String> = items.iter().map(|item| item.mac_id.clone()).collect();
            let answer = match call {
                Call::Deregister => service.deregister_list(&ids).await,
                Call::Register { url, provider } => {
                    service.register_list(&ids, url, provider).await
                }
            };
            let answer = match answer {
                Ok(list) => BatchAnswer::Answered(list),
                Err(error) => BatchAnswer::Failed(error),
            };
            (items, answer)
        })
        .buffer_unordered(concurrency)
}

/// Collects results and reports each batch's.
struct Recorder<F> {
    on_batch: F,
    progress: Progress,
    report: ApplyReport,
}

impl<F: FnMut(&[DeviceResult], Progress)> Recorder<F> {
    fn batch(&mut self, results: Vec<DeviceResult>) {
        self.progress.done += results.len();
        (self.on_batch)(&results, self.progress);
        self.report.results.extend(results);
    }
}

/// Applies the plan. `on_batch` is called once per answered (or failed, or cancelled) batch
/// with the final results it brought and the progress so far; record them there.
pub async fn apply<S: RedirectService>(
    service: &S,
    plan: &SyncPlan,
    options: &ApplyOptions,
    cancel: &CancelFlag,
    on_batch: impl FnMut(&[DeviceResult], Progress),
) -> ApplyReport {
    let sender = Sender {
        service,
        batch_size: options.batch_size.max(1),
        concurrency: options.concurrency.max(1),
        cancel,
    };
    let changing = |action: Action| plan.items.iter().filter(move |i| i.action == action);
    let mut recorder = Recorder {
        on_batch,
        progress: Progress {
            done: 0,
            total: plan
                .items
                .iter()
                .filter(|i| i.action != Action::Unchanged)
                .count(),
        },
        report: ApplyReport::default(),
    };
    // Deregister what moves and what goes first, then register the new and the moved ones.
    let leaving: Vec<&PlanItem> = changing(Action::Update)
        .chain(changing(Action::Deregister))
        .collect();
    let moving = sender.deregister(&leaving, &mut recorder).await;
    let arriving: Vec<&PlanItem> = changing(Action::Register).chain(moving).collect();
    let in_use = sender.register(&arriving, &mut recorder, true).await;
    if !in_use.is_empty() {
        // Registered by someone else: ask about those alone, then move them once.
        let replanned = sender.check(&in_use, &mut recorder).await;
        let leaving: Vec<&PlanItem> = replanned
            .iter()
            .filter(|i| i.action == Action::Update)
            .collect();
        let moving = sender.deregister(&leaving, &mut recorder).await;
        let arriving: Vec<&PlanItem> = replanned
            .iter()
            .filter(|i| i.action == Action::Register)
            .chain(moving)
            .collect();
        sender.register(&arriving, &mut recorder, false).await;
    }
    let mut report = recorder.report;
    report.cancelled = cancel.is_cancelled();
    report
}

/// What every batch of a sync is sent with.
struct Sender<'a, S> {
    service: &'a S,
    batch_size: usize,
    concurrency: usize,
    cancel: &'a CancelFlag,
}

impl<'a, S: RedirectService> Sender<'a, S> {
    /// Deregisters `leaving` and records the results; returns the moving devices that left,
    /// which are recorded once they are registered again.
    async fn deregister<F: FnMut(&[DeviceResult], Progress)>(
        &self,
        leaving: &[&'a PlanItem],
        recorder: &mut Recorder<F>,
    ) -> Vec<&'a PlanItem> {
        let batches = leaving
            .chunks(self.batch_size)
            .map(|chunk| (Call::Deregister, chunk.to_vec()))
            .collect();
        let mut moving = Vec::new();
        let mut answers = run_batches(self.service, batches, self.concurrency, self.cancel);
        while let Some((items, answer)) = answers.next().await {
            let mut results = Vec::new();
            for (item, answer) in items.iter().copied().zip(per_device(&items, answer)) {
                let outcome = match answer {
                    // Not found is what a deregistration wants: the device is gone either way.
                    Ok(DeviceAnswer::Refused(code))
                        if !matches!(code, ResultCode::MacNotFound(_)) =>
                    {
                        Err(DeviceFailure::from_code(item.mac, &code))
                    }
                    Err(failure) => Err(failure),
                    Ok(_) if item.action == Action::Update => {
                        moving.push(item);
                        continue;
                    }
                    Ok(_) => Ok(None),
                };
                results.push(DeviceResult {
                    item: item.clone(),
                    outcome,
                    deregistered: false,
                });
            }
            recorder.batch(results);
        }
        moving
    }

    /// Registers `arriving`, one call per URL and provider, and records the results. With
    /// `hold_in_use`, devices refused as `mac_already_in_use` are not recorded but returned,
    /// for [`Self::check`].
    async fn register<F: FnMut(&[DeviceResult], Progress)>(
        &self,
        arriving: &[&'a PlanItem],
        recorder: &mut Recorder<F>,
        hold_in_use: bool,
    ) -> Vec<&'a PlanItem> {
        let mut groups: BTreeMap<(&str, &str), Vec<&PlanItem>> = BTreeMap::new();
        for item in arriving {
            groups
                .entry((item.url.as_str(), item.provider.as_str()))
                .or_default()
                .push(item);
        }
        let batches = groups
            .iter()
            .flat_map(|(&(url, provider), items)| {
                items
                    .chunks(self.batch_size)
                    .map(move |chunk| (Call::Register { url, provider }, chunk.to_vec()))
            })
            .collect();
        let mut in_use = Vec::new();
        let mut answers = run_batches(self.service, batches, self.concurrency, self.cancel);
        while let Some((items, answer)) = answers.next().await {
            let mut results = Vec::with_capacity(items.len());
            for (item, answer) in items.iter().copied().zip(per_device(&items, answer)) {
                let outcome = match answer {
                    Ok(DeviceAnswer::Ok { mac_password }) => Ok(mac_password),
                    Ok(DeviceAnswer::Refused(ResultCode::MacAlreadyInUse(_))) if hold_in_use => {
                        in_use.push(item);
                        continue;
                    }
                    Ok(DeviceAnswer::Refused(code)) => {
                        Err(DeviceFailure::from_code(item.mac, &code))
                    }
                    Err(failure) => Err(failure),
                };
                results.push(DeviceResult {
                    item: item.clone(),
                    deregistered: item.action == Action::Update,
                    outcome,
                });
            }
            recorder.batch(results);
        }
        in_use
    }

    /// Asks `checkDevice` about devices registered by someone else and records those that
    /// need nothing more (already as wanted) or cannot be moved (refused, no answer); returns
    /// the others planned again: an update from the registration found, or a registration
    /// when it is gone meanwhile.
    async fn check<F: FnMut(&[DeviceResult], Progress)>(
        &self,
        in_use: &[&'a PlanItem],
        recorder: &mut Recorder<F>,
    ) -> Vec<PlanItem> {
        // Indices and owned MAC-IDs: a closure over borrowed items would make this future
        // not `Send` (rustc cannot prove it general over their lifetimes), and the GUI runs it
        // on its worker.
        let mut answers = stream::iter(0..in_use.len())
            .map(|index| {
                let mac_id = in_use[index].mac_id.clone();
                async move {
                    if self.cancel.is_cancelled() {
                        return (index, None);
                    }
                    (index, Some(self.service.check(&mac_id).await))
                }
            })
            .buffer_unordered(self.concurrency);
        let mut replanned = Vec::new();
        let mut results = Vec::new();
        while let Some((index, answer)) = answers.next().await {
            let item = in_use[index];
            let answer = match answer {
                None => Err(cancelled(item)),
                Some(answer) => answer.map_err(|e| DeviceFailure::from_error(item.mac, &e)),
            };
            let outcome = match answer {
                Ok(CheckAnswer::Registered(remote))
                    if remote.url == item.url && remote.provider == item.provider =>
                {
                    Ok(None)
                }
                Ok(CheckAnswer::Registered(remote)) => {
                    replanned.push(PlanItem {
                        action: Action::Update,
                        remote: Some(remote),
                        ..item.clone()
                    });
                    continue;
                }
                Ok(CheckAnswer::Refused(ResultCode::MacNotFound(_))) => {
                    replanned.push(PlanItem {
                        action: Action::Register,
                        remote: None,
                        ..item.clone()
                    });
                    continue;
                }
                Ok(CheckAnswer::Refused(code)) => Err(DeviceFailure::from_code(item.mac, &code)),
                Err(failure) => Err(failure),
            };
            results.push(DeviceResult {
                item: item.clone(),
                deregistered: item.action == Action::Update && outcome.is_err(),
                outcome,
            });
        }
        if !results.is_empty() {
            recorder.batch(results);
        }
        replanned
    }
}
