//! Rendering speed: 10,000 devices of every catalogue model rendered, checked and written to a
//! folder with the htdigest file. Target (issue 6): ≤ 1 s.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use provdesk::device::{CATALOGUE, Device, Mac};
use provdesk::secret::Secret;
use provdesk::templates::{RenderSettings, TemplateSet, render_set};

const DEVICES: usize = 10_000;

fn devices() -> Vec<Device> {
    (0..DEVICES)
        .map(|i| {
            let mac = Mac::parse(&format!("7C2F80{i:06X}")).expect("generated MACs are valid");
            Device {
                mac_password: Some(Secret::new(format!("{:012}", i * 7919))),
                model: Some(CATALOGUE[i % CATALOGUE.len()].name.to_string()),
                site: Some(format!("Site {:03}", i % 250)),
                provider: Some("acme".into()),
                url: Some("https://prov.acme.example/cfg/%MACD.xml".into()),
                digest_username: Some(format!("user{i}")),
                digest_password: Some(Secret::new(format!("pw&{i}\"x"))),
                ..Device::bare(i as i64 + 1, mac)
            }
        })
        .collect()
}

fn render(c: &mut Criterion) {
    let devices = devices();
    let templates = TemplateSet::builtin();
    let settings = RenderSettings::default();
    let mut group = c.benchmark_group("templates");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    group.bench_function("render 10k devices", |b| {
        b.iter(|| {
            black_box(render_set(&templates, &devices, &settings, false, Some("prov")).unwrap())
        })
    });
    group.bench_function("render and write 10k devices with htdigest", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |dir| {
                let set = render_set(&templates, &devices, &settings, false, Some("prov")).unwrap();
                let staged = set
                    .stage(
                        &dir.path().join("www"),
                        Some(&dir.path().join("users.htdigest")),
                    )
                    .unwrap();
                black_box(staged.commit().unwrap());
                dir
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
