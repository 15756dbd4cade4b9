//! Changing a site's digest credentials in Settings while devices take them from it: the
//! question first (how many devices, that their phones are refused from the next fetch), then
//! Cancel keeps what is stored, *Change now* saves, *Start a rollout instead* saves the other
//! values and opens the Serve panel's rollout ready to start; a password too long for the
//! site's N510s is refused naming them.

use crate::support::{gui, sites};

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, click, shows, step_until, type_into};
use provdesk::inventory::Inventory;

fn stored_password(db: &Path) -> String {
    sites::stored(db)
        .digest_password
        .unwrap()
        .expose()
        .to_string()
}

fn contains(harness: &App, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// Types `password` over the site's digest password and saves, which asks the question.
fn save_password(harness: &mut App, password: &str) {
    harness
        .get_by_role_and_label(Role::PasswordInput, "Digest password")
        .focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::PasswordInput, "Digest password")
        .type_text(password);
    harness.step();
    click(harness, "Save site (3 devices)");
    step_until(harness, "the question", |h| {
        shows(h, "Change the digest credentials of site Hotel?")
    });
}

#[test]
fn a_new_site_password_asks_first_cancel_keeps_it_and_change_now_saves_it() {
    let (_dir, db, mut harness) = sites::hotel_in_settings();
    save_password(&mut harness, "new-pw");
    assert!(contains(
        &harness,
        "2 devices use these credentials; phones configured with the old ones will be refused from their next fetch"
    ));
    assert!(!contains(&harness, "new-pw"), "the password stays masked");
    click(&mut harness, "Cancel");
    assert_eq!(stored_password(&db), "old-pw", "cancel saves nothing");

    click(&mut harness, "Save site (3 devices)");
    step_until(&mut harness, "the question", |h| {
        shows(h, "Change the digest credentials of site Hotel?")
    });
    click(&mut harness, "Change now");
    step_until(&mut harness, "the save", |_| {
        stored_password(&db) == "new-pw"
    });
}

#[test]
fn start_a_rollout_instead_saves_the_rest_and_prepares_the_rollout_in_serve() {
    let (_dir, db, mut harness) = sites::hotel_in_settings();
    type_into(&mut harness, "Provider", "acme");
    save_password(&mut harness, "new-pw");
    click(&mut harness, "Start a rollout instead (recommended)");
    step_until(&mut harness, "the rollout form in Serve", |h| {
        shows(h, "Start the rollout…")
    });
    let combo = harness.get_by_role_and_label(Role::ComboBox, "Roll out to");
    assert_eq!(
        format!("{:?}", combo.accesskit_node().value()),
        "Some(\"site Hotel (3 devices)\")"
    );
    step_until(&mut harness, "the other values saved", |_| {
        sites::stored(&db).provider.as_deref() == Some("acme")
    });
    assert_eq!(
        stored_password(&db),
        "old-pw",
        "the credentials wait for the rollout"
    );

    click(&mut harness, "Start the rollout…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(h, "Start the rollout for site Hotel?")
    });
    assert!(contains(
        &harness,
        "2 devices (2 × N510 IP PRO) will fetch their files with user \"hotel\""
    ));
    click(&mut harness, "Start the rollout");
    step_until(&mut harness, "the rollout", |_| {
        Inventory::open(&db)
            .unwrap()
            .rollout_progress()
            .unwrap()
            .first()
            .is_some_and(|row| row.devices == 2)
    });
    assert_eq!(stored_password(&db), "new-pw");
}

#[test]
fn a_site_password_too_long_for_its_n510s_is_refused_naming_them() {
    let (_dir, db, mut harness) = sites::hotel_in_settings();
    let long = "y".repeat(62);
    save_password(&mut harness, &long);
    click(&mut harness, "Change now");
    step_until(&mut harness, "the refusal", |h| {
        contains(h, "the N510 IP PRO accepts at most 50")
    });
    assert!(contains(&harness, "2 devices: 7C2F80820EC0, 7C2F80820EC1"));
    assert!(!contains(&harness, &long));
    assert_eq!(stored_password(&db), "old-pw");
}
