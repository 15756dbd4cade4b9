//! The Test fetch setup after the usability review: a URL with a stored password is masked
//! but editable (the stored password goes to the server), the timeout field is applied, the
//! waiting arrow counts the seconds, and a Maxwell's prompt counts down to the moment the
//! phone closes it. Against the provisioning simulator; egui's clock in the harness moves a
//! quarter of a second per frame, so the seconds counted depend on frames, not on real time.

use crate::support::gui;
use crate::support::gui::shows_containing;

use std::collections::BTreeMap;
use std::path::Path;

use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, app, click, shows, step_until, text_field, type_into};
use provdesk::device::{Mac, NewDevice, ProvisioningUrl, find_model};
use provdesk::inventory::Inventory;
use provdesk::secret::{MASK, Secret};
use provdesk::sim::provisioning::{Fault, ProvisioningSim, RunningSim, SimConfig, SimUser};

const MAC: &str = "7C2F80820EC0";
const USER: &str = "prov";
const PASSWORD: &str = "Url-Pw-4711";

fn sim(fault: Fault) -> RunningSim {
    ProvisioningSim::start_blocking(
        "127.0.0.1:0".parse().unwrap(),
        SimConfig {
            users: vec![SimUser::password(USER, Secret::new(PASSWORD))],
            files: BTreeMap::from([(format!("/cfg/{MAC}.xml"), b"<ProviderFrame/>".to_vec())]),
            fault,
            ..SimConfig::default()
        },
    )
    .expect("the simulator starts")
}

/// Whether any widget's label or value holds `text`.
fn anywhere(harness: &App, text: &str) -> bool {
    harness
        .query_all_by(|node| {
            node.value().is_some_and(|v| v.contains(text))
                || node.label().is_some_and(|l| l.contains(text))
        })
        .next()
        .is_some()
}

fn fetch_panel(db: &Path) -> App {
    let mut harness = app(db);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    step_until(&mut harness, "the fetch panel", |h| {
        shows(h, "No fetch yet")
    });
    harness
}

/// Replaces the text of the field labelled `field`.
fn retype(harness: &mut App, field: &str, text: &str) {
    text_field(harness, field).focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_field(harness, field).type_text(text);
    harness.step();
    harness.step();
}

fn choose_model(harness: &mut App, model: &str) {
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Model")
        .click();
    harness.step();
    harness.step();
    click(harness, model);
}

/// The whole seconds a label says, e.g. 4 of "waiting for the answer… 4 s".
fn seconds_in(harness: &App, text: &str) -> u64 {
    let found = harness.get_by_label_contains(text);
    let node = found.accesskit_node();
    // A label's text is its AccessKit value; a painted label's, its name.
    let label = node
        .value()
        .filter(|v| v.contains(text))
        .or_else(|| node.label())
        .unwrap_or_default();
    let number = label
        .trim_end_matches(" s")
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .to_string();
    number
        .parse()
        .unwrap_or_else(|_| panic!("no seconds in {label:?}"))
}

#[test]
fn a_masked_url_is_edited_and_the_stored_password_goes_to_the_server() {
    let sim = sim(Fault::None);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    // An N870 reads user:pass@ from its URL; the stored path lacks ".xml".
    let stored = sim
        .url("/cfg/%MACD")
        .replacen("://", &format!("://{USER}:{PASSWORD}@"), 1);
    let mut device = NewDevice::with_mac(Mac::parse(MAC).unwrap());
    device.model = find_model("N870");
    device.url = Some(ProvisioningUrl::parse(&stored).unwrap());
    Inventory::open(&db).unwrap().add_device(&device).unwrap();

    let mut harness = fetch_panel(&db);
    click(&mut harness, "Inventory device");
    step_until(&mut harness, "the picker's match", |h| {
        shows_containing(h, "7C2F80820EC0 · N610/N670/N870 IP PRO")
    });
    harness
        .get_by_label_contains("7C2F80820EC0 · N610/N670/N870 IP PRO")
        .click();
    harness.step();
    harness.step();
    let shown = text_field(&harness, "Provisioning URL").value().unwrap();
    assert!(shown.contains(&format!("{USER}:{MASK}@")), "{shown}");
    assert!(!anywhere(&harness, PASSWORD), "the password is masked");

    // Typed into the masked field, without Show: the path gets its ".xml".
    text_field(&harness, "Provisioning URL").focus();
    harness.step();
    harness.key_press(egui::Key::End);
    text_field(&harness, "Provisioning URL").type_text(".xml");
    harness.step();
    harness.step();
    assert_eq!(
        text_field(&harness, "Provisioning URL").value().as_deref(),
        Some(format!("{shown}.xml").as_str()),
        "the field takes the edit"
    );
    assert!(!anywhere(&harness, PASSWORD), "still masked");
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the diagnosis", |h| shows(h, "ok"));
    let served = sim
        .requests()
        .into_iter()
        .find(|r| r.status == Some(200))
        .expect("the server served the file");
    assert_eq!(served.target, format!("/cfg/{MAC}.xml"), "the edited path");
    assert!(
        served
            .header("authorization")
            .is_some_and(|a| a.contains(&format!("username=\"{USER}\""))),
        "answered with the URL's user, whose stored password the server accepted"
    );
    assert!(!anywhere(&harness, PASSWORD), "nowhere on screen");
}

#[test]
fn a_password_typed_over_the_mask_replaces_the_stored_one() {
    let sim = sim(Fault::None);
    let dir = tempfile::tempdir().unwrap();
    let mut harness = fetch_panel(&dir.path().join("inventory.sqlite3"));
    let with = |password: &str| {
        sim.url("/cfg/%MACD.xml")
            .replacen("://", &format!("://{USER}:{password}@"), 1)
    };
    type_into(&mut harness, "MAC", MAC);
    choose_model(&mut harness, "N610/N670/N870 IP PRO");
    type_into(&mut harness, "Provisioning URL", &with("Wrong-1"));
    click(&mut harness, "Hide");
    assert!(!anywhere(&harness, "Wrong-1"), "masked on request");
    retype(&mut harness, "Provisioning URL", &with(PASSWORD));
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the diagnosis", |h| shows(h, "ok"));

    retype(&mut harness, "Provisioning URL", &with("•••"));
    click(&mut harness, "▶ Start");
    assert!(
        shows_containing(&harness, "The password in the URL is part of the mask"),
        "a half-deleted mask is explained, not sent"
    );
}

#[test]
fn the_timeout_field_is_applied_and_the_waiting_arrow_counts_seconds() {
    let sim = sim(Fault::Timeout);
    let dir = tempfile::tempdir().unwrap();
    let mut harness = fetch_panel(&dir.path().join("inventory.sqlite3"));
    assert_eq!(
        text_field(&harness, "Timeout (s)").value().as_deref(),
        Some("10"),
        "the CLI's default"
    );
    type_into(&mut harness, "Provisioning URL", &sim.url("/cfg/x.xml"));
    retype(&mut harness, "Timeout (s)", "0");
    click(&mut harness, "▶ Start");
    assert!(shows_containing(
        &harness,
        "Timeout: A timeout of 0 s is out of range"
    ));

    retype(&mut harness, "Timeout (s)", "300");
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the waiting arrow", |h| {
        shows_containing(h, "waiting for the answer… ")
    });
    let before = seconds_in(&harness, "waiting for the answer… ");
    for _ in 0..12 {
        harness.step();
    }
    assert!(
        seconds_in(&harness, "waiting for the answer… ") >= before + 3,
        "twelve quarter-second frames later, three seconds more"
    );
    harness.key_press(egui::Key::Escape);
    harness.step();
    assert!(!shows_containing(&harness, "waiting for the answer…"));

    retype(&mut harness, "Timeout (s)", "1,5");
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "the diagnosis", |h| shows(h, "timeout"));
    assert!(
        shows_containing(&harness, "no complete answer within 1.5 s"),
        "the field's timeout, not the default"
    );
}

#[test]
fn a_maxwell_prompt_counts_down_and_offers_to_start_again_when_the_phone_closes_it() {
    let sim = sim(Fault::None);
    let dir = tempfile::tempdir().unwrap();
    let mut harness = fetch_panel(&dir.path().join("inventory.sqlite3"));
    choose_model(&mut harness, "Maxwell 3");
    type_into(&mut harness, "Provisioning URL", &sim.url("/cfg/x.xml"));
    click(&mut harness, "▶ Start");
    let prompt = "The Maxwell 3 asks for credentials on its display (try 1 of 3)";
    step_until(&mut harness, "the device's prompt", |h| shows(h, prompt));
    let closes = "The phone closes this prompt in ";
    let first = seconds_in(&harness, closes);
    assert!((59..=60).contains(&first), "{first}");
    for _ in 0..40 {
        harness.step();
    }
    assert_eq!(
        seconds_in(&harness, closes),
        first - 10,
        "ten seconds later"
    );
    for _ in 0..(4 * 50 + 4) {
        harness.step();
    }
    assert!(shows(&harness, "The Maxwell 3 has closed its prompt"));
    assert!(!shows(&harness, prompt), "the entry is gone");
    assert!(shows_containing(&harness, "Nothing was typed for 60 s"));

    click(&mut harness, "Start again");
    step_until(&mut harness, "the prompt anew", |h| shows(h, prompt));
    assert!(!shows(&harness, "The Maxwell 3 has closed its prompt"));
    assert_eq!(
        sim.requests().len(),
        2,
        "one request per start: the second fetch is a new one"
    );
    harness.key_press(egui::Key::Escape);
    harness.step();
}

/// A fetch that fails while the installer is on another panel marks Test fetch in red and
/// keeps its verdict in the status bar, named after its panel, until the panel is opened.
#[test]
fn a_fetch_that_fails_elsewhere_marks_its_panel_as_an_error() {
    let sim = sim(Fault::Timeout);
    let dir = tempfile::tempdir().unwrap();
    let mut harness = fetch_panel(&dir.path().join("inventory.sqlite3"));
    type_into(&mut harness, "Provisioning URL", &sim.url("/cfg/x.xml"));
    retype(&mut harness, "Timeout (s)", "1");
    click(&mut harness, "▶ Start");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
    step_until(&mut harness, "the red mark", |h| {
        shows(h, "Test fetch has an error not yet seen")
    });
    assert!(shows_containing(&harness, "Test fetch finished: "));
    assert!(!shows(&harness, "Test fetch has a result not yet seen"));
}
