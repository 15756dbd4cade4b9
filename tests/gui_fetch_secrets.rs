//! Issue 11: the Test fetch panel shows a fetched body that holds the MAC password masked until
//! the user reveals it, and the digest response of the MAC-password step masked as well.

use crate::support::gui;

use std::collections::BTreeMap;

use egui_kittest::kittest::Queryable;
use gui::{App, app, click, shows, step_until, type_into};
use provdesk::secret::{MASK, Secret};
use provdesk::sim::provisioning::{Fault, ProvisioningSim, SimConfig, SimUser};

const MAC: &str = "7C2F80820EC0";
const MAC_PASSWORD: &str = "123456789012";

fn shows_containing(harness: &App, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// Clicks a button that may sit below the detail pane's fold, as a screen reader does (the
/// pointer would land on whatever covers the spot: the previous click's tooltip).
fn click_below(harness: &mut App, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.step();
    harness.get_by_label(label).click_accesskit();
    harness.step();
    harness.step();
}

#[test]
fn a_body_holding_the_mac_password_is_masked_until_revealed() {
    let body = format!("<ProviderFrame><Pw>{MAC_PASSWORD}</Pw></ProviderFrame>");
    let sim = ProvisioningSim::start_blocking(
        "127.0.0.1:0".parse().unwrap(),
        SimConfig {
            users: vec![SimUser::password(MAC, Secret::new(MAC_PASSWORD))],
            files: BTreeMap::from([(format!("/cfg/{MAC}.xml"), body.into_bytes())]),
            fault: Fault::None,
            ..SimConfig::default()
        },
    )
    .expect("the simulator starts");
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&dir.path().join("inventory.sqlite3"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    step_until(&mut harness, "the fetch panel", |h| {
        shows(h, "No fetch yet")
    });
    type_into(&mut harness, "Provisioning URL", &sim.url("/cfg/%MACD.xml"));
    type_into(&mut harness, "MAC", MAC);
    // A password field is a PasswordInput to AccessKit, not a TextInput.
    let password = || egui::accesskit::Role::PasswordInput;
    harness
        .get_by_role_and_label(password(), "MAC password")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(password(), "MAC password")
        .type_text(MAC_PASSWORD);
    harness.step();
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the body", |h| {
        shows_containing(h, "<ProviderFrame>")
    });
    assert!(
        shows_containing(&harness, &format!("<Pw>{MASK}</Pw>")),
        "the MAC password in the body is masked"
    );
    assert!(!shows_containing(&harness, &format!("<Pw>{MAC_PASSWORD}")));
    assert!(
        shows_containing(&harness, &format!("response=\"{MASK}\"")),
        "the Authorization header's digest response is masked"
    );
    click_below(&mut harness, "Reveal the password in the body");
    assert!(
        shows_containing(&harness, &format!("<Pw>{MAC_PASSWORD}</Pw>")),
        "revealed on purpose"
    );
    click_below(&mut harness, "Hide the password in the body");
    assert!(!shows_containing(&harness, &format!("<Pw>{MAC_PASSWORD}")));
}
