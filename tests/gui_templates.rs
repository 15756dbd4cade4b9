//! The Templates panel driven through AccessKit labels: the list, inline validation, saving and
//! resetting versions (checked in the database the app's worker wrote), the masked preview and
//! rendering into a folder (checked on disk).

use crate::support::gui;
use crate::support::gui::shows_containing;
use crate::support::template_panel::{type_in_editor, versions};

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use gui::{App, app, click, shows, step_until};
use provdesk::device::{Mac, NewDevice, ProvisioningUrl, find_model};
use provdesk::inventory::Inventory;
use provdesk::secret::Secret;
use provdesk::templates::find_default;
use provdesk::ui::templates::events::TemplatesEvent;

const MAC: &str = "7C2F80820EC0";
const PASSWORD: &str = "Pr0v-s3cret";

fn open_templates_panel(db: &Path) -> App {
    let mut harness = app(db);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num3);
    step_until(&mut harness, "the templates panel", |h| {
        shows(h, "provider-frame template")
    });
    harness
}

/// A provider-frame version 1 saved before the app starts.
fn save_version_one(db: &Path) {
    let default = find_default("provider-frame").unwrap();
    let body = default
        .text
        .replace("The device applies", "Version one: the device applies");
    Inventory::open(db)
        .unwrap()
        .save_template_version("provider-frame", &body, "test")
        .unwrap();
}

fn add_n720(db: &Path) {
    let mut device = NewDevice::with_mac(Mac::parse(MAC).unwrap());
    device.model = find_model("N720");
    device.url = Some(ProvisioningUrl::parse("https://prov.example.com/cfg/%MACD.xml").unwrap());
    device.digest_username = Some("provision".into());
    device.digest_password = Some(Secret::new(PASSWORD));
    Inventory::open(db).unwrap().add_device(&device).unwrap();
}

fn pick_preview_device(harness: &mut App) {
    let entry = format!("{MAC} · N720 IP PRO");
    step_until(harness, "the preview picker's match", |h| shows(h, &entry));
    click(harness, &entry);
}

#[test]
fn an_unknown_variable_is_shown_with_its_place_and_refused_until_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut harness = open_templates_panel(&db);
    for default in provdesk::templates::DEFAULT_TEMPLATES {
        assert!(shows(&harness, default.name), "{} is listed", default.name);
        assert!(
            shows(&harness, &default.models().join(", ")),
            "{} lists its models",
            default.name
        );
    }
    assert!(shows(&harness, "✔ No problems: the template is valid."));

    let text = find_default("provider-frame").unwrap().text;
    let line = text.matches('\n').count() + 1;
    type_in_editor(&mut harness, "{{mac_adress}}");
    // The column is the name's, just inside the braces.
    let expected = format!("line {line}, column 3: unknown variable {{{{mac_adress}}}}");
    assert!(
        shows_containing(&harness, &expected),
        "the problem names its line and column"
    );
    assert!(shows(&harness, "provider-frame *"), "marked as edited");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.step();
    assert!(
        shows_containing(&harness, "Not saved: provider-frame has"),
        "Ctrl+S says why it refused"
    );
    harness.step();
    assert!(versions(&db).is_empty(), "nothing was stored");

    for _ in 0.."{{mac_adress}}".len() {
        harness.key_press(egui::Key::Backspace);
    }
    harness.step();
    harness.step();
    assert!(shows(&harness, "✔ No problems: the template is valid."));
    assert!(!shows_containing(&harness, "mac_adress"));
}

#[test]
fn a_click_on_a_problem_moves_the_cursor_there_and_a_variable_goes_in_at_the_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_templates_panel(&dir.path().join("inventory.sqlite3"));
    type_in_editor(&mut harness, "{{mac_adress}}");
    harness
        .query_by_label_contains("unknown variable {{mac_adress}}")
        .expect("the problem is listed")
        .click();
    harness.step();
    harness.step();
    click(&mut harness, "{{site}}");
    let text = harness
        .get_by_role_and_label(Role::MultilineTextInput, "Template text")
        .value()
        .unwrap_or_default();
    assert!(
        text.ends_with("</ProviderFrame>\n{{{{site}}mac_adress}}"),
        "inserted where the problem is: {text}"
    );
}

#[test]
fn save_as_new_version_stores_the_next_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    save_version_one(&db);
    let mut harness = open_templates_panel(&db);
    step_until(&mut harness, "the stored version", |h| {
        shows(h, "edited v1")
    });

    type_in_editor(&mut harness, "<!-- checked on site -->\n");
    click(&mut harness, "💾 Save as new version");
    step_until(&mut harness, "version 2 in the database", |_| {
        versions(&db).len() == 2
    });
    let saved = versions(&db);
    assert_eq!(saved[0].version, 2);
    let body = saved[0].body.as_deref().unwrap();
    assert!(body.contains("Version one: the device applies"), "{body}");
    assert!(body.ends_with("<!-- checked on site -->\n"), "{body}");
    step_until(&mut harness, "the new state in the list", |h| {
        shows(h, "edited v2")
    });
    assert!(shows_containing(
        &harness,
        "Saved provider-frame as version 2"
    ));
    assert!(
        !shows(&harness, "provider-frame *"),
        "no unsaved changes left"
    );
}

#[test]
fn reset_to_default_asks_first_and_then_stores_a_reset_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    save_version_one(&db);
    let mut harness = open_templates_panel(&db);
    step_until(&mut harness, "the stored version", |h| {
        shows(h, "edited v1")
    });

    click(&mut harness, "Reset to default…");
    assert!(shows(
        &harness,
        "Reset provider-frame to the built-in template?"
    ));
    click(&mut harness, "Cancel");
    assert!(!shows(&harness, "Reset provider-frame"));
    assert_eq!(versions(&db).len(), 1, "cancel changes nothing");

    click(&mut harness, "Reset to default…");
    click(&mut harness, "Reset provider-frame");
    step_until(&mut harness, "the reset version", |_| {
        versions(&db).len() == 2
    });
    let stored = versions(&db);
    assert_eq!(stored[0].version, 2);
    assert_eq!(
        stored[0].body, None,
        "a reset goes back to the built-in text"
    );
    step_until(&mut harness, "the reset state in the list", |h| {
        shows(h, "default (reset in v2)")
    });
    assert!(!shows_containing(&harness, "Version one"));
}

#[test]
fn the_preview_shows_the_device_with_its_password_masked_until_revealed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    add_n720(&db);
    let mut harness = open_templates_panel(&db);
    pick_preview_device(&mut harness);
    step_until(&mut harness, "the preview", |h| {
        shows_containing(h, &format!("<MAC_ADDRESS value=\"{MAC}\"/>"))
    });
    assert!(shows_containing(
        &harness,
        "<S_PROV_PASSWORD class=\"string\" value=\"••••••\"/>"
    ));
    assert!(
        shows_containing(&harness, "<I_PHONE_SYSTEM class=\"integer\" value=\"5\"/>"),
        "the N720 rule"
    );
    assert!(!shows_containing(&harness, PASSWORD), "masked");

    click(&mut harness, "Reveal");
    assert!(shows_containing(
        &harness,
        &format!("<S_PROV_PASSWORD class=\"string\" value=\"{PASSWORD}\"/>")
    ));
    click(&mut harness, "Hide passwords");
    assert!(!shows_containing(&harness, PASSWORD), "masked again");
}

#[test]
fn render_writes_the_device_file_and_the_htdigest_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    add_n720(&db);
    let out = dir.path().join("configs");
    let htdigest = dir.path().join("users.htdigest");
    let mut harness = open_templates_panel(&db);
    pick_preview_device(&mut harness);

    click(&mut harness, "Render…");
    assert!(shows(&harness, "Render configuration files"));
    assert!(shows(&harness, &format!("Only the preview device {MAC}")));
    replace_field(&mut harness, "Folder", &out.display().to_string());
    click(&mut harness, "Also write an htdigest file");
    replace_field(
        &mut harness,
        "htdigest file",
        &htdigest.display().to_string(),
    );
    assert_eq!(
        gui::text_field(&harness, "Realm").value().as_deref(),
        Some("provdesk"),
        "Serve's realm"
    );
    replace_field(&mut harness, "Realm", "provisioning");
    click(&mut harness, "Render");

    let file = out.join(format!("{MAC}.xml"));
    step_until(&mut harness, "the rendered file", |_| file.exists());
    let written: String = std::fs::read(&file)
        .unwrap()
        .into_iter()
        .map(char::from)
        .collect();
    assert!(written.contains(&format!("<MAC_ADDRESS value=\"{MAC}\"/>")));
    assert!(
        written.contains(&format!("value=\"{PASSWORD}\"")),
        "real password on disk"
    );
    step_until(&mut harness, "the result message", |h| {
        shows_containing(h, "Rendered 1 file into")
    });
    let users = std::fs::read_to_string(&htdigest).unwrap();
    assert!(users.contains("provision:provisioning:"), "{users}");
    assert!(shows_containing(&harness, "with 1 user"));

    let said = |h: &App| {
        h.query_all_by_label_contains("Rendered 1 file into")
            .count()
    };
    assert_eq!(said(&harness), 2, "under the editor and in the status bar");
    type_in_editor(&mut harness, "<!-- after the render -->\n");
    assert_eq!(
        said(&harness),
        1,
        "the line under the editor spoke of the text before this edit; the status bar keeps it"
    );
}

/// The N720 in site "Office", and a device of "Other customer" whose file cannot be rendered
/// (no model).
fn two_customers() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    add_n720(&db);
    let mut inventory = Inventory::open(&db).unwrap();
    let office = inventory
        .device_by_mac(Mac::parse(MAC).unwrap())
        .unwrap()
        .unwrap();
    inventory.set_site(&[office.id], Some("Office")).unwrap();
    let mut elsewhere = NewDevice::with_mac(Mac::parse("7C2F80820EC9").unwrap());
    elsewhere.site = Some("Other customer".into());
    inventory.add_device(&elsewhere).unwrap();
    drop(inventory);
    (dir, db)
}

/// "The devices of its site" renders one customer's files: a device of another site, which
/// could not be rendered, neither stops them nor gets a file.
#[test]
fn render_the_preview_devices_site_only() {
    let (dir, db) = two_customers();
    let out = dir.path().join("office");
    let mut harness = open_templates_panel(&db);
    let entry = format!("{MAC} · N720 IP PRO");
    step_until(&mut harness, "the preview picker's match", |h| {
        shows_containing(h, &entry)
    });
    harness.get_by_label_contains(&entry).click();
    harness.step();

    click(&mut harness, "Render…");
    step_until(&mut harness, "the sites", |h| {
        h.query_by_role_and_label(Role::ComboBox, "The devices of the site")
            .is_some()
    });
    let site = harness
        .get_by_role_and_label(Role::ComboBox, "The devices of the site")
        .value();
    assert_eq!(
        site.as_deref(),
        Some("Office (1 device)"),
        "the preview device's site is chosen"
    );
    click(&mut harness, "The devices of the site");
    replace_field(&mut harness, "Folder", &out.display().to_string());
    click(&mut harness, "Render");
    step_until(&mut harness, "the result message", |h| {
        shows_containing(h, "Rendered 1 file into")
    });
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names, [std::ffi::OsString::from(format!("{MAC}.xml"))]);
}

/// Replaces a single-line field's text.
fn replace_field(harness: &mut App, label: &str, text: &str) {
    gui::text_field(harness, label).focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    gui::text_field(harness, label).type_text(text);
    harness.step();
    harness.step();
}

/// On a small laptop's window the editor has the room and the side pane starts hidden; shown,
/// it sits beside the editor instead of over it, and every button stays whole.
#[test]
fn on_a_small_laptop_the_editor_keeps_its_width_and_the_side_pane_stays_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut harness = gui::app_sized(&db, gui::LAPTOP);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num3);
    step_until(&mut harness, "the templates panel", |h| {
        shows(h, "provider-frame template")
    });
    // Short lines, so the editor is as wide as the space it was given, not as its text.
    let editor = || (Role::MultilineTextInput, "Template text");
    harness
        .get_by_role_and_label(editor().0, editor().1)
        .focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(editor().0, editor().1)
        .type_text("<x/>");
    harness.step();
    harness.step();
    let width = |harness: &App| {
        harness
            .get_by_role_and_label(editor().0, editor().1)
            .rect()
            .width()
    };
    assert!(width(&harness) >= 500.0, "editor {} wide", width(&harness));
    assert!(gui::in_window(
        harness.get_by_label("Render…").rect(),
        gui::LAPTOP
    ));

    click(&mut harness, "Variables and preview");
    step_until(&mut harness, "the side pane", |h| shows(h, "Variables"));
    harness.run_steps(20);
    let side = harness.get_by_label("Variables").rect();
    let text = harness.get_by_role_and_label(editor().0, editor().1).rect();
    assert!(
        gui::apart(text, side),
        "editor {text:?}, side pane {side:?}"
    );
    assert!(width(&harness) >= 300.0, "editor {} wide", width(&harness));
    assert!(gui::apart(harness.get_by_label("Render…").rect(), side));
}

/// Replaces the editor's whole text, as pasting a file over it would.
fn replace_editor_text(harness: &mut App, text: &str) {
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Template text")
        .focus();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Template text")
        .type_text(text);
    harness.step();
    harness.step();
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

fn save_is_disabled(harness: &App) -> bool {
    harness
        .get_by_label("💾 Save as new version")
        .accesskit_node()
        .is_disabled()
}

/// The review's case: a literal integer that is not one parses as XML, yet every N510/N720
/// would refuse the file. The editor says so at the template's line and Save stays off.
#[test]
fn a_template_whose_files_would_be_refused_is_never_called_valid_nor_saved() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut harness = open_templates_panel(&db);
    let default = find_default("provider-frame").unwrap().text;

    let typo = default.replace(
        "{{credentials}}",
        "{{credentials}}\n<I_TIMEOUT class=\"integer\" value=\"abc\"/>",
    );
    replace_editor_text(&mut harness, &typo);
    let line = line_of(&typo, "<I_TIMEOUT");
    assert!(
        shows_containing(
            &harness,
            &format!("line {line}, column 1: <I_TIMEOUT> holds \"abc\", which is not an integer")
        ),
        "the problem is at the template's own line"
    );
    assert!(!shows(&harness, "✔ No problems: the template is valid."));
    assert!(
        save_is_disabled(&harness),
        "Save is off while it has problems"
    );
    harness.get_by_label("💾 Save as new version").hover();
    step_until(&mut harness, "the reason on hover", |h| {
        shows_containing(h, "Not while the template has 1 problem")
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.step();
    assert!(shows_containing(
        &harness,
        "Not saved: provider-frame has 1 problem"
    ));

    // Parses, but names one MAC: every other device would ignore its file.
    let literal_mac = default.replace("{{mac}}", MAC);
    replace_editor_text(&mut harness, &literal_mac);
    assert!(shows_containing(
        &harness,
        "✖ The template parses, but the files it renders would be refused (1 problem)"
    ));
    let line = line_of(&literal_mac, "<MAC_ADDRESS");
    assert!(shows_containing(
        &harness,
        &format!(
            "line {line}, column 1: the file for a sample N510 IP PRO (and 5 other models) would be refused: MAC_ADDRESS is \"{MAC}\""
        )
    ));
    assert!(!shows(&harness, "✔ No problems: the template is valid."));
    assert!(save_is_disabled(&harness));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.step();
    harness.step();
    assert!(versions(&db).is_empty(), "nothing was stored");
}

/// A file refused only for the preview device's own data (an N720 without SIP accounts, for a
/// template that asks for the first account's domain): the editor says so instead of "valid",
/// and the template can still be saved.
#[test]
fn the_preview_devices_refused_file_is_said_under_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    add_n720(&db);
    let mut harness = open_templates_panel(&db);
    pick_preview_device(&mut harness);
    let text = find_default("provider-frame").unwrap().text.replace(
        "{{sip_accounts}}",
        "{{sip_accounts}}\n<S_SIP_DOMAIN class=\"string\" value=\"{{sip_domain}}\"/>",
    );
    replace_editor_text(&mut harness, &text);
    step_until(&mut harness, "the preview's verdict", |h| {
        shows_containing(
            h,
            &format!("⚠ The template parses, but the file for {MAC} would be refused"),
        )
    });
    let line = line_of(&text, "{{sip_domain}}");
    assert!(shows_containing(
        &harness,
        &format!("line {line}, column 37: {{{{sip_domain}}}} has no value")
    ));
    assert!(!shows(&harness, "✔ No problems: the template is valid."));
    assert!(
        !save_is_disabled(&harness),
        "the device's data, not the template"
    );
    click(&mut harness, "💾 Save as new version");
    step_until(&mut harness, "version 1 in the database", |_| {
        versions(&db).len() == 1
    });
}

/// Without a preview device, a site is chosen in the dialog itself (every site, with its
/// count); unsaved edits are said and saved first, so the files are the editor's.
#[test]
fn render_a_site_chosen_in_the_dialog_saves_the_edits_first() {
    let (dir, db) = two_customers();
    let out = dir.path().join("office");
    let mut harness = open_templates_panel(&db);
    type_in_editor(&mut harness, "<!-- edited before the render -->\n");

    click(&mut harness, "Render…");
    assert!(shows_containing(
        &harness,
        "provider-frame has unsaved changes: a render uses the saved version."
    ));
    step_until(&mut harness, "the sites", |h| {
        h.query_by_role_and_label(Role::ComboBox, "The devices of the site")
            .is_some()
    });
    harness
        .get_by_role_and_label(Role::ComboBox, "The devices of the site")
        .click();
    step_until(&mut harness, "every site, with its count", |h| {
        shows(h, "Other customer (1 device)")
    });
    click(&mut harness, "Office (1 device)");
    replace_field(&mut harness, "Folder", &out.display().to_string());
    click(&mut harness, "Save and render");
    step_until(&mut harness, "the result message", |h| {
        shows_containing(h, "Rendered 1 file into")
    });
    let written: String = std::fs::read(out.join(format!("{MAC}.xml")))
        .unwrap()
        .into_iter()
        .map(char::from)
        .collect();
    assert!(
        written.contains("<!-- edited before the render -->"),
        "rendered with the edits: {written}"
    );
    assert_eq!(versions(&db).len(), 1, "saved as version 1");
    assert!(
        !out.join("7C2F80820EC9.xml").exists(),
        "only the site's devices"
    );
}

/// Renders the preview device's file into `out` through the dialog and waits for the result.
fn render_preview_device_into(harness: &mut App, out: &Path) {
    click(harness, "Render…");
    replace_field(harness, "Folder", &out.display().to_string());
    click(harness, "Render");
    step_until(harness, "the result message", |h| {
        shows_containing(h, "Rendered 1 file into")
    });
}

/// The htdigest realm starts as the one Serve announces (one realm for both ways of serving
/// phones), and the dialog's first line leads to Serve.
#[test]
fn the_render_dialog_takes_serves_realm_and_leads_to_serve() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut harness = open_templates_panel(&db);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    step_until(&mut harness, "the Serve panel", |h| {
        shows(h, "Serve the phones")
    });
    replace_field(&mut harness, "Realm", "hotel-adler");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num3);
    step_until(&mut harness, "the templates panel", |h| {
        shows(h, "provider-frame template")
    });

    click(&mut harness, "Render…");
    click(&mut harness, "Also write an htdigest file");
    assert_eq!(
        gui::text_field(&harness, "Realm").value().as_deref(),
        Some("hotel-adler")
    );
    assert!(shows_containing(
        &harness,
        "To serve phones from this laptop you do not need to render"
    ));
    click(&mut harness, "use Serve");
    step_until(&mut harness, "the Serve panel", |h| {
        shows(h, "Serve the phones")
    });
    assert!(!shows(&harness, "Render configuration files"), "closed");
}

/// After a render: Open folder; when the file manager cannot be started, the folder's path
/// with a Copy button and the reason.
#[test]
fn after_a_render_the_folder_can_be_opened_or_its_path_copied() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    add_n720(&db);
    let out = dir.path().join("configs");
    let mut harness = open_templates_panel(&db);
    assert!(!shows(&harness, "Open folder"), "nothing rendered yet");
    pick_preview_device(&mut harness);
    render_preview_device_into(&mut harness, &out);
    assert!(shows(&harness, "Open folder"));
    assert!(!shows_containing(&harness, "old file"), "nothing stale");

    harness
        .state()
        .events()
        .send(TemplatesEvent::OpenFolderFailed(
            "xdg-open is not installed".into(),
        ));
    step_until(&mut harness, "the reason", |h| {
        shows_containing(h, "Could not open the folder: xdg-open is not installed")
    });
    assert!(shows(&harness, &out.display().to_string()), "the path");
    assert!(shows(&harness, "Copy"));
}

/// Files an earlier render left for other devices are offered for removal, listed in the
/// question first; only those go, never another file in the folder.
#[test]
fn old_device_files_in_the_folder_are_offered_for_removal_after_a_question() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    add_n720(&db);
    let out = dir.path().join("configs");
    std::fs::create_dir(&out).unwrap();
    let old = out.join("7C2F80820EC9.xml");
    std::fs::write(&old, "an earlier render's file").unwrap();
    std::fs::write(out.join("index.html"), "the web server's").unwrap();
    std::fs::write(out.join("7C2F80820EC8.cfg"), "another scheme").unwrap();
    let mut harness = open_templates_panel(&db);
    pick_preview_device(&mut harness);
    render_preview_device_into(&mut harness, &out);
    assert!(shows_containing(
        &harness,
        "1 device file of an earlier render is still in the folder"
    ));

    click(&mut harness, "Remove 1 old file…");
    assert!(shows(&harness, "Remove 1 file of an earlier render?"));
    assert!(shows(&harness, "7C2F80820EC9.xml"), "listed");
    assert!(shows(&harness, "device no longer in the inventory"));
    assert!(old.exists(), "nothing removed before the answer");
    click(&mut harness, "Remove 1 file");
    step_until(&mut harness, "the removal", |_| !old.exists());
    step_until(&mut harness, "the offer to go", |h| {
        !shows(h, "Remove 1 old file…")
    });
    assert!(shows_containing(&harness, "Removed 1 old file"));
    let mut left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["7C2F80820EC0.xml", "7C2F80820EC8.cfg", "index.html"]);
}

/// The last render's line speaks of the template it was started from: another template
/// chosen, it goes (the status bar keeps its own copy).
#[test]
fn the_render_line_goes_when_another_template_is_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    add_n720(&db);
    let mut harness = open_templates_panel(&db);
    pick_preview_device(&mut harness);
    render_preview_device_into(&mut harness, &dir.path().join("configs"));
    let said = |h: &App| {
        h.query_all_by_label_contains("Rendered 1 file into")
            .count()
    };
    assert_eq!(said(&harness), 2, "under the editor and in the status bar");
    assert!(shows(&harness, "Open folder"));
    click(&mut harness, "provisioning-1.1");
    step_until(&mut harness, "the other template", |h| {
        shows(h, "provisioning-1.1 template")
    });
    assert_eq!(said(&harness), 1, "only the status bar's");
    assert!(!shows(&harness, "Open folder"));
}

/// The preview's long lines wrap at the pane's edge when asked, instead of running past it.
#[test]
fn the_preview_wraps_long_lines_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    add_n720(&db);
    let mut harness = open_templates_panel(&db);
    pick_preview_device(&mut harness);
    let line = "<!-- a comment long enough to run far past the edge of the side pane, as a long value does -->";
    type_in_editor(&mut harness, &format!("{line}\n"));
    step_until(&mut harness, "the preview of the edit", |h| {
        shows_containing(h, "a comment long enough")
    });
    let width = |h: &App| {
        h.get_by_label_contains("a comment long enough")
            .rect()
            .width()
    };
    let side = harness.get_by_label("Variables").rect();
    let unwrapped = width(&harness);
    assert!(
        unwrapped > 900.0,
        "one line, past the pane's edge: {unwrapped}"
    );
    click(&mut harness, "Wrap lines");
    let wrapped = width(&harness);
    assert!(
        wrapped < 1280.0 - side.left(),
        "inside the pane: {wrapped}, pane from {}",
        side.left()
    );
}

/// The side pane can be dragged wider than the third it used to stop at, for reading a
/// rendered file's long lines, and the editor keeps its room however far it is dragged.
#[test]
fn the_side_pane_can_be_dragged_wide_and_the_editor_keeps_its_room() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut harness = open_templates_panel(&db);
    let side_left = |h: &App| h.get_by_label("Variables").rect().left();
    let before = side_left(&harness);
    let panel = 1280.0 - harness.get_by_label("Templates").rect().left();
    // The pane's edge lies in the margin left of its first label.
    let mut at = egui::pos2(before - 6.0, 500.0);
    harness.hover_at(at);
    harness.step();
    harness.drag_at(at);
    harness.step();
    while at.x > 100.0 {
        at.x -= 50.0;
        harness.hover_at(at);
        harness.step();
    }
    harness.drop_at(at);
    harness.run_steps(3);
    let after = side_left(&harness);
    let width = 1280.0 - after;
    assert!(
        width > 0.4 * panel,
        "dragged from {before} to {after}: {width} of {panel}"
    );
    // The editor's rect is as wide as its longest line; what it shows ends at the pane.
    let editor = harness
        .get_by_role_and_label(Role::MultilineTextInput, "Template text")
        .rect();
    assert!(
        after - editor.left() >= 300.0,
        "editor from {}, pane from {after}",
        editor.left()
    );
}

/// A render for one site starts in a folder of that site's own, and in a folder the sites
/// share it offers only the files of phones gone from the inventory: another site's phone's
/// file is listed apart, with its site, unticked, and stays.
#[test]
fn a_site_render_leaves_another_sites_phone_its_file() {
    let (dir, db) = two_customers();
    let out = dir.path().join("shared");
    std::fs::create_dir(&out).unwrap();
    let other_site = out.join("7C2F80820EC9.xml");
    let gone = out.join("7C2F80820EC7.xml");
    std::fs::write(&other_site, "Other customer's phone's file").unwrap();
    std::fs::write(&gone, "a removed phone's file").unwrap();
    let mut harness = open_templates_panel(&db);
    let entry = format!("{MAC} · N720 IP PRO");
    step_until(&mut harness, "the preview picker's match", |h| {
        shows_containing(h, &entry)
    });
    harness.get_by_label_contains(&entry).click();
    harness.step();
    click(&mut harness, "Render…");
    step_until(&mut harness, "the sites", |h| {
        h.query_by_role_and_label(Role::ComboBox, "The devices of the site")
            .is_some()
    });
    click(&mut harness, "The devices of the site");
    harness.step();
    let folder = gui::text_field(&harness, "Folder")
        .value()
        .unwrap_or_default();
    assert!(
        Path::new(&folder).ends_with("provdesk-configs/Office"),
        "the site's own folder: {folder}"
    );
    replace_field(&mut harness, "Folder", &out.display().to_string());
    click(&mut harness, "Render");
    step_until(&mut harness, "the result message", |h| {
        shows_containing(h, "Rendered 1 file into")
    });
    assert!(shows_containing(
        &harness,
        "1 file of devices outside this render left alone"
    ));

    click(&mut harness, "Remove 1 old file…");
    assert!(shows(&harness, "Remove 1 file of an earlier render?"));
    assert!(shows(&harness, "7C2F80820EC7.xml"));
    assert!(shows(&harness, "7C2F80820EC9.xml"), "listed apart");
    assert!(shows(&harness, "device of site Other customer"));
    click(&mut harness, "Remove 1 file");
    step_until(&mut harness, "the removal", |_| !gone.exists());
    step_until(&mut harness, "the offer to change", |h| {
        shows(h, "Review 1 file of other devices…")
    });
    assert!(other_site.exists(), "another site's phone keeps its file");
}
