//! The status bar says which panel spoke: a message of a panel not on screen is named after
//! it and opens it when clicked or pressed, an error of a panel not on screen is not lost
//! under the next message, and the navigation marks a panel that said something while it was
//! not on screen until it is opened.

use std::net::{SocketAddr, UdpSocket};
use std::sync::mpsc;
use std::time::Duration;

use crate::gui_sip::{sip_panel, type_password, verdict};
use crate::support::gui;

use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, app, click, shows, step_until, type_into};
use provdesk::sim::registrar::{RegistrarConfig, RegistrarSim};
use provdesk::ui::settings::events::SettingsEvent;
use provdesk::ui::sip::events::SipPanelEvent;

const SIP_ERROR: &str = "Could not keep the SIP test with the device: disk full";
const SIP_BADGE_ERROR: &str = "SIP test has an error not yet seen";
const SIP_BADGE_RESULT: &str = "SIP test has a result not yet seen";

fn test_fetch(harness: &mut App) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    step_until(harness, "the fetch panel", |h| shows(h, "No fetch yet"));
}

fn on_sip_panel(harness: &App) -> bool {
    shows(harness, "Test a SIP registration")
}

/// The Test fetch panel, with the SIP panel's error sent while it is on screen.
fn fetch_with_sip_error() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&dir.path().join("inventory.sqlite3"));
    step_until(&mut harness, "the inventory", |h| {
        shows(h, "No devices yet")
    });
    test_fetch(&mut harness);
    let sink = harness.state().events();
    sink.send(SipPanelEvent::RecordFailed("disk full".into()));
    step_until(&mut harness, "the SIP error", |h| {
        shows(h, &format!("SIP test: {SIP_ERROR}"))
    });
    (dir, harness)
}

#[test]
fn another_panels_error_is_named_and_a_click_opens_that_panel() {
    let (_dir, mut harness) = fetch_with_sip_error();
    assert!(shows(&harness, "No fetch yet"), "still on Test fetch");
    assert!(shows(&harness, SIP_BADGE_ERROR));
    click(&mut harness, &format!("SIP test: {SIP_ERROR}"));
    step_until(&mut harness, "the SIP panel", on_sip_panel);
    assert!(
        shows(&harness, SIP_ERROR),
        "on its own panel, without its name"
    );
    assert!(!shows(&harness, &format!("SIP test: {SIP_ERROR}")));
    assert!(!shows(&harness, SIP_BADGE_ERROR), "seen: the mark is gone");
}

#[test]
fn another_panels_message_opens_it_from_the_keyboard() {
    let (_dir, mut harness) = fetch_with_sip_error();
    harness
        .get_by_role_and_label(
            egui::accesskit::Role::Button,
            &format!("SIP test: {SIP_ERROR}"),
        )
        .focus();
    harness.step();
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "the SIP panel", on_sip_panel);
    assert!(!shows(&harness, SIP_BADGE_ERROR));
}

#[test]
fn another_panels_error_stays_beside_a_newer_message_until_seen() {
    let (_dir, mut harness) = fetch_with_sip_error();
    let sink = harness.state().events();
    sink.send(SettingsEvent::Failed {
        action: "save the site",
        error: "read-only file".into(),
    });
    step_until(&mut harness, "the Settings error", |h| {
        shows(h, "Settings: Could not save the site: read-only file")
    });
    assert!(
        shows(&harness, &format!("SIP test: {SIP_ERROR}")),
        "the SIP error is not lost under the newer message"
    );
    assert!(shows(&harness, SIP_BADGE_ERROR));
    assert!(shows(&harness, "Settings has an error not yet seen"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num8);
    step_until(&mut harness, "the SIP panel", on_sip_panel);
    test_fetch(&mut harness);
    assert!(
        !shows(&harness, &format!("SIP test: {SIP_ERROR}")),
        "seen on its panel, it goes"
    );
    assert!(shows(
        &harness,
        "Settings: Could not save the site: read-only file"
    ));
}

/// A UDP relay in front of `registrar` that holds what the app sends until `open` is told,
/// so that the SIP test cannot end before the test has left its panel.
fn gate(registrar: SocketAddr) -> (SocketAddr, mpsc::Sender<()>) {
    let front = UdpSocket::bind("127.0.0.1:0").unwrap();
    let back = UdpSocket::bind("127.0.0.1:0").unwrap();
    back.connect(registrar).unwrap();
    for socket in [&front, &back] {
        socket
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
    }
    let address = front.local_addr().unwrap();
    let (open, opened) = mpsc::channel();
    std::thread::spawn(move || {
        if opened.recv().is_err() {
            return;
        }
        let mut buffer = [0u8; 65536];
        let Ok((length, app)) = front.recv_from(&mut buffer) else {
            return;
        };
        if back.send(&buffer[..length]).is_err() {
            return;
        }
        let (front_back, back_front) = (front.try_clone().unwrap(), back.try_clone().unwrap());
        std::thread::spawn(move || {
            let mut buffer = [0u8; 65536];
            while let Ok(length) = back_front.recv(&mut buffer) {
                if front_back.send_to(&buffer[..length], app).is_err() {
                    return;
                }
            }
        });
        while let Ok(length) = front.recv(&mut buffer) {
            if back.send(&buffer[..length]).is_err() {
                return;
            }
        }
    });
    (address, open)
}

#[test]
fn a_sip_test_that_ends_on_another_panel_marks_it_until_it_is_opened() {
    let sim =
        RegistrarSim::start_blocking("127.0.0.1".parse().unwrap(), RegistrarConfig::default())
            .unwrap();
    let (relay, open) = gate(sim.udp);
    let dir = tempfile::tempdir().unwrap();
    let mut harness = sip_panel(&dir.path().join("inventory.sqlite3"));
    type_into(&mut harness, "Registrar", &relay.to_string());
    type_into(&mut harness, "Extension", "1001");
    type_password(&mut harness, "secret1001");
    type_into(&mut harness, "SIP domain", "provdesk.test");
    click(&mut harness, "Start");
    test_fetch(&mut harness);
    assert!(
        !shows(&harness, SIP_BADGE_RESULT),
        "the test is still running"
    );
    open.send(()).unwrap();
    step_until(&mut harness, "the SIP test's end", |h| {
        shows(h, SIP_BADGE_RESULT)
    });
    assert!(shows(&harness, "No fetch yet"), "still on Test fetch");
    // Its text names the panel already: no "SIP test: SIP test finished".
    let message = harness
        .query_all_by_role(egui::accesskit::Role::Button)
        .find(|node| {
            node.accesskit_node()
                .label()
                .is_some_and(|label| label.starts_with("SIP test finished: Registered"))
        });
    assert!(message.is_some(), "the SIP test's message opens its panel");
    assert!(
        harness
            .query_all_by_label_contains("SIP test: SIP test finished")
            .next()
            .is_none()
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num8);
    step_until(&mut harness, "the SIP panel", on_sip_panel);
    assert!(verdict(&harness, "Registered", "ok"));
    assert!(
        !shows(&harness, SIP_BADGE_RESULT),
        "opened: the mark is gone"
    );
}
