//! The Redirect panel's jobs on the worker: calls to the redirect server on the tokio runtime,
//! the inventory read and written through the inventory job queue (which owns the database),
//! and the account read and saved on a blocking thread (the keyring may wait on D-Bus).
//!
//! Every job answers with [`RedirectEvent`]s; what the server said about a device is recorded
//! in the inventory as soon as it is known, so a cancelled or failed run loses nothing.

use std::collections::HashSet;

use futures_util::{StreamExt as _, stream};
use tokio::sync::{mpsc, oneshot};

use super::worker::{Command, Event, EventSink};
use crate::device::{Device, Mac, mask_url_password};
use crate::inventory::RedirectUpdate;
use crate::redirect::{
    Account, AccountStore, ApplyOptions, CancelFlag, CheckAnswer, DEFAULT_TIMEOUT, DeviceAnswer,
    DeviceResult, GigasetClient, PasswordHome, PlanOptions, Progress, RedirectService,
    RemoteDevice, ResultCode, SyncPlan, apply, build_plan,
};

/// Calls to one device in flight at once: a few hide the round trip without flooding.
const DEVICE_CONCURRENCY: usize = 4;

/// What the panel can do to the devices picked in it, one call per device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceAction {
    Register,
    Check,
    Deregister,
}

impl DeviceAction {
    pub fn verb(self) -> &'static str {
        match self {
            Self::Register => "Register",
            Self::Check => "Check",
            Self::Deregister => "Deregister",
        }
    }

    pub fn doing(self) -> &'static str {
        match self {
            Self::Register => "Registering…",
            Self::Check => "Checking…",
            Self::Deregister => "Deregistering…",
        }
    }
}

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

/// One device's result as a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceLine {
    pub mac: Mac,
    pub mac_id: String,
    pub ok: bool,
    pub sentence: String,
}

/// The server's registrations, and which of them the inventory holds.
#[derive(Debug, Clone, Default)]
pub struct RemoteList {
    pub devices: Vec<RemoteDevice>,
    pub known: HashSet<Mac>,
}

/// What a redirect job produced.
#[derive(Debug)]
pub enum RedirectEvent {
    /// The saved account, if any (the password empty when none is stored).
    AccountLoaded(Result<Option<Account>, String>),
    AccountSaved(Result<PasswordHome, String>),
    /// The inventory's devices, for the panel's picker.
    Devices(Vec<Device>),
    Connection(Result<String, String>),
    DeviceResults {
        action: DeviceAction,
        lines: Vec<DeviceLine>,
    },
    Plan {
        run: u64,
        plan: Result<SyncPlan, String>,
    },
    /// One batch of apply `run` answered.
    Applied {
        run: u64,
        progress: Progress,
        results: Vec<DeviceResult>,
    },
    /// Apply `run` is over; `error` says why it could not run at all.
    ApplyEnded {
        run: u64,
        cancelled: bool,
        error: Option<String>,
    },
    Remote(Result<RemoteList, String>),
    /// News about this many devices is in the inventory.
    Recorded(usize),
    /// A Register, Check or Deregister could not run at all: why, and what to do.
    DevicesFailed(String),
}

fn send(sink: &EventSink, event: RedirectEvent) {
    sink.send(Event::Redirect(event));
}

/// Loads the saved account off the UI thread.
pub(super) fn load_account(store: AccountStore, sink: EventSink) {
    let loaded = store.load().map_err(|e| e.to_string());
    send(&sink, RedirectEvent::AccountLoaded(loaded));
}

/// Saves the account off the UI thread; says where the password went.
pub(super) fn save_account(store: AccountStore, account: Account, sink: EventSink) {
    let saved = store.save(&account).map_err(|e| e.to_string());
    send(&sink, RedirectEvent::AccountSaved(saved));
}

/// Runs a job; devices come from the inventory queue first, so they are never stale.
pub(super) async fn run(
    job: RedirectJob,
    commands: mpsc::UnboundedSender<Command>,
    sink: EventSink,
) {
    match job {
        RedirectJob::Test { account, provider } => {
            let answer = test(&account, provider).await;
            send(&sink, RedirectEvent::Connection(answer));
        }
        RedirectJob::Devices {
            action,
            account,
            macs,
        } => {
            let lines = match devices(&commands).await {
                Ok(all) => {
                    let chosen: Vec<Device> =
                        all.into_iter().filter(|d| macs.contains(&d.mac)).collect();
                    device_calls(action, &account, chosen, &commands).await
                }
                Err(error) => Err(error),
            };
            send(
                &sink,
                match lines {
                    Ok(lines) => RedirectEvent::DeviceResults { action, lines },
                    Err(error) => RedirectEvent::DevicesFailed(error),
                },
            );
        }
        RedirectJob::Plan {
            run,
            account,
            options,
        } => {
            let plan = match (devices(&commands).await, client(&account)) {
                (Ok(all), Ok(client)) => on_blocking_thread(move || async move {
                    build_plan(&client, &all, &options)
                        .await
                        .map_err(|e| e.to_string())
                })
                .await
                .and_then(|plan| plan),
                (Err(error), _) | (_, Err(error)) => Err(error),
            };
            send(&sink, RedirectEvent::Plan { run, plan });
        }
        RedirectJob::Apply {
            run,
            account,
            plan,
            options,
            cancel,
        } => {
            let sink_for_end = sink.clone();
            let ended = match client(&account) {
                Ok(client) => {
                    on_blocking_thread(move || async move {
                        apply_plan(run, &client, &plan, &options, &cancel, &commands, &sink)
                            .await
                            .cancelled
                    })
                    .await
                }
                Err(error) => Err(error),
            };
            let (cancelled, error) = match ended {
                Ok(cancelled) => (cancelled, None),
                Err(error) => (false, Some(error)),
            };
            send(
                &sink_for_end,
                RedirectEvent::ApplyEnded {
                    run,
                    cancelled,
                    error,
                },
            );
        }
        RedirectJob::List { account, providers } => {
            let listed = match (client(&account), devices(&commands).await) {
                (Ok(client), Ok(all)) => client
                    .list(&providers)
                    .await
                    .map(|devices| RemoteList {
                        devices,
                        known: all.iter().map(|d| d.mac).collect(),
                    })
                    .map_err(|e| e.to_string()),
                (Err(error), _) | (_, Err(error)) => Err(error),
            };
            send(&sink, RedirectEvent::Remote(listed));
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

/// Every device of the inventory, read by the inventory queue.
async fn devices(commands: &mpsc::UnboundedSender<Command>) -> Result<Vec<Device>, String> {
    let (reply, answer) = oneshot::channel();
    commands
        .send(Command::RedirectDevices { reply: Some(reply) })
        .map_err(|_| "the inventory is closed; restart provdesk".to_string())?;
    answer
        .await
        .map_err(|_| "the inventory could not be read; restart provdesk".to_string())?
}

fn record(commands: &mpsc::UnboundedSender<Command>, updates: Vec<(Mac, RedirectUpdate)>) {
    if !updates.is_empty() {
        // The queue ends only with the worker, and then nobody is left to tell.
        let _ = commands.send(Command::RecordRedirect(updates));
    }
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
                "Connected to {endpoint} as {}: {} device(s) registered for {provider}.",
                account.user,
                listed.len()
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

/// What the device is called on the server: its MAC-ID, else its plain MAC.
fn mac_id(device: &Device) -> String {
    device
        .mac_id
        .as_ref()
        .map_or_else(|| device.mac.macd(), ToString::to_string)
}

fn refused(code: &ResultCode) -> RedirectUpdate {
    RedirectUpdate::Failed {
        error: format!("{}: {code}", code.code()),
    }
}

/// One call per device, a few at once; each result recorded and put in words.
async fn device_calls(
    action: DeviceAction,
    account: &Account,
    chosen: Vec<Device>,
    commands: &mpsc::UnboundedSender<Command>,
) -> Result<Vec<DeviceLine>, String> {
    let client = client(account)?;
    let calls = chosen.into_iter().map(|device| {
        let client = client.clone();
        async move { one_device(action, &client, &device).await }
    });
    let mut answers = stream::iter(calls).buffered(DEVICE_CONCURRENCY);
    let mut lines = Vec::new();
    let mut updates = Vec::new();
    while let Some((line, update)) = answers.next().await {
        if let Some(update) = update {
            updates.push((line.mac, update));
        }
        lines.push(line);
    }
    record(commands, updates);
    Ok(lines)
}

async fn one_device(
    action: DeviceAction,
    client: &GigasetClient,
    device: &Device,
) -> (DeviceLine, Option<RedirectUpdate>) {
    let id = mac_id(device);
    let line = |ok: bool, sentence: String| DeviceLine {
        mac: device.mac,
        mac_id: id.clone(),
        ok,
        sentence,
    };
    match action {
        DeviceAction::Register => {
            let (Some(provider), Some(url)) = (
                device.effective_provider().filter(|p| !p.trim().is_empty()),
                device.effective_url().filter(|u| !u.trim().is_empty()),
            ) else {
                return (
                    line(
                        false,
                        "has no provider or provisioning URL: set them on the device or its site in Inventory".into(),
                    ),
                    None,
                );
            };
            let (provider, url) = (provider.trim(), url.trim());
            match client.register(&id, url, provider).await {
                Ok(DeviceAnswer::Ok { mac_password }) => {
                    let kept = if mac_password.is_some() {
                        "; its MAC password is stored"
                    } else {
                        ""
                    };
                    (
                        line(
                            true,
                            format!(
                                "registered with {provider}: {}{kept}",
                                mask_url_password(url)
                            ),
                        ),
                        Some(RedirectUpdate::Registered {
                            provider: provider.to_string(),
                            url: url.to_string(),
                            date: None,
                            mac_password,
                        }),
                    )
                }
                Ok(DeviceAnswer::Refused(code)) => {
                    (line(false, code.to_string()), Some(refused(&code)))
                }
                Err(error) => (line(false, error.to_string()), None),
            }
        }
        DeviceAction::Check => match client.check(&id).await {
            Ok(CheckAnswer::Registered(remote)) => (
                line(
                    true,
                    format!(
                        "registered with {}: {}, since {}",
                        remote.provider,
                        mask_url_password(&remote.url),
                        remote.date
                    ),
                ),
                Some(RedirectUpdate::Registered {
                    date: Some(remote.date.clone()).filter(|d| !d.is_empty()),
                    provider: remote.provider,
                    url: remote.url,
                    mac_password: None,
                }),
            ),
            Ok(CheckAnswer::Refused(ResultCode::MacNotFound(_))) => (
                line(true, "not registered on the redirect server".into()),
                Some(RedirectUpdate::NotRegistered),
            ),
            Ok(CheckAnswer::Refused(code)) => (line(false, code.to_string()), Some(refused(&code))),
            Err(error) => (line(false, error.to_string()), None),
        },
        DeviceAction::Deregister => match client.deregister(&id).await {
            Ok(DeviceAnswer::Ok { .. }) => (
                line(true, "deregistered".into()),
                Some(RedirectUpdate::NotRegistered),
            ),
            // The device is gone either way, which is what was asked.
            Ok(DeviceAnswer::Refused(ResultCode::MacNotFound(_))) => (
                line(true, "was not registered; nothing to remove".into()),
                Some(RedirectUpdate::NotRegistered),
            ),
            Ok(DeviceAnswer::Refused(code)) => {
                (line(false, code.to_string()), Some(refused(&code)))
            }
            Err(error) => (line(false, error.to_string()), None),
        },
    }
}

/// Applies like `provdesk sync`: what the plan observed is recorded first, then each batch's
/// results as they arrive.
async fn apply_plan(
    run: u64,
    client: &GigasetClient,
    plan: &SyncPlan,
    options: &ApplyOptions,
    cancel: &CancelFlag,
    commands: &mpsc::UnboundedSender<Command>,
    sink: &EventSink,
) -> crate::redirect::ApplyReport {
    let observed = plan.observed_updates();
    record(commands, observed);
    apply(client, plan, options, cancel, |results, progress| {
        record(
            commands,
            results
                .iter()
                .map(|r| (r.item.mac, r.inventory_update()))
                .collect(),
        );
        send(
            sink,
            RedirectEvent::Applied {
                run,
                progress,
                results: results.to_vec(),
            },
        );
    })
    .await
}
