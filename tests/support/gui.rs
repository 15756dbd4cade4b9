//! Driving the whole app in tests: start it on a database, wait for the worker, find widgets
//! by their AccessKit labels.

use std::path::Path;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use provdesk::ui::ProvdeskApp;

pub type App = Harness<'static, ProvdeskApp>;

/// The app at 1280×800 on the database at `db`, one frame in.
pub fn app(db: &Path) -> App {
    let db = db.to_path_buf();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| ProvdeskApp::new(cc, db).expect("worker starts"));
    harness.step();
    harness
}

/// Steps the app until `condition` holds; the worker answers on its own threads, so this waits
/// in small real-time slices, bounded, instead of assuming how many frames a job takes. The
/// bound (some 15 s) is for a hung job, not a measure: the whole suite on two loaded cores once
/// took a Serve test past 5 s.
pub fn step_until(harness: &mut App, what: &str, condition: impl Fn(&App) -> bool) {
    for _ in 0..3000 {
        harness.step();
        if condition(harness) {
            harness.step();
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("timed out waiting for {what}");
}

/// Whether a widget whose label holds `text` is on screen.
pub fn shows_containing(harness: &App, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

pub fn shows(harness: &App, label: &str) -> bool {
    harness.query_all_by_label(label).next().is_some()
}

/// The text field with this label, one line or wrapping over several (Test fetch's URL).
pub fn text_field<'h>(harness: &'h App, label: &'h str) -> egui_kittest::Node<'h> {
    use egui::accesskit::Role;
    harness.get_by(|node| {
        matches!(node.role(), Role::TextInput | Role::MultilineTextInput)
            && node.label().as_deref() == Some(label)
    })
}

/// Types into the text field with this label; two frames, because a field's validation
/// message appears on the frame after the edit.
pub fn type_into(harness: &mut App, field: &str, text: &str) {
    text_field(harness, field).focus();
    harness.step();
    text_field(harness, field).type_text(text);
    harness.step();
    harness.step();
}

/// Clicks the widget with this label and lets two frames pass, since the toolbar above the
/// table reacts on the frame after a row changes.
pub fn click(harness: &mut App, label: &str) {
    harness.get_by_label(label).click();
    harness.step();
    harness.step();
}

/// Opens the context menu of the inventory row showing `mac`: a right-click beside the MAC,
/// since the label itself is selectable text.
pub fn right_click_row(harness: &mut App, mac: &str) {
    let mac_label = harness.get_by_label(mac).rect();
    let beside = egui::pos2(mac_label.right() + 8.0, mac_label.center().y);
    harness.event(egui::Event::PointerMoved(beside));
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: beside,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: egui::Modifiers::default(),
        });
    }
    harness.step();
    harness.step();
}

/// The window of a small installer laptop, in points: 1366×768 at 125 % scaling is about
/// 1093×614; 1000×700 is what the usability review tried.
pub const LAPTOP: egui::Vec2 = egui::vec2(1000.0, 700.0);

/// The app in a window of `size` instead of 1280×800.
pub fn app_sized(db: &Path, size: egui::Vec2) -> App {
    let mut harness = app(db);
    harness.set_size(size);
    harness.step();
    harness
}

/// Whether `rect` lies whole inside a window of `size`: nothing of it is cut off or hidden.
pub fn in_window(rect: egui::Rect, size: egui::Vec2) -> bool {
    egui::Rect::from_min_size(egui::Pos2::ZERO, size).contains_rect(rect)
}

/// Whether `first` lies left of or above `second`, without covering any of it.
pub fn apart(first: egui::Rect, second: egui::Rect) -> bool {
    first.right() <= second.left() || first.bottom() <= second.top()
}
