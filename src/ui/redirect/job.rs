//! The Redirect panel's jobs on the worker: calls to the redirect server on the tokio runtime,
//! the inventory read and written through the inventory job queue (which owns the database),
//! and the account read and saved on a blocking thread (the keyring may wait on D-Bus).
//!
//! Every job answers with [`RedirectEvent`]s; what the server said about a device is recorded
//! in the inventory as soon as it is known, so a cancelled or failed run loses nothing.

use crate::cancel::CancelFlag;
use crate::device::Mac;
use crate::inventory::Inventory;
use crate::ops::redirect::{DeviceAction, DeviceRequest, device_calls};
use crate::ops::sync;
use crate::redirect::{
    Account, AccountStore, ApplyOptions, DEFAULT_TIMEOUT, GigasetClient, PlanOptions,
    RedirectService, SyncPlan,
};
use crate::ui::redirect::events::{RedirectEvent, RemoteList};
use crate::ui::worker::{EventSink, Worker};
use crate::words;

/// A network job; each carries the account as the panel's fields say it.
#[derive(Debug)]
pub enum RedirectJob {
    /// A cheap call that proves the account: `listDevices` of `provider`, else a `checkDevice`.
    Test {
        account: Account,
        provider: Option<String>,
    },
    Devices {
        action: DeviceAction,
        account: Account,
        macs: Vec<Mac>,
    },
    Plan {
        run: u64,
        account: Account,
        options: PlanOptions,
    },
    Apply {
        run: u64,
        account: Account,
        plan: Box<SyncPlan>,
        options: ApplyOptions,
        cancel: CancelFlag,
    },
    List {
        account: Account,
        providers: Vec<String>,
    },
}

fn send(sink: &EventSink, event: RedirectEvent) {
    sink.send(event);
}

/// Loads the saved account off the UI thread (the keyring may wait on D-Bus).
pub fn load_account(worker: &Worker, store: AccountStore) {
    let sink = worker.sink();
    worker.spawn_blocking(move || {
        let loaded = store.load().map_err(|e| e.to_string());
        send(&sink, RedirectEvent::AccountLoaded(loaded));
    });
}

/// Saves the account off the UI thread; says where the password went.
pub fn save_account(worker: &Worker, store: AccountStore, account: Account) {
    let sink = worker.sink();
    worker.spawn_blocking(move || {
        let saved = store.save(&account).map_err(|e| e.to_string());
        send(&sink, RedirectEvent::AccountSaved(saved));
    });
}

/// The inventory's devices, for the picker.
pub fn load_devices(worker: &Worker) {
    worker.inventory_latest("redirect devices", |inventory, _| {
        RedirectEvent::Devices(inventory.pickable_devices().map_err(|e| e.to_string()))
    });
}

/// Starts a network job. Jobs that record what the server said open their own connection to
/// the inventory, so a long sync never holds up the inventory queue.
pub fn start(worker: &Worker, job: RedirectJob) {
    let (sink, db_path) = (worker.sink(), worker.db_path().to_path_buf());
    worker.spawn(async move {
        let job_sink = sink.clone();
        let event = on_blocking_thread(move || run(job, db_path, job_sink))
            .await
            .unwrap_or_else(RedirectEvent::DevicesFailed);
        sink.send(event);
    });
}

async fn run(job: RedirectJob, db_path: std::path::PathBuf, sink: EventSink) -> RedirectEvent {
    let open = || Inventory::open(&db_path).map_err(|e| e.to_string());
    match job {
        RedirectJob::Test { account, provider } => {
            RedirectEvent::Connection(test(&account, provider).await)
        }
        RedirectJob::Devices {
            action,
            account,
            macs,
        } => match devices(action, &account, macs, open).await {
            Ok(outcomes) => RedirectEvent::DeviceResults { action, outcomes },
            Err(error) => RedirectEvent::DevicesFailed(error),
        },
        RedirectJob::Plan {
            run,
            account,
            options,
        } => RedirectEvent::Plan {
            run,
            plan: plan(&account, &options, open).await,
        },
        RedirectJob::Apply {
            run,
            account,
            plan,
            options,
            cancel,
        } => {
            let ended = apply(run, &account, &plan, &options, &cancel, open, &sink).await;
            let (cancelled, error) = match ended {
                Ok(cancelled) => (cancelled, None),
                Err(error) => (false, Some(error)),
            };
            RedirectEvent::ApplyEnded {
                run,
                cancelled,
                error,
            }
        }
        RedirectJob::List { account, providers } => {
            RedirectEvent::Remote(list(&account, &providers, open).await)
        }
    }
}

/// Runs a future of the core on a blocking thread of the runtime. `build_plan` and `apply`
/// map streams with async closures, whose futures the compiler cannot prove `Send` (a known
/// rustc limitation with higher-ranked lifetimes), so they cannot be spawned as tasks; the
/// closure that makes the future is `Send`, which is all a blocking thread needs.
async fn on_blocking_thread<T, F>(make: impl FnOnce() -> F + Send + 'static) -> Result<T, String>
where
    T: Send + 'static,
    F: std::future::Future<Output = T>,
{
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || handle.block_on(make()))
        .await
        .map_err(|e| format!("the redirect job stopped unexpectedly ({e}); please report this"))
}

fn client(account: &Account) -> Result<GigasetClient, String> {
    if account.user.trim().is_empty() {
        return Err("Enter the provisioner user name Gigaset gave you, then try again.".into());
    }
    GigasetClient::new(account, DEFAULT_TIMEOUT).map_err(|e| e.to_string())
}

async fn test(account: &Account, provider: Option<String>) -> Result<String, String> {
    let client = client(account)?;
    let endpoint = client.endpoint().to_string();
    match provider {
        Some(provider) => {
            let listed = client
                .list(std::slice::from_ref(&provider))
                .await
                .map_err(|e| e.to_string())?;
            Ok(format!(
                "Connected to {endpoint} as {}: {} registered for {provider}.",
                account.user,
                words::count(listed.len(), "device")
            ))
        }
        None => {
            // Any answer about a MAC nobody owns proves that the server takes the account.
            client
                .check("000000000000")
                .await
                .map_err(|e| e.to_string())?;
            Ok(format!(
                "Connected to {endpoint} as {}: the server accepts the account.",
                account.user
            ))
        }
    }
}

/// One call per picked device, each answer recorded as it arrives.
async fn devices(
    action: DeviceAction,
    account: &Account,
    macs: Vec<Mac>,
    open: impl FnOnce() -> Result<Inventory, String>,
) -> Result<Vec<crate::ops::redirect::DeviceOutcome>, String> {
    let client = client(account)?;
    let mut inventory = open()?;
    let mut requests = Vec::with_capacity(macs.len());
    for mac in macs {
        // A device removed since it was picked has nothing to send.
        if let Some(device) = inventory.device_by_mac(mac).map_err(|e| e.to_string())? {
            requests.push(DeviceRequest::for_device(action, &device));
        }
    }
    device_calls(
        &client,
        &mut inventory,
        requests,
        &mut |_| {},
        &CancelFlag::default(),
    )
    .await
    .map_err(|error| format!("the answers could not be recorded in the inventory: {error}"))
}

async fn plan(
    account: &Account,
    options: &PlanOptions,
    open: impl FnOnce() -> Result<Inventory, String>,
) -> Result<SyncPlan, String> {
    let client = client(account)?;
    let inventory = open()?;
    sync::plan(&client, &inventory, options)
        .await
        .map_err(|e| e.to_string())
}

/// Applies like `provdesk sync`; says whether it was cancelled.
async fn apply(
    run: u64,
    account: &Account,
    plan: &SyncPlan,
    options: &ApplyOptions,
    cancel: &CancelFlag,
    open: impl FnOnce() -> Result<Inventory, String>,
    sink: &EventSink,
) -> Result<bool, String> {
    let client = client(account)?;
    let mut inventory = open()?;
    let mut on_batch = |results: &[crate::redirect::DeviceResult], progress| {
        send(
            sink,
            RedirectEvent::Applied {
                run,
                progress,
                results: results.to_vec(),
            },
        )
    };
    let report = sync::apply_and_record(
        &client,
        &mut inventory,
        plan,
        options,
        &mut on_batch,
        cancel,
    )
    .await
    .map_err(|e| e.to_string())?;
    match report.record_failure() {
        Some(failure) => Err(failure),
        None => Ok(report.applied.cancelled),
    }
}

async fn list(
    account: &Account,
    providers: &[String],
    open: impl FnOnce() -> Result<Inventory, String>,
) -> Result<RemoteList, String> {
    let client = client(account)?;
    let known = open()?
        .sync_devices()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|d| d.mac)
        .collect();
    let devices = client.list(providers).await.map_err(|e| e.to_string())?;
    Ok(RemoteList { devices, known })
}
