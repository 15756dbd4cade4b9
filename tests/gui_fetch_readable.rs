//! The Test fetch's result readable at the widths the usability review tried (1400 and 1000
//! points): every column of the challenges, the banner's title beside its code, inside the
//! window; and a 500 from provdesk's own Serve pointing at the Serve panel's log.

use crate::gui_fetch_fixes::pick_the_n510;
use crate::gui_serve::{free_port, start_serving};
use crate::support::gui;
use crate::support::gui::shows_containing;

use std::collections::BTreeMap;

use egui_kittest::kittest::Queryable;
use gui::{App, LAPTOP, app, app_sized, click, in_window, shows, step_until, type_into};
use provdesk::device::{Mac, MacPassword, NewDevice, find_model};
use provdesk::digest::Algorithm;
use provdesk::inventory::Inventory;
use provdesk::secret::Secret;
use provdesk::sim::provisioning::{Fault, ProvisioningSim, RunningSim, SimConfig, SimUser};

const MAC: &str = "7C2F80820EC0";
/// A realm as long as hosted provisioning services name theirs.
const REALM: &str = "Provisioning of Hotel Adler, building B (managed by acme)";

/// Three challenges (MD5, SHA-256, SHA-512-256) under a long realm, and a refused password.
fn three_challenges() -> RunningSim {
    ProvisioningSim::start_blocking(
        "127.0.0.1:0".parse().unwrap(),
        SimConfig {
            realm: REALM.into(),
            algorithms: vec![Algorithm::Md5, Algorithm::Sha256, Algorithm::Sha512_256],
            users: vec![SimUser::password("prov", Secret::new("Right-1"))],
            files: BTreeMap::from([(format!("/cfg/{MAC}.xml"), b"<ProviderFrame/>".to_vec())]),
            fault: Fault::None,
            ..SimConfig::default()
        },
    )
    .expect("the simulator starts")
}

/// A refused ad hoc fetch in a window of `size`, its first response selected.
fn refused_fetch(sim: &RunningSim, size: egui::Vec2) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_sized(&dir.path().join("inventory.sqlite3"), size);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    step_until(&mut harness, "the fetch panel", |h| {
        shows(h, "No fetch yet")
    });
    type_into(&mut harness, "User name", "prov");
    let password = egui::accesskit::Role::PasswordInput;
    harness.get_by_role_and_label(password, "Password").focus();
    harness.step();
    harness
        .get_by_role_and_label(password, "Password")
        .type_text("Wrong-2");
    harness.step();
    type_into(&mut harness, "Provisioning URL", &sim.url("/cfg/x.xml"));
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the diagnosis", |h| {
        shows(h, "credentials_rejected")
    });
    click(&mut harness, "Response 1: 401 Unauthorized");
    (dir, harness)
}

/// Every widget whose label or value holds `text`, with its rectangle.
fn rects_of(harness: &App, text: &str) -> Vec<egui::Rect> {
    harness
        .query_all_by(|node| {
            node.value().is_some_and(|v| v.contains(text))
                || node.label().is_some_and(|l| l.contains(text))
        })
        .map(|node| node.rect())
        .collect()
}

#[test]
fn every_column_of_the_challenges_is_in_the_window_at_1400_and_1000_points() {
    let sim = three_challenges();
    for size in [egui::vec2(1400.0, 900.0), LAPTOP] {
        let (_dir, harness) = refused_fetch(&sim, size);
        assert!(shows(&harness, "Challenges (WWW-Authenticate)"));
        // The nonce is the last column; SHA-512-256 the widest algorithm; the realm the
        // widest cell.
        for text in ["nonce", "SHA-512-256", REALM] {
            let rects = rects_of(&harness, text);
            assert!(!rects.is_empty(), "{text} at {size:?}");
            for rect in rects {
                assert!(
                    rect.left() >= 0.0 && rect.right() <= size.x,
                    "{text} at {size:?} lies at {rect:?}, cut by the window's edge"
                );
            }
        }
    }
}

#[test]
fn the_banner_title_wraps_short_of_its_code_inside_the_window() {
    let sim = three_challenges();
    for width in [1000.0, 1100.0, 1400.0] {
        let size = egui::vec2(width, 760.0);
        let (_dir, harness) = refused_fetch(&sim, size);
        let title = harness
            .get_by_label("The server refuses the credentials (the \"401 loop\")")
            .rect();
        let code = harness.get_by_label("credentials_rejected").rect();
        assert!(in_window(title, size), "title at {width}: {title:?}");
        assert!(in_window(code, size), "code at {width}: {code:?}");
        assert!(
            title.right() <= code.left() || title.bottom() <= code.top(),
            "at {width} the title {title:?} runs into the code {code:?}"
        );
        let message = harness
            .get_by_label_contains("Refused: the configured user")
            .rect();
        assert!(message.right() <= width, "message at {width}: {message:?}");
    }
}

#[test]
fn a_500_from_provdesk_s_own_serve_points_at_the_serve_panel_s_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    // A digest password longer than the N510 takes: Serve cannot render the file, so 500.
    let mut device = NewDevice::with_mac(Mac::parse(MAC).unwrap());
    device.model = find_model("N510");
    device.mac_password = Some(MacPassword::parse("2EE3EECC82C4").unwrap());
    device.digest_username = Some("hotel".into());
    device.digest_password = Some(Secret::new("x".repeat(62)));
    Inventory::open(&db).unwrap().add_device(&device).unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));

    let port = free_port();
    start_serving(&mut harness, port);
    let url = format!("http://127.0.0.1:{port}/%MACD.xml");

    pick_the_n510(&mut harness);
    type_into(&mut harness, "Provisioning URL", &url);
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the diagnosis", |h| shows(h, "server_error"));
    step_until(&mut harness, "Serve's reason", |h| {
        shows_containing(
            h,
            "Fix: provdesk's Serve answered 500 — see the Serve panel's log for this phone: its file cannot be rendered (",
        )
    });
    assert!(!shows_containing(&harness, "Read the server's error log"));
}
