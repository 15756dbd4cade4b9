//! Label import speed: a generated 100,000-row CSV into a fresh inventory, measured beside
//! `sqlite3`'s own `.import` of the same file (issue 3 target: ≤ 2× sqlite3's time).
//! The sqlite3 runs are skipped, with a note, where no `sqlite3` binary is installed.

use std::hint::black_box;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use provdesk::inventory::{ImportOptions, Inventory};
use provdesk::labels::{BatchDefaults, ImportBatch, parse_file};

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

fn provdesk_import(csv: &Path, db: &Path) -> usize {
    let bytes = std::fs::read(csv).unwrap();
    let source = parse_file("bench.csv", &bytes);
    let batch = ImportBatch::from_sources(&[source], &BatchDefaults::default());
    let mut inventory = Inventory::open(db).unwrap();
    inventory
        .import_batch(&batch, ImportOptions::default(), &mut |_, _| {})
        .unwrap()
        .added
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

fn import(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("devices.csv");
    write_csv(&csv);
    let csv_path = csv.display().to_string();

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

    let probe = tempfile::tempdir().unwrap();
    if !sqlite3(&probe.path().join("probe.db"), "SELECT 1;") {
        eprintln!("sqlite3 is not installed: the comparison runs are skipped");
        group.finish();
        return;
    }
    group.bench_function("sqlite3: .import into a new table", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |db_dir| {
                let script = format!(".import --csv {csv_path} raw");
                assert!(sqlite3(&db_dir.path().join("s.db"), &script));
                db_dir
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("sqlite3: .import, then insert into the provdesk schema", |b| {
        b.iter_batched(
            || {
                let db_dir = tempfile::tempdir().unwrap();
                drop(Inventory::open(&db_dir.path().join("s.db")).unwrap());
                db_dir
            },
            |db_dir| {
                let script = format!(
                    ".import --csv {csv_path} raw\n\
                     INSERT INTO sites(name) SELECT DISTINCT \"Site\" FROM raw;\n\
                     INSERT INTO devices(mac, mac_id, model, site_id, provider, url, notes) \
                     SELECT \"MAC\", \"MAC-ID\", \"Model\", \
                     (SELECT id FROM sites WHERE name = \"Site\"), \"Provider\", \"URL\", \"Notes\" \
                     FROM raw;"
                );
                assert!(sqlite3(&db_dir.path().join("s.db"), &script));
                db_dir
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
