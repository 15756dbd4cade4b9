//! The SIP test panel's OPTIONS probe, its give-up time with the countdown and *Stop waiting*,
//! and the trace a user copies or saves for the provider, driven by AccessKit labels against
//! the registrar simulator and a UDP port that never answers.

use std::net::UdpSocket;

use egui_kittest::kittest::{NodeT, Queryable};

use crate::gui_sip::{contains, filled, sip_panel, verdict};
use crate::support::gui::{self, App, click, shows, step_until, type_into};

/// What the last frame put on the clipboard.
fn copied(harness: &App) -> Vec<String> {
    harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|command| match command {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// Replaces the text of the field labelled `field`.
fn retype(harness: &mut App, field: &str, text: &str) {
    gui::text_field(harness, field).focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    gui::text_field(harness, field).type_text(text);
    harness.step();
    harness.step();
}

#[test]
fn options_only_probes_without_registering() {
    let (sim, _dir, mut harness) = filled("");
    click(&mut harness, "OPTIONS only (does not register)");
    assert!(
        harness
            .get_by_label("Keep the registration (for a test call)")
            .accesskit_node()
            .is_disabled(),
        "an OPTIONS probe has nothing to keep"
    );
    click(&mut harness, "Start");
    step_until(&mut harness, "the verdict", |h| {
        verdict(h, "Registrar reachable", "ok")
    });
    assert!(contains(&harness, "-->  OPTIONS sip:provdesk.test SIP/2.0"));
    assert!(contains(&harness, "<--  SIP/2.0 200 OK"));
    assert!(!contains(&harness, "-->  REGISTER"));
    assert!(shows(
        &harness,
        "Fix: Nothing to do for reachability; test without OPTIONS to check that the account registers."
    ));
    assert!(sim.bindings("1001").is_empty());
}

/// A UDP port that takes datagrams and never answers, and the form filled for it.
fn silent() -> (UdpSocket, tempfile::TempDir, App) {
    let port = UdpSocket::bind("127.0.0.1:0").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = sip_panel(&dir.path().join("inventory.sqlite3"));
    type_into(
        &mut harness,
        "Registrar",
        &port.local_addr().unwrap().to_string(),
    );
    type_into(&mut harness, "Extension", "1001");
    (port, dir, harness)
}

/// A node's text: a label keeps it as its value (AccessKit's `Role::Label`), a widget as its
/// label.
fn text(node: &egui_kittest::Node<'_>) -> Option<String> {
    let node = node.accesskit_node();
    node.value().or_else(|| node.label())
}

/// "Waiting for the registrar… N s left": the seconds, if the countdown shows.
fn seconds_left(harness: &App) -> Option<u64> {
    harness
        .query_all_by_label_contains("Waiting for the registrar… ")
        .find_map(|node| {
            let label = text(&node)?;
            let rest = label.strip_prefix("Waiting for the registrar… ")?;
            rest.strip_suffix(" s left")?.parse().ok()
        })
}

#[test]
fn a_silent_registrar_counts_down_until_stop_waiting_ends_it_as_no_answer_or_esc_cancels() {
    let (_port, _dir, mut harness) = silent();
    assert_eq!(
        gui::text_field(&harness, "Give up after (seconds)")
            .accesskit_node()
            .value()
            .as_deref(),
        Some("32"),
        "a phone's Timer F, as the CLI defaults"
    );
    click(&mut harness, "Start");
    step_until(&mut harness, "the countdown", |h| seconds_left(h).is_some());
    let left = seconds_left(&harness).unwrap();
    assert!((1..=32).contains(&left), "{left} s left");
    click(&mut harness, "Stop waiting");
    step_until(&mut harness, "the no-answer verdict", |h| {
        verdict(h, "No answer from the registrar", "no_answer")
    });
    assert!(
        contains(&harness, "before the wait was stopped after "),
        "the verdict says how long it waited and that it was stopped, not timed out"
    );
    assert!(contains(&harness, "firewall lets SIP through"), "its fix");
    assert!(!shows(&harness, "Cancelled"), "stopping is no cancel");
    assert!(seconds_left(&harness).is_none());
    assert!(!harness.get_by_label("Start").accesskit_node().is_disabled());

    click(&mut harness, "Start");
    step_until(&mut harness, "the countdown again", |h| {
        seconds_left(h).is_some()
    });
    harness.key_press(egui::Key::Escape);
    step_until(&mut harness, "Esc to cancel", |h| {
        verdict(h, "Cancelled", "cancelled") && seconds_left(h).is_none()
    });
}

#[test]
fn the_give_up_time_ends_a_silent_test_as_no_answer() {
    let (_port, _dir, mut harness) = silent();
    retype(&mut harness, "Give up after (seconds)", "1");
    click(&mut harness, "Start");
    step_until(&mut harness, "no answer", |h| shows(h, "no_answer"));
    assert!(contains(&harness, "Timer F gives up after 1.0 s"));

    retype(&mut harness, "Give up after (seconds)", "0");
    click(&mut harness, "Start");
    assert!(contains(
        &harness,
        "Give up after: \"0\" is no number of seconds above 0"
    ));
}

#[test]
fn copy_trace_gives_the_messages_masked_as_the_panel_shows_them() {
    let (_sim, _dir, mut harness) = filled("secret1001");
    assert!(
        harness.query_by_label("Copy trace").is_none(),
        "nothing to copy before a test"
    );
    click(&mut harness, "Start");
    step_until(&mut harness, "the verdict", |h| {
        verdict(h, "Registered", "ok")
    });
    // The second REGISTER carries the digest answer: its row shows the header as the panel
    // masks it.
    harness
        .query_all_by_label("-->  REGISTER sip:provdesk.test SIP/2.0")
        .nth(1)
        .expect("the answered REGISTER")
        .click();
    step_until(&mut harness, "its headers", |h| {
        contains(h, "Authorization: Digest")
    });
    let shown = harness
        .query_all_by_label_contains("Authorization: Digest")
        .find_map(|n| text(&n))
        .unwrap();
    assert!(shown.contains("response=\"••••••\""), "{shown}");

    harness.get_by_label("Copy trace").click();
    harness.step();
    let trace = copied(&harness).concat();
    assert!(trace.contains(&format!("\n{shown}\n")), "{trace}");
    let register = trace
        .find("\nREGISTER sip:provdesk.test SIP/2.0\n")
        .unwrap();
    let challenge = trace.find("\nSIP/2.0 401 Unauthorized\n").unwrap();
    let ok = trace.find("\nSIP/2.0 200 OK\n").unwrap();
    assert!(register < challenge && challenge < ok, "{trace}");
    assert!(!trace.contains("secret1001"));
    harness.step();
    assert!(contains(&harness, "Copied the SIP trace: 6 messages"));
}

#[test]
fn save_trace_writes_the_file_where_the_user_says() {
    let (_sim, dir, mut harness) = filled("secret1001");
    click(&mut harness, "Start");
    step_until(&mut harness, "the verdict", |h| {
        verdict(h, "Registered", "ok")
    });
    click(&mut harness, "Save trace…");
    step_until(&mut harness, "the save dialog", |h| {
        shows(h, "Save the SIP trace")
    });
    let suggested = gui::text_field(&harness, "File")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert!(
        suggested.ends_with("provdesk-sip-1001-127.0.0.1.txt"),
        "{suggested}"
    );
    let path = dir.path().join("trace.txt");
    retype(&mut harness, "File", &path.display().to_string());
    click(&mut harness, "Save trace");
    step_until(&mut harness, "the file", |_| path.exists());
    step_until(&mut harness, "the status", |h| {
        contains(h, "Saved the SIP trace")
    });
    let trace = std::fs::read_to_string(&path).unwrap();
    assert!(
        trace.starts_with("provdesk SIP trace: REGISTER of 1001@provdesk.test"),
        "{trace}"
    );
    assert!(trace.contains("response=\"••••••\""), "{trace}");
    assert!(!trace.contains("secret1001"));
}

/// The save dialog's row (shared by Save trace, Save HAR/JSON and Export CSV) says as soon as
/// the path is typed that it names the inventory or another database, and Save is disabled,
/// Enter too; a path elsewhere clears both. Before, the refusal came only after Save.
#[test]
fn save_trace_refuses_the_inventory_and_any_database_before_save() {
    let (_sim, dir, mut harness) = filled("secret1001");
    click(&mut harness, "Start");
    step_until(&mut harness, "the verdict", |h| {
        verdict(h, "Registered", "ok")
    });
    click(&mut harness, "Save trace…");
    step_until(&mut harness, "the save dialog", |h| {
        shows(h, "Save the SIP trace")
    });
    let save_off = |h: &App| h.get_by_label("Save trace").accesskit_node().is_disabled();
    let db = dir.path().join("inventory.sqlite3");
    let backup = dir.path().join("backup.sqlite3");
    std::fs::copy(&db, &backup).unwrap();
    for (path, refusal) in [
        (&db, "It is the inventory provdesk has open"),
        (
            &backup,
            "It is an SQLite database (an inventory, or a backup of one)",
        ),
    ] {
        retype(&mut harness, "File", &path.display().to_string());
        step_until(&mut harness, "the refusal", |h| contains(h, refusal));
        assert!(save_off(&harness), "{refusal}: Save is disabled");
        gui::text_field(&harness, "File").focus();
        harness.step();
        harness.key_press(egui::Key::Enter);
        harness.run_steps(3);
        assert!(shows(&harness, "Save the SIP trace"), "Enter saves nothing");
    }
    let database =
        |path: &std::path::Path| std::fs::read(path).unwrap()[..15] == *b"SQLite format 3";
    assert!(
        database(&db) && database(&backup),
        "both databases are whole"
    );

    let path = dir.path().join("trace.txt");
    retype(&mut harness, "File", &path.display().to_string());
    assert!(!contains(&harness, "SQLite"), "the refusal is gone");
    assert!(!save_off(&harness));
    click(&mut harness, "Save trace");
    step_until(&mut harness, "the file", |_| path.exists());
}
