//! Issue 11: the Test fetch panel shows a fetched body that holds the MAC password (or a SIP
//! password of the inventory device) masked until the user reveals it, and the digest response
//! of the MAC-password step masked as well. Review item 7: the file's password settings are
//! masked too, whether the fetch knew them or not.

use crate::support::gui;
use crate::support::gui::shows_containing;

use std::collections::BTreeMap;

use egui_kittest::kittest::Queryable;
use gui::{App, app, click, shows, step_until, type_into};
use provdesk::device::{Mac, MacPassword, NewDevice, ProvisioningUrl, SipAccount, find_model};
use provdesk::inventory::Inventory;
use provdesk::secret::{MASK, Secret};
use provdesk::sim::provisioning::{Fault, ProvisioningSim, RunningSim, SimConfig, SimUser};

const MAC: &str = "7C2F80820EC0";
const MAC_PASSWORD: &str = "123456789012";

/// A provisioning server that hands `body` to MAC / MAC password as the device's file.
fn serving(body: String) -> RunningSim {
    ProvisioningSim::start_blocking(
        "127.0.0.1:0".parse().unwrap(),
        SimConfig {
            users: vec![SimUser::password(MAC, Secret::new(MAC_PASSWORD))],
            files: BTreeMap::from([(format!("/cfg/{MAC}.xml"), body.into_bytes())]),
            fault: Fault::None,
            ..SimConfig::default()
        },
    )
    .expect("the simulator starts")
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

/// The window after an ad hoc fetch of `sim`'s file as MAC / MAC password, showing the body.
fn ad_hoc_fetch(sim: &RunningSim, dir: &std::path::Path) -> App {
    let mut harness = app(&dir.join("inventory.sqlite3"));
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
    harness
}

#[test]
fn a_body_holding_the_mac_password_is_masked_until_revealed() {
    let body = format!("<ProviderFrame><Pw>{MAC_PASSWORD}</Pw></ProviderFrame>");
    let sim = serving(body);
    let dir = tempfile::tempdir().unwrap();
    let mut harness = ad_hoc_fetch(&sim, dir.path());
    assert!(
        shows_containing(&harness, &format!("<Pw>{MASK}</Pw>")),
        "the MAC password in the body is masked"
    );
    assert!(!shows_containing(&harness, &format!("<Pw>{MAC_PASSWORD}")));
    assert!(
        shows_containing(&harness, &format!("response=\"{MASK}\"")),
        "the Authorization header's digest response is masked"
    );
    click_below(&mut harness, "Reveal the passwords in the body");
    assert!(
        shows_containing(&harness, &format!("<Pw>{MAC_PASSWORD}</Pw>")),
        "revealed on purpose"
    );
    click_below(&mut harness, "Hide the passwords in the body");
    assert!(!shows_containing(&harness, &format!("<Pw>{MAC_PASSWORD}")));
}

/// The SIP password an N510 file carries (`S_SIP_PASSWORD_1`): the inventory device has it, so
/// the fetched body shows it masked, though the fetch never used it.
#[test]
fn a_body_holding_a_sip_password_of_the_inventory_device_is_masked() {
    const SIP_PASSWORD: &str = "SipPw-K7m2";
    let body = format!(
        "<ProviderFrame><S_SIP_PASSWORD_1 class=\"string\" value=\"{SIP_PASSWORD}\"/></ProviderFrame>"
    );
    let sim = serving(body);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    {
        let mut device = NewDevice::with_mac(Mac::parse(MAC).unwrap());
        device.model = find_model("N510");
        device.mac_password = Some(MacPassword::parse(MAC_PASSWORD).unwrap());
        device.url = Some(ProvisioningUrl::parse(&sim.url("/cfg/%MACD.xml")).unwrap());
        device.sip_accounts = Some(vec![SipAccount {
            index: 1,
            user: "1001".into(),
            password: Some(Secret::new(SIP_PASSWORD)),
            ..SipAccount::default()
        }]);
        Inventory::open(&db).unwrap().add_device(&device).unwrap();
    }
    let mut harness = app(&db);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    step_until(&mut harness, "the fetch panel", |h| {
        shows(h, "No fetch yet")
    });
    click(&mut harness, "Inventory device");
    step_until(&mut harness, "the picker's match", |h| {
        shows(h, "7C2F80820EC0 · N510 IP PRO")
    });
    click(&mut harness, "7C2F80820EC0 · N510 IP PRO");
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the body", |h| {
        shows_containing(h, "S_SIP_PASSWORD_1")
    });
    assert!(
        shows_containing(&harness, &format!("value=\"{MASK}\"")),
        "the SIP password in the body is masked"
    );
    assert!(!shows_containing(&harness, SIP_PASSWORD));
    click_below(&mut harness, "Reveal the passwords in the body");
    assert!(
        shows_containing(&harness, SIP_PASSWORD),
        "revealed on purpose"
    );
}

/// Review item 7: during a password change the file's `S_PROV_PASSWORD` is not the one the
/// fetch used, and its SIP passwords belong to no inventory device: masked all the same.
#[test]
fn passwords_the_fetch_did_not_use_are_masked_until_revealed() {
    const OLD: &str = "Adler-Digest-2026";
    const SIP: &str = "sip-pass-1001";
    let body = format!(
        "<ProviderFrame><Provider><S_PROV_PASSWORD class=\"string\" value=\"{OLD}\"/><S_SIP_PASSWORD_1 class=\"string\" value=\"{SIP}\"/></Provider></ProviderFrame>"
    );
    let sim = serving(body);
    let dir = tempfile::tempdir().unwrap();
    let mut harness = ad_hoc_fetch(&sim, dir.path());
    assert!(shows_containing(
        &harness,
        &format!("<S_PROV_PASSWORD class=\"string\" value=\"{MASK}\"/>")
    ));
    assert!(!shows_containing(&harness, OLD));
    assert!(!shows_containing(&harness, SIP));
    assert!(shows_containing(
        &harness,
        "The body holds passwords: masked until revealed."
    ));
    click_below(&mut harness, "Reveal the passwords in the body");
    assert!(shows_containing(&harness, OLD), "revealed on purpose");
    assert!(shows_containing(&harness, SIP), "revealed on purpose");
}
