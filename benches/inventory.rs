//! Inventory speed: one batch insert of 100,000 devices, and searches over 100,000.
//! Targets (issue 2): insert ≤ 1 s, search ≤ 30 ms.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use provdesk::device::{DeviceDraft, NewDevice};
use provdesk::inventory::{DeviceQuery, Inventory};

const DEVICES: usize = 100_000;
const MODELS: [&str; 5] = ["N510", "N720", "Maxwell 3", "Maxwell Basic", "DE900"];

fn devices(count: usize) -> Vec<NewDevice> {
    (0..count)
        .map(|i| {
            let mac = format!("7C2F80{:06X}", i);
            DeviceDraft {
                mac_id: format!("{mac}-{:04X}", (i * 7919) % 0x10000),
                mac,
                model: MODELS[i % MODELS.len()].into(),
                site: format!("Site {:03}", i % 250),
                provider: "acme".into(),
                url: "https://prov.acme.example/%MACD.xml".into(),
                notes: format!("room {}", i % 1000),
                ..DeviceDraft::default()
            }
            .validate()
            .expect("generated devices are valid")
        })
        .collect()
}

fn insert(c: &mut Criterion) {
    let batch = devices(DEVICES);
    let mut group = c.benchmark_group("inventory");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("insert 100k devices in one batch", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                let inventory = Inventory::open(&dir.path().join("bench.db")).unwrap();
                (dir, inventory)
            },
            |(dir, mut inventory)| {
                black_box(inventory.add_devices(&batch).unwrap());
                (dir, inventory)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn search(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut inventory = Inventory::open(&dir.path().join("bench.db")).unwrap();
    inventory.add_devices(&devices(DEVICES)).unwrap();
    let mut group = c.benchmark_group("inventory");
    for (name, text, limit) in [
        ("search 100k: MAC fragment, all matches", "80:01:86", None),
        (
            "search 100k: site name, first page of 200",
            "site 042",
            Some(200),
        ),
        ("search 100k: no match", "nothing-like-this", None),
    ] {
        let query = DeviceQuery {
            search: text.into(),
            limit,
            ..DeviceQuery::default()
        };
        group.bench_function(name, |b| {
            b.iter(|| black_box(inventory.query_devices(&query).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, insert, search);
criterion_main!(benches);
