//! `provdesk serve` beside lighttpd in the same run (issue 13 target: ≤ 1.2× lighttpd's time):
//! 1,000 N510s fetched one after another by one client with digest (a request without
//! credentials, the 401, the MAC / MAC password answer, the 200), against provdesk rendering each
//! file when asked and against lighttpd serving the same rendered files with the exported
//! htdigest file. Then 50 phones at once against each, with the p99 of a phone's whole ladder
//! printed.
//!
//! Needs lighttpd (`apt-get install -y lighttpd`); without it, it says so and measures
//! provdesk alone.

#[allow(dead_code)] // a bench uses a few of the tests' helpers
#[path = "../tests/support/servers.rs"]
mod servers;

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use provdesk::device::{Mac, MacPassword, NewDevice, ProvisioningUrl, find_model};
use provdesk::fetch::{FetchSpec, run_fetch};
use provdesk::inventory::Inventory;
use provdesk::secret::Secret;
use provdesk::serve::{ServeConfig, start};
use provdesk::templates::{RenderSettings, render_set};

const DEVICES: u32 = 1000;
const PHONES_AT_ONCE: u32 = 50;
const MAC_PASSWORD: &str = "2EE3EECC82C4";
const REALM: &str = "provdesk bench";

fn mac(n: u32) -> Mac {
    Mac::parse(&format!("7C2F80{n:06X}")).unwrap()
}

/// The inventory of N510s; returns the rendered files and writes the htdigest file.
fn inventory(db: &Path, htdigest: &Path, out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut inventory = Inventory::open(db).unwrap();
    let devices: Vec<NewDevice> = (0..DEVICES)
        .map(|n| {
            let mut device = NewDevice::with_mac(mac(n));
            device.model = find_model("N510");
            device.mac_password = Some(MacPassword::parse(MAC_PASSWORD).unwrap());
            device.url = Some(ProvisioningUrl::parse("http://prov.example/%MACD.xml").unwrap());
            device
        })
        .collect();
    inventory.add_devices(&devices).unwrap();
    let stored: Vec<_> = (0..DEVICES)
        .map(|n| inventory.device_by_mac(mac(n)).unwrap().unwrap())
        .collect();
    let set = render_set(
        &inventory.template_set().unwrap(),
        &stored,
        &RenderSettings::default(),
        false,
        Some(REALM),
    )
    .unwrap();
    set.stage(out, Some(htdigest)).unwrap().commit().unwrap();
    set.files
        .iter()
        .map(|file| (format!("/{}", file.file_name), file.bytes().to_vec()))
        .collect()
}

fn spec(pattern: &str, n: u32) -> FetchSpec {
    let mut spec = FetchSpec::ad_hoc(pattern, find_model("N510").unwrap());
    spec.mac = Some(mac(n));
    spec.mac_password = Some(Secret::new(MAC_PASSWORD));
    spec
}

async fn every_device(pattern: &str) {
    for n in 0..DEVICES {
        let transcript = run_fetch(&spec(pattern, n), None, &mut |_| {})
            .await
            .unwrap();
        assert!(transcript.ok(), "device {n}");
    }
}

/// The p99 of one phone's whole ladder with `PHONES_AT_ONCE` phones fetching at once.
async fn p99_at_once(pattern: &str) -> Duration {
    let ladders = (0..PHONES_AT_ONCE).map(|n| async move {
        let started = Instant::now();
        let transcript = run_fetch(&spec(pattern, n), None, &mut |_| {})
            .await
            .unwrap();
        assert!(transcript.ok());
        started.elapsed()
    });
    let mut times = futures_util::future::join_all(ladders).await;
    times.sort();
    times[(times.len() * 99).div_ceil(100) - 1]
}

fn serve_vs_lighttpd(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bench.db");
    let htdigest = dir.path().join("users.htdigest");
    let files = inventory(&db, &htdigest, &dir.path().join("www"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let config = ServeConfig {
        realm: REALM.into(),
        ..ServeConfig::default()
    };
    let mut server = runtime
        .block_on(start(&db, "127.0.0.1:0".parse().unwrap(), config))
        .unwrap();
    let provdesk_pattern = server.url_pattern();
    // The log's reader, as the command has one.
    let drain = runtime.spawn(async move { while server.next_event().await.is_some() {} });

    let lighttpd = servers::installed("lighttpd").then(|| {
        let borrowed: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(path, bytes)| (path.as_str(), bytes.as_slice()))
            .collect();
        servers::lighttpd_htdigest(REALM, &htdigest, &borrowed)
    });
    if lighttpd.is_none() {
        eprintln!(
            "serve bench: lighttpd missing (apt-get install -y lighttpd); measuring provdesk alone"
        );
    }

    let mut group = c.benchmark_group(format!("{DEVICES} devices fetched with digest, one client"));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("provdesk serve (renders each file)", |b| {
        b.iter(|| runtime.block_on(every_device(&provdesk_pattern)))
    });
    if let Some(server) = &lighttpd {
        let pattern = format!("{}/%MACD.xml", server.base_url());
        group.bench_function("lighttpd (rendered files, htdigest)", |b| {
            b.iter(|| runtime.block_on(every_device(&pattern)))
        });
        let p99 = runtime.block_on(p99_at_once(&pattern));
        eprintln!("lighttpd: p99 of a phone's ladder with {PHONES_AT_ONCE} at once: {p99:?}");
    }
    group.finish();
    let p99 = runtime.block_on(p99_at_once(&provdesk_pattern));
    eprintln!("provdesk serve: p99 of a phone's ladder with {PHONES_AT_ONCE} at once: {p99:?}");
    drain.abort();
}

criterion_group!(benches, serve_vs_lighttpd);
criterion_main!(benches);
