//! Registering 10,000 devices on the redirect simulator: the sync's list calls (batches of
//! 100) against one `registerDevice` call per device, the way Gigaset's `ap-client.py` works.
//! Each measured run starts on an empty simulator.
//!
//! Twice: on bare loopback, where a call costs some 45 µs and the XML-RPC work per device is
//! what remains, and with 1 ms of simulated round trip per call, which models a nearby server
//! (prov.gigaset.net is an internet service, usually tens of ms away). Prints both ratios from
//! one timed run each (one call per device takes ~25 s with the round trip), then criterion's
//! figures for loopback.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use provdesk::cancel::CancelFlag;
use provdesk::device::Mac;
use provdesk::redirect::{
    Account, ApplyOptions, GigasetClient, RedirectService, SyncPlan, Wanted, apply, compare,
};
use provdesk::secret::Secret;
use provdesk::sim::redirect::{RedirectSim, RedirectSimConfig, RunningRedirectSim};
use tokio::runtime::Runtime;

const DEVICES: u32 = 10_000;
const URL: &str = "http://p.example/%MACD.xml";

fn mac_id(n: u32) -> String {
    format!("7C2F80{n:06X}-{:04X}", n % 0x1_0000)
}

fn plan() -> SyncPlan {
    let wanted: Vec<Wanted> = (0..DEVICES)
        .map(|n| Wanted {
            mac: Mac::parse(&format!("7C2F80{n:06X}")).expect("a valid MAC"),
            mac_id: mac_id(n),
            provider: "Daryna".into(),
            url: URL.into(),
        })
        .collect();
    compare(&wanted, &[], &HashMap::new(), &HashSet::new(), false)
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
                .register(&mac_id(n), URL, "Daryna")
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
    let plan = plan();
    print_ratio(&runtime, &plan, Duration::ZERO);
    print_ratio(&runtime, &plan, ROUND_TRIP);

    let mut group = c.benchmark_group("register 10000 devices, loopback");
    group.sample_size(10);
    group.bench_function("list calls, batches of 100", |b| {
        b.iter_batched(
            || fresh(&runtime, Duration::ZERO),
            |(_sim, client)| with_lists(&runtime, &client, &plan, 4),
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
