//! A panel's error banner and the status bar with a long message, in a small laptop's window
//! and a large one: the banner's text wraps inside the window and its ✖ stays reachable and
//! dismisses it; the status bar cuts the message short inside the window and shows the whole
//! text on hover.

use crate::support::gui;

use egui_kittest::kittest::Queryable;
use gui::{App, app_sized, in_window, shows, step_until};
use provdesk::ui::inventory::events::InventoryEvent;

/// A refusal as the checks write them: the reason and the fix come last.
const REASON: &str = "site \"Longpw\" has a digest password of 60 characters, but the N510 IP \
     PRO accepts at most 50, so those phones would be refused from their next fetch; nothing was \
     moved. Fix: give the site a password of at most 50 characters (Settings › Sites) or move \
     1 device (7C2F80820EC0) to another site";

fn banner() -> String {
    format!("⚠ Could not set the site: {REASON}")
}

fn bar() -> String {
    format!("Could not set the site: {REASON}")
}

/// The app at `size` on an empty inventory, its panel's last job failed with [`REASON`].
fn failed(size: egui::Vec2, dark: bool) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_sized(&dir.path().join("inventory.sqlite3"), size);
    harness.ctx.set_theme(if dark {
        egui::Theme::Dark
    } else {
        egui::Theme::Light
    });
    step_until(&mut harness, "the inventory", |h| {
        shows(h, "No devices yet")
    });
    harness.state().events().send(InventoryEvent::Failed {
        action: "set the site",
        error: REASON.into(),
    });
    step_until(&mut harness, "the banner", |h| shows(h, &banner()));
    (dir, harness)
}

#[test]
fn a_long_error_wraps_inside_the_window_and_its_cross_dismisses_it() {
    for (size, dark) in [
        (gui::LAPTOP, true),
        (gui::LAPTOP, false),
        (egui::vec2(1400.0, 900.0), true),
    ] {
        let (_dir, mut harness) = failed(size, dark);
        let text = harness.get_by_label(&banner()).rect();
        assert!(in_window(text, size), "{text:?} inside {size:?}");
        let line = harness.ctx.style_of(egui::Theme::Dark).text_styles[&egui::TextStyle::Body].size;
        assert!(text.height() > 1.5 * line, "wrapped: {text:?}");
        let cross = harness.get_by_label("✖").rect();
        assert!(in_window(cross, size), "✖ {cross:?} inside {size:?}");
        assert!(cross.left() >= text.right(), "the ✖ beside the text");
        harness.get_by_label("✖").click();
        harness.step();
        harness.step();
        assert!(!shows(&harness, &banner()), "dismissed");
    }
}

#[test]
fn the_status_bar_cuts_a_long_message_inside_the_window_and_shows_it_whole_on_hover() {
    let (_dir, mut harness) = failed(gui::LAPTOP, true);
    let message = harness.get_by_label(&bar()).rect();
    assert!(in_window(message, gui::LAPTOP), "{message:?}");
    assert_eq!(harness.query_all_by_label(&bar()).count(), 1);
    // The tooltip's wait is the user's to sit out, not the test's.
    harness
        .ctx
        .all_styles_mut(|style| style.interaction.tooltip_delay = 0.0);
    harness.get_by_label(&bar()).hover();
    harness.step();
    harness.step();
    assert_eq!(
        harness.query_all_by_label(&bar()).count(),
        2,
        "the whole text in a tooltip"
    );
    let path = harness
        .query_all_by_label_contains("inventory.sqlite3")
        .next();
    let path = path.expect("the inventory file stays in the bar").rect();
    assert!(in_window(path, gui::LAPTOP), "{path:?}");
}
