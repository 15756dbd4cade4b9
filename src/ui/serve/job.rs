//! The server as a worker job: started on the shared runtime, every request forwarded to the
//! panel as it is answered, stopped when the panel says so.

use std::net::SocketAddr;

use tokio::sync::oneshot;

use crate::device::{Mac, NewDevice, ProvisioningUrl};
use crate::inventory::{Inventory, RolloutScope};
use crate::secret::Secret;
use crate::serve::{JsonLog, ServeEvent, render_failures, start};
use crate::ui::serve::add_phone::NewPhone;
use crate::ui::serve::advanced::Applied;
use crate::ui::serve::events::ServePanelEvent;
use crate::ui::worker::Worker;
use crate::words;

/// The panel's hold on the running server.
pub struct ServeHandle {
    stop: Option<oneshot::Sender<()>>,
}

impl ServeHandle {
    /// Stops accepting and closes the connections; the panel hears `Stopped`.
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Drop for ServeHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts the server with what Start applied; the JSON log, when one is named, is opened first,
/// so a file that cannot be written stops the start instead of losing the log.
pub fn start_serving(worker: &Worker, bind: SocketAddr, applied: Applied) -> ServeHandle {
    let (stop, stopped) = oneshot::channel();
    let sink = worker.sink();
    let db = worker.db_path().to_path_buf();
    worker.spawn(async move {
        let mut log = match applied.log_json.as_deref().map(JsonLog::open).transpose() {
            Ok(log) => log,
            Err(error) => {
                sink.send(ServePanelEvent::Stopped {
                    error: Some(error.to_string()),
                });
                return;
            }
        };
        let mut server = match start(&db, bind, applied.config).await {
            Ok(server) => server,
            Err(error) => {
                sink.send(ServePanelEvent::Stopped {
                    error: Some(error.to_string()),
                });
                return;
            }
        };
        sink.send(ServePanelEvent::Started {
            addr: server.addr(),
            url_pattern: server.url_pattern(),
        });
        let mut forward = |event: ServeEvent| {
            if let Some(Err(error)) = log.as_mut().map(|log| log.write(&event)) {
                log = None;
                sink.send(ServePanelEvent::LogFailed(error.to_string()));
            }
            sink.send(ServePanelEvent::Request(Box::new(event)));
        };
        tokio::pin!(stopped);
        loop {
            tokio::select! {
                _ = &mut stopped => break,
                event = server.next_event() => match event {
                    Some(event) => forward(event),
                    None => break,
                },
            }
        }
        while let Some(event) = server.try_event() {
            forward(event);
        }
        server.shutdown().await;
        sink.send(ServePanelEvent::Stopped { error: None });
    });
    ServeHandle { stop: Some(stop) }
}

/// Adds a phone that asked but was not in the inventory, to the site and with the model the
/// user confirmed.
pub fn add_phone(worker: &Worker, phone: NewPhone) {
    worker.inventory(move |inventory, _| {
        let added = Mac::parse(&phone.device)
            .map_err(|e| e.to_string())
            .and_then(|mac| {
                let mut device = NewDevice::with_mac(mac);
                device.model = phone.model;
                device.site = phone.site;
                inventory
                    .add_device(&device)
                    .map(|added| added.mac.macd())
                    .map_err(|e| e.to_string())
            });
        ServePanelEvent::Added(added)
    });
}

/// Gives the selected devices, or a site, the URL phones are to ask this server with.
pub fn use_url(worker: &Worker, chosen: Chosen, pattern: String) {
    worker.inventory(move |inventory, _| {
        let done = ProvisioningUrl::parse(&pattern)
            .map_err(|e| e.to_string())
            .and_then(|url| {
                match chosen {
                    Chosen::Devices(ids) => inventory.use_url(&ids, &url).map(|count| {
                        format!(
                            "{} now {} {pattern}",
                            words::count(count, "device"),
                            words::agree(count, "asks", "ask")
                        )
                    }),
                    Chosen::Site(site) => inventory.use_site_url(&site, &url).map(|count| {
                        format!(
                            "Site {site} now hands out {pattern} ({} {} it)",
                            words::count(count, "device"),
                            words::agree(count, "inherits", "inherit")
                        )
                    }),
                }
                .map_err(|e| e.to_string())
            });
        ServePanelEvent::UrlUsed(done)
    });
}

/// The devices an action of the panel is for: the Inventory's selection, or a site's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    Devices(Vec<i64>),
    Site(String),
}

/// Finds the devices no phone can get its file for: those without credentials (a burst of
/// inventory changes asks once), then, numbered `check`, those whose file cannot be rendered.
/// The files are tried on a connection of their own: rendering every device of a large
/// inventory takes seconds, which would hold up the inventory's other jobs (the table's pages).
/// With one site served, only its devices count.
pub fn load_coverage(worker: &Worker, check: u64, site: Option<String>) {
    let only = site.clone();
    worker.inventory_latest("serve_coverage", move |inventory, _| {
        ServePanelEvent::Coverage(
            inventory
                .credential_gaps(only.as_deref())
                .map_err(|e| e.to_string()),
        )
    });
    let (db, sink) = (worker.db_path().to_path_buf(), worker.sink());
    worker.spawn_blocking(move || {
        let failures = Inventory::open(&db)
            .map_err(|e| e.to_string())
            .and_then(|inventory| {
                render_failures(&inventory, site.as_deref()).map_err(|e| e.to_string())
            });
        sink.send(ServePanelEvent::FilesTried { check, failures });
    });
}

/// Reads how far the rollout has come, and which way each device's goes; a burst of served
/// requests asks once.
pub fn load_rollout(worker: &Worker) {
    worker.inventory_latest("serve_rollout", |inventory, _| {
        ServePanelEvent::Rollout(
            inventory
                .rollout_progress()
                .and_then(|progress| Ok((progress, inventory.rollout_directions()?)))
                .map_err(|e| e.to_string()),
        )
    });
}

/// Reads the progress again with the devices enforcing would lock out, for the Enforce…
/// question: the table may be behind what the CLI did.
pub fn load_enforce(worker: &Worker) {
    worker.inventory(|inventory, _| {
        ServePanelEvent::EnforceFacts(
            inventory
                .rollout_progress()
                .and_then(|progress| Ok((progress, inventory.rollout_pending()?)))
                .map_err(|e| e.to_string()),
        )
    });
}

/// The rollout scope the picker's choice names.
fn rollout_scope(
    inventory: &crate::inventory::Inventory,
    chosen: Chosen,
) -> Result<RolloutScope, crate::inventory::InventoryError> {
    match chosen {
        Chosen::Site(site) => Ok(RolloutScope::Site(site)),
        Chosen::Devices(ids) => inventory
            .devices_by_ids(&ids)
            .map(|devices| RolloutScope::Devices(devices.iter().map(|d| d.mac).collect())),
    }
}

/// Asks what a rollout would do, for its confirmation: a refusal (a password too long for a
/// model among the devices) comes back before anything changed.
pub fn plan_rollout(worker: &Worker, scope: Chosen, user: String, password: Secret) {
    worker.inventory(move |inventory, _| {
        ServePanelEvent::RolloutPlanned(
            rollout_scope(inventory, scope)
                .and_then(|scope| inventory.plan_rollout(&scope, &user, &password))
                .map_err(|e| e.to_string()),
        )
    });
}

/// Starts a rollout to new credentials for a site or the selected devices.
pub fn start_rollout(worker: &Worker, scope: Chosen, user: String, password: Secret) {
    worker.inventory(move |inventory, _| {
        let started = rollout_scope(inventory, scope)
            .and_then(|scope| inventory.start_rollout(&scope, &user, &password))
            .map(|started| {
                let mut text = format!(
                    "Rollout started for {}: {} now user \"{}\", and the old credentials are accepted until you enforce it",
                    words::count(started.devices, "device"),
                    words::agree(started.devices, "its file carries", "their files carry"),
                    user.trim()
                );
                if !started.own_credentials.is_empty() {
                    text.push_str(&format!(
                        "; {} with credentials of {} own {} left alone",
                        words::count(started.own_credentials.len(), "device"),
                        words::agree(started.own_credentials.len(), "its", "their"),
                        words::agree(started.own_credentials.len(), "was", "were")
                    ));
                }
                text
            })
            .map_err(|e| e.to_string());
        ServePanelEvent::RolloutChanged(started)
    });
}

/// Ends every rollout: only the new credentials are accepted.
pub fn enforce_rollout(worker: &Worker) {
    worker.inventory(|inventory, _| {
        ServePanelEvent::RolloutChanged(
            inventory
                .enforce_rollout(&RolloutScope::All)
                .map(|count| {
                    format!(
                        "Rollout enforced for {}: only the new credentials are accepted",
                        words::count(count, "device")
                    )
                })
                .map_err(|e| e.to_string()),
        )
    });
}
