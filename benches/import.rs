//! Label import speed: a generated 100,000-row CSV into a fresh inventory, beside its peer
//! in the same run: the `sqlite3` shell importing the same file into a temporary table, then
//! `INSERT … SELECT` into provdesk's own empty schema, with no validation at all (issue 16:
//! provdesk no slower than that).
//!
//! Printed first: the median of three timed runs of each and their ratio; then criterion's
//! figures. Where no `sqlite3` binary is installed, the bench says so and measures
//! provdesk's part alone.

use std::hint::black_box;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use provdesk::inventory::{ImportOptions, Inventory};
use provdesk::labels::{BatchDefaults, ImportBatch, parse_file};
use provdesk::ops::labels::import_files;

const ROWS: usize = 100_000;
const MODELS: [&str; 5] = ["N510", "N720", "Maxwell 3", "Maxwell Basic", "DE900"];

fn write_csv(path: &Path) {
    let mut text = String::from("MAC,MAC-ID,Model,Site,Provider,URL,Digest username,Notes\n");
    for i in 0..ROWS {
        let mac = format!("7C2F80{i:06X}");
        text.push_str(&format!(
            "{mac},{mac}-{:04X},{},Site {:03},acme,https://prov.acme.example/%MACD.xml,,room {}\n",
            (i * 7919) % 0x10000,
            MODELS[i % MODELS.len()],
            i % 250,
            i % 1000
        ));
    }
    std::fs::write(path, text).unwrap();
}

/// The import as `provdesk import` runs it: the file read, then parsed and validated on one
/// thread while the other writes.
fn provdesk_import(csv: &Path, db: &Path) -> usize {
    let mut inventory = Inventory::open(db).unwrap();
    let (_, written) = import_files(
        &mut inventory,
        &[csv.to_path_buf()],
        &BatchDefaults::default(),
        ImportOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    written.unwrap().added
}

/// Runs a script in the `sqlite3` shell, fed on standard input as a user would type it.
fn sqlite3(db: &Path, script: &str) -> bool {
    let child = Command::new("sqlite3")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return false;
    };
    let written = child
        .stdin
        .take()
        .is_some_and(|mut stdin| stdin.write_all(script.as_bytes()).is_ok());
    child.wait().is_ok_and(|status| status.success()) && written
}

/// The peer's script: the CSV into a temporary table, then into the provdesk schema.
fn peer_script(csv: &str) -> String {
    format!(
        ".import --csv --schema temp {csv} raw\n\
         INSERT INTO sites(name) SELECT DISTINCT \"Site\" FROM raw;\n\
         INSERT INTO devices(mac, mac_id, model, site_id, provider, url, notes) \
         SELECT \"MAC\", \"MAC-ID\", \"Model\", \
         (SELECT id FROM sites WHERE name = \"Site\"), \"Provider\", \"URL\", \"Notes\" \
         FROM raw;\n"
    )
}

/// A folder holding an inventory with provdesk's schema and no rows, as the peer starts.
fn empty_schema() -> tempfile::TempDir {
    let db_dir = tempfile::tempdir().unwrap();
    drop(Inventory::open(&db_dir.path().join("s.db")).unwrap());
    db_dir
}

/// The median of three timed runs, each on a fresh folder from `setup`.
fn median(setup: impl Fn() -> tempfile::TempDir, run: impl Fn(&Path)) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let dir = setup();
            let start = Instant::now();
            run(dir.path());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[1]
}

fn print_ratio(csv: &Path, peer: bool) {
    let ours = median(
        || tempfile::tempdir().unwrap(),
        |dir| assert_eq!(provdesk_import(csv, &dir.join("p.db")), ROWS),
    );
    if !peer {
        println!(
            "import {ROWS} rows: provdesk {ours:.2?} (read, parse, validate, write); no sqlite3 installed, so no peer"
        );
        return;
    }
    let script = peer_script(&csv.display().to_string());
    let theirs = median(empty_schema, |dir| {
        assert!(sqlite3(&dir.join("s.db"), &script));
    });
    println!(
        "import {ROWS} rows: provdesk {ours:.2?} (read, parse, validate, write); peer, sqlite3 .import into a temp table + INSERT…SELECT into the provdesk schema {theirs:.2?}: ratio {:.2}x",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
}

fn import(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("devices.csv");
    write_csv(&csv);
    let csv_path = csv.display().to_string();
    let probe = tempfile::tempdir().unwrap();
    let peer = sqlite3(&probe.path().join("probe.db"), "SELECT 1;");
    if !peer {
        eprintln!(
            "sqlite3 is not installed: only provdesk's part runs (apt-get install sqlite3 for the peer)"
        );
    }
    print_ratio(&csv, peer);

    let mut group = c.benchmark_group("import 100k CSV");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));

    group.bench_function("provdesk: parse and validate only", |b| {
        let bytes = std::fs::read(&csv).unwrap();
        b.iter(|| {
            let source = parse_file("bench.csv", &bytes);
            black_box(ImportBatch::from_sources(
                &[source],
                &BatchDefaults::default(),
            ))
        })
    });
    group.bench_function("provdesk: read, parse, validate, write", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |db_dir| {
                assert_eq!(provdesk_import(&csv, &db_dir.path().join("p.db")), ROWS);
                db_dir
            },
            BatchSize::PerIteration,
        )
    });

    if !peer {
        group.finish();
        return;
    }
    group.bench_function(
        "peer: sqlite3 .import into a temp table, INSERT…SELECT into the provdesk schema",
        |b| {
            let script = peer_script(&csv_path);
            b.iter_batched(
                empty_schema,
                |db_dir| {
                    assert!(sqlite3(&db_dir.path().join("s.db"), &script));
                    db_dir
                },
                BatchSize::PerIteration,
            )
        },
    );
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
