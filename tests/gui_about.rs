//! Settings > About says which provdesk this is and where its data lives: the version, target
//! and build date `--version` prints, the licence, and the folder of the open inventory.

use crate::support::gui;

use gui::{app, shows, step_until};
use provdesk::build_info::{BUILD_DATE, LICENSE, TARGET, VERSION};

#[test]
fn about_shows_version_target_build_date_licence_and_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data folder");
    std::fs::create_dir(&folder).unwrap();
    let mut harness = app(&folder.join("inventory.sqlite3"));
    step_until(&mut harness, "the inventory", |h| {
        shows(h, "No devices yet")
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num7);
    step_until(&mut harness, "the About section", |h| shows(h, "About"));
    for expected in [
        format!("provdesk {VERSION}"),
        TARGET.to_string(),
        BUILD_DATE.to_string(),
        LICENSE.to_string(),
        folder.display().to_string(),
    ] {
        assert!(
            shows(&harness, &expected),
            "About does not show {expected:?}"
        );
    }
}
