//! The inventory window with 100,000 devices, driven through egui_kittest as a user would:
//! the frame time of a scroll and of a search keystroke (issue 16: ≤ 8 ms each).
//!
//! A frame here is the app's whole frame as eframe runs it (the logic, every panel, the
//! layout and tessellation), without the GPU upload, which does not grow with the inventory.
//! Printed first: the worst frame while a search's answer arrives, and how long it takes to
//! be shown; then criterion's figures for the frame of a keystroke, of the answer and of a
//! scroll by a few screens.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use provdesk::device::{DeviceDraft, NewDevice};
use provdesk::inventory::Inventory;
use provdesk::ui::ProvdeskApp;

const DEVICES: usize = 100_000;
/// The search typed: MACs 7C2F80000000 to 7C2F80000FFF match.
const SEARCH: &str = "7c2f80000";
const SEARCH_MATCHES: &str = "4096 of 100000 device(s) shown";
const ALL: &str = "100000 device(s)";

type App = Harness<'static, ProvdeskApp>;

fn fill(db: &Path) {
    let devices: Vec<NewDevice> = (0..DEVICES)
        .map(|i| {
            let mac = format!("7C2F80{i:06X}");
            DeviceDraft {
                mac_id: format!("{mac}-{:04X}", (i * 7919) % 0x10000),
                mac,
                model: "N510".into(),
                site: format!("Site {:03}", i % 250),
                provider: "acme".into(),
                url: "https://prov.acme.example/%MACD.xml".into(),
                notes: format!("room {}", i % 1000),
                ..DeviceDraft::default()
            }
            .validate()
            .expect("generated devices are valid")
        })
        .collect();
    Inventory::open(db)
        .expect("opens")
        .add_devices(&devices)
        .expect("added");
}

fn app(db: &Path) -> App {
    let db = db.to_path_buf();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| ProvdeskApp::new(cc, db).expect("worker starts"));
    harness.step();
    harness
}

fn shows(harness: &App, label: &str) -> bool {
    harness.query_all_by_label(label).next().is_some()
}

/// Steps until `label` shows; the slowest frame on the way and the time it took.
fn until_shown(harness: &mut App, label: &str) -> (Duration, Duration) {
    let start = Instant::now();
    let mut worst = Duration::ZERO;
    while !shows(harness, label) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{label} never showed"
        );
        std::thread::sleep(Duration::from_millis(1));
        let frame = Instant::now();
        harness.step();
        worst = worst.max(frame.elapsed());
    }
    (worst, start.elapsed())
}

/// Types the search (or clears it) and times the frame that takes the keystroke.
fn keystroke(harness: &mut App, search: bool) -> Duration {
    if search {
        // The clear button took the focus; the user clicks into the field first.
        harness.get_by_label("Search").focus();
        harness.step();
        harness.get_by_label("Search").type_text(SEARCH);
    } else {
        harness.get_by_label("✖").click();
    }
    let frame = Instant::now();
    harness.step();
    frame.elapsed()
}

fn scroll(harness: &mut App, down: bool) -> Duration {
    harness.hover_at(egui::pos2(640.0, 420.0));
    let delta = if down { -3000.0 } else { 3000.0 };
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, delta),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: egui::Modifiers::NONE,
    });
    let frame = Instant::now();
    harness.step();
    frame.elapsed()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("inventory.sqlite3");
    fill(&db);
    let mut harness = app(&db);
    let (_, first) = until_shown(&mut harness, ALL);

    let typed = keystroke(&mut harness, true);
    let (worst_in, shown_in) = until_shown(&mut harness, SEARCH_MATCHES);
    let cleared = keystroke(&mut harness, false);
    let (worst_out, shown_out) = until_shown(&mut harness, ALL);
    println!(
        "inventory window, {DEVICES} devices: listed {first:.0?} after start; search keystroke frame \
         {typed:.2?}, answer shown after {shown_in:.0?} (worst frame meanwhile {worst_in:.2?}); \
         clearing it {cleared:.2?}, all shown after {shown_out:.0?} (worst frame {worst_out:.2?})"
    );

    let mut group = c.benchmark_group("inventory window, 100000 devices");
    group.sample_size(20);
    group.bench_function("search keystroke frame", |b| {
        let mut search = true;
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                total += keystroke(&mut harness, search);
                until_shown(&mut harness, if search { SEARCH_MATCHES } else { ALL });
                search = !search;
            }
            total
        });
    });
    group.bench_function("search answer, worst frame", |b| {
        let mut search = true;
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                keystroke(&mut harness, search);
                let label = if search { SEARCH_MATCHES } else { ALL };
                total += until_shown(&mut harness, label).0;
                search = !search;
            }
            total
        });
    });
    group.bench_function("scroll frame", |b| {
        let mut step = 0usize;
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                // Down a few thousand rows, then back up, past the loaded rows both ways.
                total += scroll(&mut harness, step % 200 < 100);
                step += 1;
            }
            total
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
