//! Every panel's failure reaches that panel: the app routes the worker's events by their
//! type, never by their text. One failure per panel is sent through the app's own event sink,
//! then each panel is looked at: the failure shows in its panel's banner (marked ⚠) and in no
//! other panel.

use crate::support::gui;

use egui_kittest::kittest::Queryable;
use gui::{App, app, shows, step_until};
use provdesk::ui::event::Event;
use provdesk::ui::fetch::events::FetchEvent;
use provdesk::ui::import::events::ImportEvent;
use provdesk::ui::inventory::events::InventoryEvent;
use provdesk::ui::redirect::events::RedirectEvent;
use provdesk::ui::serve::events::ServePanelEvent;
use provdesk::ui::settings::events::SettingsEvent;
use provdesk::ui::templates::events::TemplatesEvent;

/// A panel, the key that shows it, a text only it shows, and the failure sent to it.
struct Case {
    key: egui::Key,
    landmark: &'static str,
    marker: &'static str,
    event: fn() -> Event,
}

const CASES: [Case; 7] = [
    Case {
        key: egui::Key::Num1,
        landmark: "Add device",
        marker: "boom-inventory",
        event: || {
            InventoryEvent::Failed {
                action: "list sites",
                error: "boom-inventory".into(),
            }
            .into()
        },
    },
    Case {
        key: egui::Key::Num2,
        landmark: "Import device labels",
        marker: "boom-import",
        event: || {
            ImportEvent::Failed {
                action: "import",
                error: "boom-import".into(),
            }
            .into()
        },
    },
    Case {
        key: egui::Key::Num3,
        landmark: "Template text",
        marker: "boom-templates",
        event: || {
            TemplatesEvent::Failed {
                action: "save the template",
                error: "boom-templates".into(),
            }
            .into()
        },
    },
    Case {
        key: egui::Key::Num4,
        landmark: "Provisioner account",
        marker: "boom-redirect",
        event: || RedirectEvent::DevicesFailed("boom-redirect".into()).into(),
    },
    Case {
        key: egui::Key::Num5,
        landmark: "Start",
        marker: "boom-fetch",
        event: || {
            FetchEvent::Failed {
                action: "save the test fetch",
                error: "boom-fetch".into(),
            }
            .into()
        },
    },
    Case {
        key: egui::Key::Num6,
        landmark: "Serve the phones",
        marker: "boom-serve",
        event: || {
            ServePanelEvent::Stopped {
                error: Some("boom-serve".into()),
            }
            .into()
        },
    },
    Case {
        key: egui::Key::Num7,
        landmark: "Model catalogue",
        marker: "boom-settings",
        event: || {
            SettingsEvent::Failed {
                action: "save the site",
                error: "boom-settings".into(),
            }
            .into()
        },
    },
];

fn banner_with(harness: &App, marker: &str) -> bool {
    harness
        .query_all_by_label_contains(marker)
        .any(|node| node.value().is_some_and(|text| text.starts_with('⚠')))
}

fn show(harness: &mut App, case: &Case) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, case.key);
    step_until(harness, case.landmark, |h| {
        h.query_all_by_label_contains(case.landmark)
            .next()
            .is_some()
    });
}

#[test]
fn a_failure_of_every_panel_lands_in_that_panel() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&dir.path().join("inventory.sqlite3"));
    step_until(&mut harness, "the inventory", |h| {
        shows(h, "No devices yet")
    });
    let sink = harness.state().events();
    for case in &CASES {
        sink.send((case.event)());
    }
    harness.step();
    for panel in &CASES {
        show(&mut harness, panel);
        for case in &CASES {
            assert_eq!(
                banner_with(&harness, case.marker),
                case.marker == panel.marker,
                "{} in the panel of {}",
                case.marker,
                panel.landmark
            );
        }
    }
}

#[test]
fn a_label_file_that_cannot_be_read_is_reported_in_import() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&dir.path().join("inventory.sqlite3"));
    step_until(&mut harness, "the inventory", |h| {
        shows(h, "No devices yet")
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    step_until(&mut harness, "the import panel", |h| {
        shows(h, "Import device labels")
    });
    let missing = dir.path().join("no-such-labels.csv");
    gui::type_into(&mut harness, "or path", &missing.display().to_string());
    gui::click(&mut harness, "Add file");
    step_until(&mut harness, "the unreadable file", |h| {
        banner_with(h, "no-such-labels.csv")
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
    step_until(&mut harness, "the inventory", |h| {
        shows(h, "No devices yet")
    });
    assert!(!banner_with(&harness, "no-such-labels.csv"));
}
