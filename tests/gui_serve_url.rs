//! The Serve panel's URL block: serving one site alone, *For* offers that site only (the URL
//! is no use to another site's phones, which get 404); and the block keeps no empty band under
//! *For* where no line can come, so a laptop's window keeps the phones table in sight.

use crate::gui_serve::{MAC, free_port, start_serving};
use crate::gui_serve_advanced::{bench_and_lobby, open_advanced, pick_site_only};
use crate::support::gui;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use gui::{App, click, shows, shows_containing, step_until};

fn for_combo(harness: &App) -> egui::Rect {
    harness.get_by_role_and_label(Role::ComboBox, "For").rect()
}

#[test]
fn serving_one_site_alone_the_url_is_offered_for_that_site_only() {
    let (_dir, db) = bench_and_lobby();
    let mut harness = gui::app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    open_advanced(&mut harness);
    pick_site_only(&mut harness, "Lobby");
    start_serving(&mut harness, free_port());
    assert!(shows_containing(&harness, "site Lobby only"));

    harness.get_by_role_and_label(Role::ComboBox, "For").click();
    step_until(&mut harness, "the sites offered", |h| {
        shows(h, "site Lobby (1 device)")
    });
    assert!(
        !shows(&harness, "site Bench (1 device)"),
        "Bench is not served: its phones would get 404 from this URL"
    );
    assert!(
        !shows_containing(&harness, "selected in the Inventory"),
        "the selection may hold other sites' devices"
    );
}

/// Before Start, with Advanced naming the site served alone, *For* already offers that site
/// only: it offered every site until Start, and again after Stop.
#[test]
fn with_a_site_only_set_the_url_is_offered_for_that_site_before_start_too() {
    let (_dir, db) = bench_and_lobby();
    let mut harness = gui::app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    open_advanced(&mut harness);
    pick_site_only(&mut harness, "Lobby");
    harness.get_by_role_and_label(Role::ComboBox, "For").click();
    step_until(&mut harness, "the sites offered", |h| {
        shows(h, "site Lobby (1 device)")
    });
    assert!(
        !shows(&harness, "site Bench (1 device)"),
        "Bench will not be served"
    );
}

#[test]
fn no_empty_band_under_for_keeps_the_phones_table_in_a_laptops_window() {
    let (_dir, db) = bench_and_lobby();
    let mut harness = gui::app_sized(&db, gui::LAPTOP);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    step_until(&mut harness, "the Serve panel", |h| {
        shows(h, "Credential rollout")
    });
    harness
        .get_by_role_and_label(Role::ComboBox, "Listen on")
        .click();
    step_until(&mut harness, "the addresses", |h| {
        shows(h, "0.0.0.0 — every interface")
    });
    click(&mut harness, "0.0.0.0 — every interface");
    let under_for =
        harness.get_by_label("Credential rollout").rect().top() - for_combo(&harness).bottom();
    assert!(
        under_for < 24.0,
        "{under_for} px between For and the rollout section, where no line can come"
    );
    assert!(
        gui::in_window(
            harness.get_by_label("Only phones with problems").rect(),
            gui::LAPTOP
        ),
        "the phones table is in sight"
    );
}
