//! The rollout section's Generate and Cancel driven as an installer would: Generate fills in a
//! password every model takes, masked, and the rollout starts with it; Cancel asks first,
//! naming the phones that already switched and that the new credentials stay accepted for
//! them, and only its confirm button changes anything.

use crate::support::gui;
use crate::support::gui::shows_containing;
use crate::support::rollout::{SINCE_START, backdate, bench};

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, app, click, shows, step_until};
use provdesk::device::Mac;
use provdesk::inventory::{Inventory, RolloutScope, Sighting, SiteDraft};
use provdesk::secret::Secret;

const MAC: &str = "7C2F80820EC0";

fn site_password(db: &Path) -> String {
    let site = Inventory::open(db).unwrap().sites().unwrap().remove(0);
    site.digest_password.unwrap().expose().to_string()
}

/// The Serve panel with its rollout section open.
pub(crate) fn rollout_section(harness: &mut App) {
    step_until(harness, "the inventory", |h| shows(h, MAC));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    step_until(harness, "the Serve panel", |h| {
        shows(h, "Credential rollout")
    });
    // A rollout read from the inventory opens the section by itself, on the frame its progress
    // arrives; a click on that same frame closed it again, and the test waited for it in vain.
    // So a click that left it closed is made again.
    for _ in 0..5 {
        if shows(harness, "Start a rollout…") {
            return;
        }
        click(harness, "Credential rollout");
        for _ in 0..100 {
            harness.step();
            if shows(harness, "Start a rollout…") {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    panic!("the rollout section does not open");
}

#[test]
fn generate_fills_in_a_masked_password_every_model_takes_and_the_rollout_starts_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    drop(bench(&db, &[MAC]));
    let mut harness = app(&db);
    rollout_section(&mut harness);
    click(&mut harness, "Start a rollout…");
    harness
        .get_by_role_and_label(Role::ComboBox, "Roll out to")
        .click();
    step_until(&mut harness, "the site in the list", |h| {
        shows(h, "site Bench (1 device)")
    });
    click(&mut harness, "site Bench (1 device)");
    gui::type_into(&mut harness, "New digest user", "bench2");
    click(&mut harness, "Generate");
    assert!(
        shows_containing(&harness, "Generated, 24 characters"),
        "the note says it was generated and how long it is"
    );
    let field = harness.get_by_role_and_label(Role::PasswordInput, "New digest password");
    let shown = field
        .accesskit_node()
        .value()
        .unwrap_or_default()
        .to_string();
    assert!(
        !shown.chars().any(|c| c.is_ascii_alphanumeric()),
        "masked until Show: {shown:?}"
    );
    click(&mut harness, "Start the rollout…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(h, "Start the rollout for site Bench?")
    });
    click(&mut harness, "Start the rollout");
    step_until(&mut harness, "the rollout", |h| {
        shows_containing(h, "Rollout started for 1 device")
    });
    let password = site_password(&db);
    assert_eq!(password.len(), 24);
    assert!(
        password.chars().all(|c| c.is_ascii_alphanumeric()),
        "{password}"
    );
    assert!(
        !shows_containing(&harness, &password),
        "the generated password is never shown unasked"
    );
}

#[test]
fn cancel_asks_first_naming_the_switched_phones_and_keeps_their_new_credentials_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut inventory = bench(&db, &[MAC]);
    inventory
        .start_rollout(
            &RolloutScope::Site("Bench".into()),
            "bench2",
            &Secret::new("typo-pw"),
        )
        .unwrap();
    backdate(&db);
    let mac = Mac::parse(MAC).unwrap();
    inventory
        .record_sighting(&Sighting {
            mac,
            at: SINCE_START,
            firmware: None,
            verdict: "served",
            credential: Some("configured"),
        })
        .unwrap();
    let mut harness = app(&db);
    rollout_section(&mut harness);
    step_until(&mut harness, "the rollout's table", |h| {
        shows(h, "Cancel rollout…")
    });

    click(&mut harness, "Cancel rollout…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(h, "Cancel the rollout?")
    });
    assert!(shows_containing(
        &harness,
        "1 phone has already switched to the new credentials"
    ));
    assert!(shows_containing(
        &harness,
        "the new credentials stay accepted for that device while its next file carries the old ones again"
    ));
    click(&mut harness, "Keep the rollout");
    assert!(!shows(&harness, "Cancel the rollout?"));
    assert_eq!(site_password(&db), "typo-pw", "keeping it changes nothing");

    click(&mut harness, "Cancel rollout…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(h, "Cancel the rollout?")
    });
    click(&mut harness, "Cancel the rollout");
    step_until(&mut harness, "the cancel", |h| {
        shows_containing(
            h,
            "Rollout cancelled: 0 devices back on the old credentials; 1 device (1 already switched)",
        )
    });
    assert_eq!(
        site_password(&db),
        "old-pw",
        "the site has its old password again"
    );
    let device = inventory.device_by_mac(mac).unwrap().unwrap();
    assert_eq!(
        device.rollout.old_password.unwrap().expose(),
        "typo-pw",
        "still accepted"
    );
}

/// Moving Bench's N510 to a site without credentials takes its credentials away: Set site…
/// asks again in warning colour, and Enter does not move past it.
#[test]
fn set_site_warns_before_a_move_that_locks_a_phone_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    drop(bench(&db, &[MAC]));
    let mut harness = app(&db);
    step_until(&mut harness, "the devices", |h| shows(h, MAC));
    click(&mut harness, &format!("Select {MAC}"));
    click(&mut harness, "Set site…");
    step_until(&mut harness, "the dialog", |h| {
        shows(h, "Site for 1 device")
    });
    gui::text_field(&harness, "Site").type_text("Lobby");
    step_until(&mut harness, "the button", |h| {
        shows(h, "Move 1 device to Lobby")
    });
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "the warning", |h| shows(h, "Move anyway"));
    assert!(shows_containing(
        &harness,
        "1 device (7C2F80820EC0) would take other digest credentials from site Lobby"
    ));
    harness.key_press(egui::Key::Enter);
    harness.step();
    assert!(
        shows(&harness, "Move anyway"),
        "Enter does not move past the warning"
    );
    harness.key_press(egui::Key::Escape);
    step_until(&mut harness, "the dialog to close", |h| {
        !shows(h, "Move anyway")
    });
    let device = |db: &Path| {
        Inventory::open(db)
            .unwrap()
            .device_by_mac(Mac::parse(MAC).unwrap())
            .unwrap()
            .unwrap()
    };
    assert_eq!(device(&db).site.as_deref(), Some("Bench"));
}

#[test]
fn set_site_refuses_a_site_whose_password_a_moved_model_cannot_take() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut inventory = bench(&db, &[MAC]);
    inventory
        .save_site(&SiteDraft {
            name: "Long".into(),
            digest_username: Some("long".into()),
            digest_password: Some(Secret::new("p".repeat(60))),
            ..SiteDraft::default()
        })
        .unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the devices", |h| shows(h, MAC));
    click(&mut harness, &format!("Select {MAC}"));
    click(&mut harness, "Set site…");
    step_until(&mut harness, "the dialog", |h| {
        shows(h, "Site for 1 device")
    });
    gui::text_field(&harness, "Site").type_text("Long");
    step_until(&mut harness, "the button", |h| {
        shows(h, "Move 1 device to Long")
    });
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "the refusal", |h| {
        shows_containing(h, "N510 IP PRO accepts at most 50")
    });
    assert!(shows_containing(
        &harness,
        "nothing was moved to site \"Long\""
    ));
    let device = inventory.device_by_mac(Mac::parse(MAC).unwrap()).unwrap();
    assert_eq!(device.unwrap().site.as_deref(), Some("Bench"));
}

/// A rollout under way (here started from the CLI's core before the window opened) opens the
/// section by itself: egui kept the state of its first frame, before the progress was read, so
/// the rollout sat folded away where the installer would look for Enforce.
#[test]
fn a_rollout_under_way_opens_its_section_when_the_panel_shows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    bench(&db, &[MAC])
        .start_rollout(
            &RolloutScope::Site("Bench".into()),
            "bench2",
            &Secret::new("new-pw"),
        )
        .unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    step_until(&mut harness, "the rollout's table, unasked", |h| {
        shows(h, "Cancel rollout…")
    });
}
