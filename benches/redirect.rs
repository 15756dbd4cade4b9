//! Syncing 10,000 new devices with the redirect simulator. Each measured run starts on an
//! empty simulator.
//!
//! Printed first, from timed runs (the median of three, after one untimed run of each, so
//! that the process's first allocations and connections weigh on none of them):
//! - the sync as `provdesk sync` runs it: the plan (alone, that is the dry run), then the
//!   apply with every batch recorded in a real inventory, beside its peer in the same run:
//!   raw batched XML-RPC, the same `registerDeviceList` calls of 100 written and sent by hand
//!   over the same HTTP client, 4 in flight as the sync sends them, with nothing planned,
//!   parsed or recorded; and, to show what the recording costs, the same plan and apply with
//!   nothing recorded. The sync twice: into an inventory never synced (a fresh copy each run,
//!   whose rows all grow by the redirect state and MAC password) and into one synced before;
//! - a second peer that does the sync's whole job by hand, as a script would: the same raw
//!   calls, and each answer's MAC passwords written into a never-synced copy of the inventory
//!   with the UPDATE provdesk's recording runs, one per device, all in one transaction; no
//!   plan, no audit entry, no check of what the server said beyond its first `true`;
//! - the list calls against one `registerDevice` per device, the way Gigaset's `ap-client.py`
//!   works.
//!
//! Twice: on bare loopback, where a call costs some 45 µs and the work per device is what
//! remains, and with 1 ms of simulated round trip per call, which models a nearby server
//! (prov.gigaset.net is an internet service, usually tens of ms away). Then criterion's
//! figures for loopback.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use futures_util::{StreamExt as _, stream};
use provdesk::cancel::CancelFlag;
use provdesk::device::{Mac, MacId, NewDevice, ProvisioningUrl};
use provdesk::inventory::Inventory;
use provdesk::ops::sync;
use provdesk::redirect::{
    Account, ApplyOptions, GigasetClient, PlanOptions, RedirectService, SyncPlan, apply,
};
use provdesk::secret::Secret;
use provdesk::sim::redirect::{RedirectSim, RedirectSimConfig, RunningRedirectSim};
use rusqlite::{Connection, params};
use tokio::runtime::Runtime;

const DEVICES: u32 = 10_000;
const URL: &str = "http://p.example/%MACD.xml";
const PROVIDER: &str = "Daryna";

fn mac_id(n: u32) -> String {
    format!("7C2F80{n:06X}-{:04X}", n % 0x1_0000)
}

/// An inventory of the 10,000 devices, each with a MAC-ID, provider and URL, never synced.
fn inventory(path: &Path) -> Inventory {
    let mut inventory = Inventory::open(path).expect("opens");
    let devices: Vec<NewDevice> = (0..DEVICES)
        .map(|n| {
            let mut device =
                NewDevice::with_mac(Mac::parse(&format!("7C2F80{n:06X}")).expect("a MAC"));
            device.mac_id = Some(MacId::parse(&mac_id(n)).expect("a MAC-ID"));
            device.provider = Some(PROVIDER.into());
            device.url = Some(ProvisioningUrl::parse(URL).expect("a URL"));
            device
        })
        .collect();
    inventory.add_devices(&devices).expect("added");
    inventory
}

/// The modelled round trip of the second run.
const ROUND_TRIP: Duration = Duration::from_millis(1);

/// A fresh simulator answering after `latency`, and a client for it.
fn fresh(runtime: &Runtime, latency: Duration) -> (RunningRedirectSim, GigasetClient) {
    runtime.block_on(async {
        let config = RedirectSimConfig {
            latency,
            ..RedirectSimConfig::new("gigaset", Secret::new("aptest"))
        };
        let sim = RedirectSim::start("127.0.0.1:0".parse().expect("an address"), config)
            .await
            .expect("the simulator starts");
        let account = Account::new(sim.url(), "gigaset", Secret::new("aptest"));
        let client = GigasetClient::new(&account, Duration::from_secs(60)).expect("a client");
        (sim, client)
    })
}

fn plan(runtime: &Runtime, client: &GigasetClient, inventory: &Inventory) -> SyncPlan {
    runtime
        .block_on(sync::plan(client, inventory, &PlanOptions::default()))
        .expect("a plan")
}

/// The sync as the CLI runs it: plan, then apply with every batch recorded.
fn sync_and_record(runtime: &Runtime, client: &GigasetClient, inventory: &mut Inventory) {
    let plan = plan(runtime, client, inventory);
    let report = runtime
        .block_on(sync::apply_and_record(
            client,
            inventory,
            &plan,
            &ApplyOptions::default(),
            &mut |_, _| {},
            &CancelFlag::default(),
        ))
        .expect("recorded");
    assert_eq!(report.applied.results.len(), DEVICES as usize);
    assert_eq!(report.applied.failures().count(), 0);
}

/// The peers' calls: `registerDeviceList` bodies of 100 MAC-IDs written by hand, each with
/// the MACs of its devices.
fn raw_bodies() -> Vec<(Vec<String>, String)> {
    (0..DEVICES)
        .collect::<Vec<_>>()
        .chunks(100)
        .map(|chunk| {
            let ids: String = chunk
                .iter()
                .map(|&n| format!("<value><string>{}</string></value>", mac_id(n)))
                .collect();
            let macs = chunk.iter().map(|&n| mac_id(n)[..12].to_string()).collect();
            let body = format!(
                "<?xml version=\"1.0\"?><methodCall><methodName>autoprov.registerDeviceList</methodName><params>\
                 <param><value><array><data>{ids}</data></array></value></param>\
                 <param><value><string>{URL}</string></value></param>\
                 <param><value><string>{PROVIDER}</string></value></param></params></methodCall>"
            );
            (macs, body)
        })
        .collect()
}

/// Sends the peers' calls, 4 in flight, and hands each answer, read whole and checked to be
/// a success, to `answered` with the MACs of its call.
async fn send_raw(endpoint: &str, mut answered: impl FnMut(&[String], &str)) {
    provdesk::fetch::install_crypto_provider();
    let http = reqwest::Client::builder()
        .http1_only()
        .build()
        .expect("a client");
    let mut answers = stream::iter(raw_bodies())
        .map(|(macs, body)| {
            let http = &http;
            async move {
                let response = http
                    .post(endpoint)
                    .basic_auth("gigaset", Some("aptest"))
                    .header("Content-Type", "text/xml")
                    .body(body)
                    .send()
                    .await
                    .expect("an answer");
                (macs, response.text().await.expect("a body"))
            }
        })
        .buffer_unordered(4);
    while let Some((macs, text)) = answers.next().await {
        assert!(text.contains("<boolean>1</boolean>"), "{text}");
        answered(&macs, &text);
    }
}

/// The peer: the raw calls, nothing else.
fn raw_batched(runtime: &Runtime, endpoint: &str) {
    runtime.block_on(send_raw(endpoint, |_, _| {}));
}

/// The peer that does the whole job: the raw calls, and each answer's MAC passwords (its
/// `OK:` strings, in order) written with provdesk's own UPDATE, all in one transaction.
fn raw_batched_and_recorded(runtime: &Runtime, endpoint: &str, inventory: &mut Connection) {
    let tx = inventory.transaction().expect("a transaction");
    let (checked_at, date): (String, String) = tx
        .query_row(
            "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%d %H:%M', 'now')",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("the time");
    let mut update = tx
        .prepare(
            "UPDATE devices SET redirect_status = 'registered', redirect_provider = ?1,
                 redirect_url = ?2, redirect_date = ?3, redirect_checked_at = ?4,
                 redirect_error = NULL, mac_password = ?5
             WHERE mac = ?6",
        )
        .expect("prepared");
    runtime.block_on(send_raw(endpoint, |macs, text| {
        let passwords = text.split("<string>OK:").skip(1).map(|s| &s[..12]);
        for (mac, password) in macs.iter().zip(passwords) {
            update
                .execute(params![PROVIDER, URL, date, checked_at, password, mac])
                .expect("updated");
        }
    }));
    drop(update);
    tx.commit().expect("committed");
}

/// How many of the inventory's devices hold a MAC password: all of them after either sync.
fn with_mac_password(inventory: &Connection) -> u32 {
    inventory
        .query_row(
            "SELECT count(*) FROM devices WHERE mac_password IS NOT NULL",
            [],
            |row| row.get(0),
        )
        .expect("counted")
}

fn with_lists(runtime: &Runtime, client: &GigasetClient, plan: &SyncPlan, concurrency: usize) {
    let options = ApplyOptions {
        batch_size: 100,
        concurrency,
    };
    let report = runtime.block_on(apply(
        client,
        plan,
        &options,
        &CancelFlag::default(),
        |_, _| {},
    ));
    assert_eq!(report.failures().count(), 0);
}

fn one_by_one(runtime: &Runtime, client: &GigasetClient) {
    runtime.block_on(async {
        for n in 0..DEVICES {
            let answer = client
                .register(&mac_id(n), URL, PROVIDER)
                .await
                .expect("an answer");
            assert!(answer.is_ok());
        }
    });
}

fn timed(run: impl FnOnce()) -> Duration {
    let start = Instant::now();
    run();
    start.elapsed()
}

/// The median of three timed runs.
fn median(mut run: impl FnMut() -> Duration) -> Duration {
    let mut times = [run(), run(), run()];
    times.sort();
    times[1]
}

/// A copy of the never-synced inventory at `template`, opened.
fn never_synced(template: &Path, dir: &tempfile::TempDir) -> Inventory {
    let copy = dir.path().join("never-synced.sqlite3");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
    std::fs::copy(template, &copy).expect("copied");
    Inventory::open(&copy).expect("opens")
}

/// The same copy for the peer that records, opened as the inventory opens it.
fn never_synced_for_peer(template: &Path, dir: &tempfile::TempDir) -> Connection {
    let copy = dir.path().join("never-synced.sqlite3");
    drop(never_synced(template, dir));
    let connection = Connection::open(&copy).expect("opens");
    connection
        .pragma_update(None, "synchronous", "NORMAL")
        .expect("set");
    connection
}

fn print_sync(runtime: &Runtime, template: &Path, inventory: &mut Inventory, latency: Duration) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let sync_once = |inventory: &mut Inventory| {
        let (_sim, client) = fresh(runtime, latency);
        timed(|| sync_and_record(runtime, &client, inventory))
    };
    let peer_once = || {
        let (sim, _client) = fresh(runtime, latency);
        timed(|| raw_batched(runtime, &sim.url()))
    };
    // Untimed: warms the process and makes `inventory` one synced before.
    sync_once(inventory);
    peer_once();
    let dry_run = median(|| {
        let (_sim, client) = fresh(runtime, latency);
        timed(|| {
            plan(runtime, &client, inventory);
        })
    });
    let first = median(|| sync_once(&mut never_synced(template, &dir)));
    let again = median(|| sync_once(inventory));
    let unrecorded = median(|| {
        let (_sim, client) = fresh(runtime, latency);
        timed(|| {
            let plan = plan(runtime, &client, inventory);
            with_lists(runtime, &client, &plan, ApplyOptions::default().concurrency);
        })
    });
    let peer = median(peer_once);
    let whole_job_peer = median(|| {
        let mut copy = never_synced_for_peer(template, &dir);
        let (sim, _client) = fresh(runtime, latency);
        let time = timed(|| raw_batched_and_recorded(runtime, &sim.url(), &mut copy));
        assert_eq!(with_mac_password(&copy), DEVICES);
        time
    });
    let ratio = |time: Duration| time.as_secs_f64() / peer.as_secs_f64();
    println!(
        "sync {DEVICES} new devices, {latency:?} round trip: plan alone (dry run) {dry_run:.2?}; \
         plan + apply + record into a never-synced inventory {first:.2?}, into one synced before \
         {again:.2?}; peer, raw batched XML-RPC (100 per call, 4 in flight) {peer:.2?}: \
         ratios {:.2}x and {:.2}x (plan + apply with nothing recorded {unrecorded:.2?}: {:.2}x); \
         peer doing the whole job by hand (the same calls, each answer recorded) \
         {whole_job_peer:.2?}: the sync into a never-synced inventory is {:.2}x it",
        ratio(first),
        ratio(again),
        ratio(unrecorded),
        first.as_secs_f64() / whole_job_peer.as_secs_f64()
    );
}

fn print_ratio(runtime: &Runtime, plan: &SyncPlan, latency: Duration) {
    let (_sim, client) = fresh(runtime, latency);
    let lists = timed(|| with_lists(runtime, &client, plan, 4));
    let (_sim, client) = fresh(runtime, latency);
    let lists_serial = timed(|| with_lists(runtime, &client, plan, 1));
    let (_sim, client) = fresh(runtime, latency);
    let single = timed(|| one_by_one(runtime, &client));
    println!(
        "register {DEVICES} devices, {latency:?} round trip: list calls {lists:.2?} (one call at a time {lists_serial:.2?}), one registerDevice per device {single:.2?}: {:.1}x faster ({:.1}x one at a time)",
        single.as_secs_f64() / lists.as_secs_f64(),
        single.as_secs_f64() / lists_serial.as_secs_f64()
    );
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let template = dir.path().join("never-synced-template.sqlite3");
    drop(inventory(&template));
    let mut inventory = inventory(&dir.path().join("inventory.sqlite3"));
    let new_plan = {
        let (_sim, client) = fresh(&runtime, Duration::ZERO);
        plan(&runtime, &client, &inventory)
    };
    print_sync(&runtime, &template, &mut inventory, Duration::ZERO);
    print_sync(&runtime, &template, &mut inventory, ROUND_TRIP);
    print_ratio(&runtime, &new_plan, Duration::ZERO);
    print_ratio(&runtime, &new_plan, ROUND_TRIP);

    let mut group = c.benchmark_group("sync 10000 new devices, loopback");
    group.sample_size(10);
    group.bench_function("plan alone (dry run)", |b| {
        b.iter_batched(
            || fresh(&runtime, Duration::ZERO),
            |(_sim, client)| plan(&runtime, &client, &inventory),
            BatchSize::PerIteration,
        );
    });
    group.bench_function("plan + apply + record", |b| {
        b.iter_batched(
            || fresh(&runtime, Duration::ZERO),
            |(_sim, client)| sync_and_record(&runtime, &client, &mut inventory),
            BatchSize::PerIteration,
        );
    });
    group.bench_function("plan + apply, nothing recorded", |b| {
        b.iter_batched(
            || fresh(&runtime, Duration::ZERO),
            |(_sim, client)| {
                let plan = plan(&runtime, &client, &inventory);
                with_lists(
                    &runtime,
                    &client,
                    &plan,
                    ApplyOptions::default().concurrency,
                );
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("peer: raw batched XML-RPC", |b| {
        b.iter_batched(
            || fresh(&runtime, Duration::ZERO),
            |(sim, _client)| raw_batched(&runtime, &sim.url()),
            BatchSize::PerIteration,
        );
    });
    // Like the sync above, into an inventory that was synced before (after the first run).
    let mut peer_inventory = never_synced_for_peer(&template, &dir);
    group.bench_function("peer: raw batched XML-RPC, each answer recorded", |b| {
        b.iter_batched(
            || fresh(&runtime, Duration::ZERO),
            |(sim, _client)| raw_batched_and_recorded(&runtime, &sim.url(), &mut peer_inventory),
            BatchSize::PerIteration,
        );
    });
    group.bench_function("registerDevice per device", |b| {
        b.iter_batched(
            || fresh(&runtime, Duration::ZERO),
            |(_sim, client)| one_by_one(&runtime, &client),
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
