//! The Test fetch panel driven through AccessKit labels against real sockets that need no
//! server program: a closed port, and a listener that accepts and never answers. The digest
//! exchanges against a real lighttpd are in interop_gui_fetch.rs.

use crate::support::gui;
use crate::support::gui::shows_containing;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::time::Duration;

use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, app, click, right_click_row, shows, step_until, type_into};
use provdesk::device::{Mac, NewDevice, ProvisioningUrl, find_model};
use provdesk::inventory::Inventory;

/// A URL on a loopback port nobody listens on: the connection is refused at once.
const REFUSED: &str = "http://127.0.0.1:1/cfg/x.xml";

fn open_fetch_panel(db: &Path) -> App {
    let mut harness = app(db);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    step_until(&mut harness, "the fetch panel", |h| {
        shows(h, "No fetch yet")
    });
    harness
}

#[test]
fn a_refused_connection_ends_in_the_connection_failed_banner() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_fetch_panel(&dir.path().join("inventory.sqlite3"));
    type_into(&mut harness, "Provisioning URL", REFUSED);
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the diagnosis", |h| {
        shows(h, "connection_failed")
    });
    assert!(shows(&harness, "Nothing answers on that port"));
    assert!(shows_containing(
        &harness,
        "The host was reached, but nothing listens on 127.0.0.1:1 (connection refused)"
    ));
    assert!(
        shows(&harness, "Request 1: GET /cfg/x.xml with no credentials"),
        "the request is an arrow"
    );
    assert!(
        shows_containing(&harness, "Request 1 failed"),
        "the failure is drawn on the server's lane"
    );
    assert!(
        shows_containing(&harness, "Request 1 failed, connection refused:"),
        "the arrow says why in words, not as a Rust name"
    );
    assert!(
        shows_containing(&harness, "Fix: Check the port in the provisioning URL"),
        "the banner says what to do"
    );
}

#[test]
fn up_and_down_move_between_arrows_and_a_click_selects_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_fetch_panel(&dir.path().join("inventory.sqlite3"));
    type_into(&mut harness, "Provisioning URL", REFUSED);
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the diagnosis", |h| {
        shows(h, "connection_failed")
    });
    assert!(
        shows(&harness, "Selected: response 1"),
        "the newest arrow is followed"
    );
    // Enter in the URL field left no widget focused; the arrows take Up and Down.
    harness.key_press(egui::Key::ArrowUp);
    harness.step();
    assert!(shows(&harness, "Selected: request 1"));
    harness.key_press(egui::Key::ArrowDown);
    harness.step();
    assert!(shows(&harness, "Selected: response 1"));
    click(
        &mut harness,
        "Request 1: GET /cfg/x.xml with no credentials",
    );
    assert!(shows(&harness, "Selected: request 1"));
    assert!(
        shows(&harness, "Step 1: no credentials"),
        "the detail pane shows the step"
    );
}

#[test]
fn start_refuses_what_cannot_be_fetched_without_running() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_fetch_panel(&dir.path().join("inventory.sqlite3"));

    click(&mut harness, "▶ Start");
    assert!(
        shows_containing(&harness, "Enter the provisioning URL to fetch"),
        "an empty URL is explained"
    );
    assert!(shows(&harness, "No fetch yet"), "no run was started");

    type_into(
        &mut harness,
        "Provisioning URL",
        "http://prov.example.com/%MACD.xml",
    );
    click(&mut harness, "▶ Start");
    assert!(
        shows_containing(&harness, "needs the device's MAC"),
        "a MAC placeholder without a MAC is explained"
    );
    type_into(&mut harness, "MAC", "7C:2F:80");
    click(&mut harness, "▶ Start");
    assert!(shows_containing(&harness, "MAC:"), "a bad MAC is named");
    assert!(shows(&harness, "No fetch yet"), "still no run");
}

#[test]
fn cancel_stops_a_fetch_the_server_never_answers() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_fetch_panel(&dir.path().join("inventory.sqlite3"));
    type_into(
        &mut harness,
        "Provisioning URL",
        &format!("http://127.0.0.1:{port}/cfg/silent.xml"),
    );
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the request arrow", |h| {
        shows(h, "Request 1: GET /cfg/silent.xml with no credentials")
    });
    assert!(shows(&harness, "Request 1 of up to 3"));

    // The request really went out: the server side holds it and says nothing.
    let (mut server_side, _) = listener.accept().unwrap();
    server_side
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut request = Vec::new();
    let mut buffer = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = server_side.read(&mut buffer).unwrap();
        assert!(n > 0, "the request arrives whole");
        request.extend_from_slice(&buffer[..n]);
    }
    assert!(request.starts_with(b"GET /cfg/silent.xml HTTP/1.1"));

    click(&mut harness, "Cancel");
    step_until(&mut harness, "the cancelled banner", |h| {
        shows(h, "Cancelled")
    });
    assert!(
        !shows(&harness, "Request 1 of up to 3"),
        "the progress line is gone"
    );
    assert!(!shows(&harness, "Waiting for the answer…"));
    assert!(
        shows(
            &harness,
            "No answer came: the fetch ended (cancelled, or out of time) before it did."
        ),
        "the step's response says no answer will come"
    );
    let closed = server_side.read(&mut buffer);
    assert!(
        matches!(closed, Ok(0)) || closed.is_err() && !is_timeout(closed.as_ref().unwrap_err()),
        "cancelling drops the connection: {closed:?}"
    );

    // A late answer to the cancelled run changes nothing, and a new run can start.
    let _ = server_side.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    harness.step();
    assert!(shows(&harness, "Cancelled"));
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "a new run", |h| {
        shows(h, "Request 1 of up to 3")
    });
    click(&mut harness, "Cancel");
}

fn is_timeout(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

#[test]
fn a_fetch_of_an_inventory_device_is_recorded_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mac = Mac::parse("7C2F80820EC0").unwrap();
    {
        let mut device = NewDevice::with_mac(mac);
        device.model = find_model("N510");
        device.url = Some(ProvisioningUrl::parse("http://127.0.0.1:1/cfg/%MACD.xml").unwrap());
        Inventory::open(&db).unwrap().add_device(&device).unwrap();
    }
    let mut harness = open_fetch_panel(&db);
    click(&mut harness, "Inventory device");
    step_until(&mut harness, "the picker's match", |h| {
        shows(h, "7C2F80820EC0 · N510 IP PRO")
    });
    click(&mut harness, "7C2F80820EC0 · N510 IP PRO");
    assert!(
        shows(&harness, "no MAC password · no digest user"),
        "the chosen device's facts are shown"
    );
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the diagnosis", |h| {
        shows(h, "connection_failed")
    });
    assert!(
        shows(
            &harness,
            "Request 1: GET /cfg/7C2F80820EC0.xml with no credentials"
        ),
        "the device's URL is expanded with its MAC"
    );
    step_until(&mut harness, "the outcome in the inventory", |_| {
        Inventory::open(&db)
            .unwrap()
            .device_by_mac(mac)
            .unwrap()
            .is_some_and(|d| d.fetch.diagnosis.as_deref() == Some("connection_failed"))
    });
    let device = Inventory::open(&db)
        .unwrap()
        .device_by_mac(mac)
        .unwrap()
        .unwrap();
    assert_eq!(device.fetch.status.as_deref(), Some("no answer"));
    assert!(device.fetch.at.is_some());
}

#[test]
fn the_exchange_saves_as_har_and_json_and_copies_as_curl() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_fetch_panel(&dir.path().join("inventory.sqlite3"));
    type_into(&mut harness, "Provisioning URL", REFUSED);
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the diagnosis", |h| {
        shows(h, "connection_failed")
    });

    click(&mut harness, "Copy as curl");
    harness.get_by_label("for PowerShell (Windows)").click();
    harness.step();
    let copied: Vec<String> = harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|command| match command {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect();
    // In PowerShell `curl` is Invoke-WebRequest: the command names curl.exe.
    assert!(
        copied.iter().any(|text| text.starts_with("curl.exe -v ")),
        "{copied:?}"
    );
    harness.step();
    assert!(
        shows_containing(&harness, "Copied a curl command for request 1"),
        "the status bar says what was copied"
    );

    for (button, save, file) in [
        ("Save HAR…", "Save HAR", "fetch.har"),
        ("Save JSON…", "Save JSON", "fetch.json"),
    ] {
        let path = dir.path().join(file);
        click(&mut harness, button);
        step_until(&mut harness, "the save dialog", |h| shows(h, save));
        // The inventory is refused as it is typed, before Save.
        gui::text_field(&harness, "File").focus();
        harness.step();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        let db = dir.path().join("inventory.sqlite3");
        gui::text_field(&harness, "File").type_text(&db.display().to_string());
        step_until(&mut harness, "the refusal", |h| {
            shows_containing(h, "It is the inventory provdesk has open")
        });
        assert!(harness.get_by_label(save).accesskit_node().is_disabled());
        gui::text_field(&harness, "File").focus();
        harness.step();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        gui::text_field(&harness, "File").type_text(&path.display().to_string());
        harness.step();
        click(&mut harness, save);
        step_until(&mut harness, "the file", |_| path.exists());
        step_until(&mut harness, "the status", |h| {
            shows_containing(h, &format!("Saved the {} file", &save[5..]))
        });
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        match file {
            "fetch.har" => assert_eq!(json["log"]["entries"].as_array().unwrap().len(), 1),
            _ => assert_eq!(json["diagnosis"][0]["code"], "connection_failed"),
        }
    }
}

#[test]
fn an_unreadable_ca_file_stops_the_fetch_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_fetch_panel(&dir.path().join("inventory.sqlite3"));
    click(&mut harness, "TLS");
    let missing = dir.path().join("no-such-ca.pem");
    type_into(&mut harness, "CA file", &missing.display().to_string());
    type_into(
        &mut harness,
        "Provisioning URL",
        "https://127.0.0.1:1/cfg/x.xml",
    );
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the failure banner", |h| {
        shows(h, "The fetch could not start")
    });
    assert!(
        shows_containing(&harness, "no-such-ca.pem"),
        "the banner names the file"
    );
    assert!(!shows_containing(&harness, "Request 1"), "nothing was sent");
}

#[test]
fn test_fetch_in_an_inventory_row_menu_opens_the_panel_and_starts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mac = Mac::parse("7C2F80820EC0").unwrap();
    {
        let mut device = NewDevice::with_mac(mac);
        device.url = Some(ProvisioningUrl::parse("http://127.0.0.1:1/cfg/%MACD.xml").unwrap());
        Inventory::open(&db).unwrap().add_device(&device).unwrap();
    }
    let mut harness = app(&db);
    step_until(&mut harness, "the device", |h| shows(h, "7C2F80820EC0"));
    right_click_row(&mut harness, "7C2F80820EC0");
    click(&mut harness, "Test fetch");
    step_until(&mut harness, "the diagnosis", |h| {
        shows(h, "connection_failed")
    });
    assert!(shows(
        &harness,
        "Request 1: GET /cfg/7C2F80820EC0.xml with no credentials"
    ));
    assert!(
        shows(&harness, "Device (N510 IP PRO)"),
        "a device without a model is fetched as the default model"
    );
}

/// A server that answers every request 200 with a small file; its URL. The request head
/// comes in one piece on loopback, so one read takes it.
fn answers_ok() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.read(&mut [0u8; 4096]);
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\n<x/>\r\n",
            );
        }
    });
    format!("http://127.0.0.1:{port}/cfg/ok.xml")
}

/// On a small laptop's window the step's detail leaves the server's lane and the answer's
/// arrow in sight; a fetch that worked says so without "Fix: Nothing to fix."
#[test]
fn on_a_small_laptop_the_detail_leaves_the_sequence_in_sight_and_success_asks_no_fix() {
    let url = answers_ok();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_fetch_panel(&dir.path().join("inventory.sqlite3"));
    harness.set_size(gui::LAPTOP);
    harness.step();
    type_into(&mut harness, "Provisioning URL", &url);
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the diagnosis", |h| {
        shows_containing(h, "OK: 200")
    });
    let detail = harness.get_by_label_contains("Step 1:").rect();
    for part in ["Server (127.0.0.1:", "Response 1: 200 OK"] {
        let rect = harness.get_by_label_contains(part).rect();
        assert!(gui::in_window(rect, gui::LAPTOP), "{part} at {rect:?}");
        assert!(
            gui::apart(rect, detail),
            "{part} at {rect:?} is under the detail at {detail:?}"
        );
    }
    assert!(
        !shows_containing(&harness, "Fix:"),
        "nothing to fix is not said"
    );
}

/// The file the device gets, read at full size: in the step's detail it shares a narrow pane.
#[test]
fn the_body_opens_in_a_window_of_its_own() {
    let url = answers_ok();
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_fetch_panel(&dir.path().join("inventory.sqlite3"));
    type_into(&mut harness, "Provisioning URL", &url);
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the diagnosis", |h| {
        shows_containing(h, "OK: 200")
    });
    assert!(!shows(&harness, "Body of response 1"));
    click(&mut harness, "Open in a window");
    step_until(&mut harness, "the body's window", |h| {
        shows(h, "Body of response 1")
    });
    assert!(
        harness.query_all_by_label_contains("<x/>").count() >= 2,
        "the body, twice"
    );
}
