//! `provdesk sync`: make the redirect server say what the inventory says. Builds the plan from
//! both sides, shows it (`--dry-run`) or applies it in batches, recording every device's result
//! as its batch returns. Ctrl+C stops sending; what was answered is kept. Exit 1 when any
//! device failed.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::progress::Progress;
use super::redirect::{ServerArgs, data_dir};
use crate::cancel::CancelFlag;
use crate::device::{Mac, mask_url_password};
use crate::inventory::{Inventory, recovery_files};
use crate::ops::sync;
use crate::redirect::{
    AccountStore, Action, ApplyOptions, ApplyReport, DeviceFailure, Lacking, LeftOut,
    LeftRegistered, PlanItem, PlanOptions, RedirectService, SyncPlan, describe_item,
};
use crate::words;

#[derive(Debug, Args)]
pub struct SyncArgs {
    #[command(flatten)]
    server: ServerArgs,
    /// Only devices of this provider, and only its registrations
    #[arg(long, value_name = "P")]
    provider: Option<String>,
    /// Show the plan, change nothing
    #[arg(long)]
    dry_run: bool,
    /// Print one JSON object instead of lines
    #[arg(long)]
    json: bool,
    /// Also deregister registrations of these providers that are not in the inventory
    #[arg(long)]
    deregister: bool,
    /// Devices per list call
    #[arg(long, value_name = "N", default_value_t = 100)]
    batch_size: usize,
    /// List calls in flight at once
    #[arg(long, value_name = "N", default_value_t = 4)]
    concurrency: usize,
    /// Show no progress (nor with --json)
    #[arg(long, short)]
    quiet: bool,
}

/// One device in the JSON output. URLs with a password are masked.
#[derive(Debug, Serialize)]
struct JsonItem {
    mac: String,
    mac_id: String,
    provider: String,
    url: String,
}

impl From<&PlanItem> for JsonItem {
    fn from(item: &PlanItem) -> Self {
        Self {
            mac: item.mac.macd(),
            mac_id: item.mac_id.clone(),
            provider: item.provider.clone(),
            url: mask_url_password(&item.url),
        }
    }
}

/// As the server holds it.
impl From<&LeftRegistered> for JsonItem {
    fn from(device: &LeftRegistered) -> Self {
        Self {
            mac: device.mac.macd(),
            mac_id: device.mac_id.clone(),
            provider: device.remote.provider.clone(),
            url: mask_url_password(&device.remote.url),
        }
    }
}

/// Devices lacking one thing: a script sees how many, as the warning on stderr does.
#[derive(Debug, Default, Serialize)]
struct JsonLacking {
    count: usize,
    /// The lowest few MACs, as the warning names them.
    named: Vec<String>,
}

impl From<&Lacking> for JsonLacking {
    fn from(lacking: &Lacking) -> Self {
        Self {
            count: lacking.count,
            named: lacking.named.iter().map(Mac::macd).collect(),
        }
    }
}

/// The inventory's devices neither planned nor applied, for lack of a provider or URL.
#[derive(Debug, Default, Serialize)]
struct JsonLeftOut {
    devices: usize,
    no_provider: JsonLacking,
    no_url: JsonLacking,
    /// Left out, yet registered on the server all the same.
    registered: Vec<JsonItem>,
}

impl From<&LeftOut> for JsonLeftOut {
    fn from(left_out: &LeftOut) -> Self {
        Self {
            devices: left_out.devices,
            no_provider: (&left_out.no_provider).into(),
            no_url: (&left_out.no_url).into(),
            registered: left_out.registered.iter().map(JsonItem::from).collect(),
        }
    }
}

/// `{"register": [...], "update": [...], "deregister": [...], "unchanged": [...], "failed": [...],
/// "left_out": {...}}`: for a dry run what would be done, after an apply what was done; and
/// either way the devices the plan could not take.
#[derive(Debug, Default, Serialize)]
struct JsonReport {
    register: Vec<JsonItem>,
    update: Vec<JsonItem>,
    deregister: Vec<JsonItem>,
    unchanged: Vec<JsonItem>,
    failed: Vec<DeviceFailure>,
    left_out: JsonLeftOut,
}

impl JsonReport {
    fn push(&mut self, item: &PlanItem) {
        let list = match item.action {
            Action::Register => &mut self.register,
            Action::Update => &mut self.update,
            Action::Deregister => &mut self.deregister,
            Action::Unchanged => &mut self.unchanged,
        };
        list.push(item.into());
    }

    /// Nothing done yet, and the devices `plan` left out.
    fn empty(plan: &SyncPlan) -> Self {
        Self {
            left_out: (&plan.left_out).into(),
            ..Self::default()
        }
    }

    fn of_plan(plan: &SyncPlan) -> Self {
        let mut report = Self::empty(plan);
        plan.items.iter().for_each(|item| report.push(item));
        report
    }

    fn of_apply(plan: &SyncPlan, applied: &ApplyReport) -> Self {
        let mut report = Self::empty(plan);
        plan.with_action(Action::Unchanged)
            .for_each(|item| report.push(item));
        for result in &applied.results {
            match &result.outcome {
                Ok(_) => report.push(&result.item),
                Err(failure) => report.failed.push(failure.clone()),
            }
        }
        report
    }
}

pub fn run(db: Option<PathBuf>, args: SyncArgs) -> anyhow::Result<bool> {
    let (db_path, dir) = data_dir(db)?;
    let store = AccountStore::new(&dir);
    let client = args.server.client(&store)?;
    let mut inventory = super::open_inventory(&db_path)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let options = PlanOptions {
        provider: args.provider.clone(),
        deregister_unknown: args.deregister,
    };
    let plan = runtime.block_on(sync::plan(&client, &inventory, &options))?;
    for warning in plan.warnings() {
        eprintln!("warning: {warning}");
    }

    if args.dry_run {
        print_dry_run(&plan, &args, &inventory)?;
        return Ok(true);
    }

    let apply_options = ApplyOptions {
        batch_size: args.batch_size.max(1),
        concurrency: args.concurrency.max(1),
    };
    let cancel = CancelFlag::default();
    let json = args.json;
    let mut progress = Progress::new(args.quiet || json);
    let report = runtime.block_on(async {
        let stop = cancel.clone();
        let watcher = tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.cancel();
            }
        });
        let report = sync::apply_and_record(
            &client,
            &mut inventory,
            &plan,
            &apply_options,
            &mut |_, done| progress.show("Syncing…", done.done, done.total),
            &cancel,
        )
        .await;
        watcher.abort();
        progress.finish();
        report
    })?;
    for line in report.restored_lines() {
        eprintln!("provdesk: {line}");
    }
    if let Some(message) = report.record_failure() {
        anyhow::bail!(message);
    }
    let report = report.applied;

    let out = JsonReport::of_apply(&plan, &report);
    if json {
        say!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        say!(
            "{} registered, {} updated, {} deregistered, {} unchanged, {} failed{} (server {})",
            out.register.len(),
            out.update.len(),
            out.deregister.len(),
            out.unchanged.len(),
            out.failed.len(),
            plan.left_out
                .counted()
                .map(|counted| format!(", {counted} (see the warnings)"))
                .unwrap_or_default(),
            client.endpoint()
        );
        for failure in &out.failed {
            say!(
                "failed {} ({}): {}",
                failure.mac,
                crate::redirect::shown(&failure.code, 60),
                failure.message
            );
        }
        if report.cancelled {
            say!("cancelled: run sync again to finish");
        }
    }
    Ok(out.failed.is_empty())
}

/// What a dry run shows: the plan, and the answers of an earlier sync still waiting in
/// recovery files.
fn print_dry_run(plan: &SyncPlan, args: &SyncArgs, inventory: &Inventory) -> anyhow::Result<()> {
    if args.json {
        say!(
            "{}",
            serde_json::to_string_pretty(&JsonReport::of_plan(plan))?
        );
        return Ok(());
    }
    print_plan(plan, args.deregister)?;
    for file in recovery_files(inventory.path()) {
        say!(
            "{} holds registrations (with MAC passwords) an earlier sync could not record; the next sync records them first",
            file.display()
        );
    }
    Ok(())
}

fn print_plan(plan: &SyncPlan, deregister: bool) -> anyhow::Result<()> {
    for item in plan.items.iter().filter(|i| i.action != Action::Unchanged) {
        say!("{}", describe_item(item));
    }
    say!("plan: {}", plan.summary());
    if plan.remote_only > 0 && !deregister {
        say!(
            "{} on the server {} not in the inventory; --deregister removes {}",
            words::count(plan.remote_only, "registration"),
            words::agree(plan.remote_only, "is", "are"),
            words::agree(plan.remote_only, "it", "them")
        );
    }
    Ok(())
}
