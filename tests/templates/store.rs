//! Template versions in the inventory: save as a new version, list versions, reset to the
//! built-in one; invalid templates are not saved; generated credentials are stored all or none.

use provdesk::device::{DeviceDraft, Mac};
use provdesk::inventory::{Inventory, SaveOutcome, TemplateStoreError, Unchanged};
use provdesk::secret::Secret;

fn inventory() -> (tempfile::TempDir, Inventory) {
    let dir = tempfile::tempdir().unwrap();
    let inventory = Inventory::open(&dir.path().join("t.db")).unwrap();
    (dir, inventory)
}

const CUSTOM: &str = "mac={{mac}}\nurl={{prov_url}}\nsite={{site}}\n";

#[test]
fn versions_are_kept_and_the_newest_is_used_until_reset() {
    let (_dir, mut inventory) = inventory();
    assert!(
        inventory
            .current_template_version("plain-text")
            .unwrap()
            .is_none()
    );
    let SaveOutcome::Saved(first) = inventory
        .save_template_version("plain-text", CUSTOM, "add site")
        .unwrap()
    else {
        panic!("a new text makes a version");
    };
    assert_eq!(first.version, 1);
    let SaveOutcome::Saved(second) = inventory
        .save_template_version("Plain-Text", "mac={{mac}}\n", "")
        .unwrap()
    else {
        panic!("a new text makes a version");
    };
    assert_eq!((second.name.as_str(), second.version), ("plain-text", 2));

    let set = inventory.template_set().unwrap();
    let used = set
        .for_format(provdesk::device::ConfigFormat::PlainText)
        .unwrap();
    assert_eq!(used.source(), "mac={{mac}}\n");
    assert_eq!(used.label(), "plain-text v2");

    let SaveOutcome::Saved(reset) = inventory.reset_template("plain-text").unwrap() else {
        panic!("a reset over an edited text makes a version");
    };
    assert_eq!((reset.version, reset.body), (3, None));
    let versions = inventory.template_versions("plain-text").unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [3, 2, 1]
    );
    assert_eq!(versions[2].body.as_deref(), Some(CUSTOM));
    let set = inventory.template_set().unwrap();
    assert_eq!(
        set.for_format(provdesk::device::ConfigFormat::PlainText)
            .unwrap()
            .version(),
        None,
        "the built-in one is back"
    );
    let audit = inventory.audit_log(3).unwrap();
    assert_eq!(audit[0].action, "template.reset");
    assert_eq!(audit[1].action, "template.save");
}

#[test]
fn invalid_or_unknown_templates_are_not_saved() {
    let (_dir, mut inventory) = inventory();
    let error = inventory
        .save_template_version("provider-frame", "<ProviderFrame>{{nope}}", "")
        .unwrap_err();
    assert!(
        matches!(error, TemplateStoreError::Invalid { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("line 1, column 18"), "{error}");
    assert!(
        inventory
            .template_versions("provider-frame")
            .unwrap()
            .is_empty()
    );
    let unknown = inventory
        .save_template_version("nope", CUSTOM, "")
        .unwrap_err();
    assert!(unknown.to_string().contains("provider-frame"), "{unknown}");
}

#[test]
fn generated_credentials_are_stored_all_or_none() {
    let (_dir, mut inventory) = inventory();
    let device = DeviceDraft {
        mac: "7C2F80820EC0".into(),
        model: "N510".into(),
        ..DeviceDraft::default()
    }
    .validate()
    .unwrap();
    inventory.add_device(&device).unwrap();
    let known = Mac::parse("7C2F80820EC0").unwrap();
    let missing = Mac::parse("7C2F80820EC1").unwrap();
    let error = inventory
        .set_digest_credentials(&[
            (known, "u1".into(), Secret::new("first")),
            (missing, "u2".into(), Secret::new("second")),
        ])
        .unwrap_err();
    assert!(error.to_string().contains("7C2F80820EC1"), "{error}");
    let stored = inventory.device_by_mac(known).unwrap().unwrap();
    assert_eq!(stored.digest_username, None, "rolled back");

    inventory
        .set_digest_credentials(&[(known, "u1".into(), Secret::new("first"))])
        .unwrap();
    let stored = inventory.device_by_mac(known).unwrap().unwrap();
    assert_eq!(stored.digest_username.as_deref(), Some("u1"));
    assert_eq!(stored.digest_password, Some(Secret::new("first")));
    let audit = inventory.audit_log(1).unwrap();
    assert_eq!(audit[0].action, "device.digest_generated");
    assert!(!audit[0].detail.contains("first"), "{}", audit[0].detail);
}

/// The review's template: a literal integer that is not one, inside `<Provider>`.
fn provider_frame_with_a_bad_integer() -> String {
    provdesk::templates::find_default("provider-frame")
        .unwrap()
        .text
        .replace(
            "{{credentials}}",
            "{{credentials}}\n<I_TIMEOUT class=\"integer\" value=\"abc\"/>",
        )
}

#[test]
fn a_template_whose_files_would_be_refused_is_not_saved() {
    let (_dir, mut inventory) = inventory();
    let literal_mac = provdesk::templates::find_default("provider-frame")
        .unwrap()
        .text
        .replace("{{mac}}", "7C2F80820EC0");
    for body in [provider_frame_with_a_bad_integer(), literal_mac] {
        let error = inventory
            .save_template_version("provider-frame", &body, "")
            .unwrap_err();
        assert!(
            matches!(error, TemplateStoreError::Invalid { .. }),
            "{error}"
        );
    }
    assert!(
        inventory
            .template_versions("provider-frame")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_stored_version_that_no_longer_validates_refuses_only_its_own_formats_devices() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let mut inventory = Inventory::open(&db).unwrap();
    // Saved by an older provdesk, which checked typed values only in rendered files.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "INSERT INTO template_versions (name, version, body, note) VALUES ('provider-frame', 1, ?1, 'old')",
            [provider_frame_with_a_bad_integer()],
        )
        .unwrap();
    for (mac, model) in [("7C2F80820EC0", "N510"), ("7C2F80820EC1", "Maxwell 3")] {
        let device = DeviceDraft {
            mac: mac.into(),
            model: model.into(),
            ..DeviceDraft::default()
        }
        .validate()
        .unwrap();
        inventory.add_device(&device).unwrap();
    }
    let set = inventory.template_set().unwrap();
    let settings = provdesk::templates::RenderSettings::default();
    let n510 = inventory
        .device_by_mac(Mac::parse("7C2F80820EC0").unwrap())
        .unwrap()
        .unwrap();
    let error = set.render(&n510, &settings).unwrap_err().to_string();
    assert!(
        error.contains("the template \"provider-frame v1\" is not valid")
            && error.contains("<I_TIMEOUT> holds \"abc\""),
        "{error}"
    );
    let maxwell = inventory
        .device_by_mac(Mac::parse("7C2F80820EC1").unwrap())
        .unwrap()
        .unwrap();
    set.render(&maxwell, &settings)
        .expect("the Maxwell's template is not the broken one");
}

#[test]
fn notes_are_stored_as_one_line_and_a_reset_gets_the_fixed_note() {
    let (_dir, mut inventory) = inventory();
    let SaveOutcome::Saved(saved) = inventory
        .save_template_version("plain-text", CUSTOM, "  SIP port 5070\nfor Hotel Adler ")
        .unwrap()
    else {
        panic!("a new text makes a version");
    };
    assert_eq!(saved.note, "SIP port 5070 for Hotel Adler");
    assert_eq!(saved.shown_note(), "SIP port 5070 for Hotel Adler");
    assert!(!saved.is_reset());
    let SaveOutcome::Saved(reset) = inventory.reset_template("plain-text").unwrap() else {
        panic!("a reset over an edited text makes a version");
    };
    assert!(reset.is_reset());
    assert_eq!(reset.note, provdesk::templates::RESET_NOTE);
    assert_eq!(reset.shown_note(), "", "a reset is labelled, not noted");
    assert_eq!(
        reset.text(),
        provdesk::templates::find_default("plain-text")
            .unwrap()
            .text,
        "a reset's text is the built-in template"
    );
    // What the panel wrote on every save before notes says nothing about the version.
    let SaveOutcome::Saved(former) = inventory
        .save_template_version("plain-text", CUSTOM, "saved in the Templates panel")
        .unwrap()
    else {
        panic!("a new text makes a version");
    };
    assert_eq!(former.shown_note(), "");
    let versions = inventory.template_versions("plain-text").unwrap();
    assert_eq!(versions[2].note, "SIP port 5070 for Hotel Adler");
    assert_eq!(
        inventory.template_version("plain-text", 1).unwrap(),
        versions[2]
    );
}

#[test]
fn a_note_too_long_or_a_missing_version_is_refused_with_what_to_do() {
    let (_dir, mut inventory) = inventory();
    let long = "x".repeat(provdesk::templates::NOTE_MAX_CHARS + 1);
    let error = inventory
        .save_template_version("plain-text", CUSTOM, &long)
        .unwrap_err();
    assert!(matches!(error, TemplateStoreError::Note { .. }), "{error}");
    assert!(error.to_string().contains("shorten it"), "{error}");
    assert!(
        inventory
            .template_versions("plain-text")
            .unwrap()
            .is_empty(),
        "nothing saved"
    );
    let error = inventory.template_version("plain-text", 1).unwrap_err();
    assert!(error.to_string().contains("none yet"), "{error}");
    inventory
        .save_template_version("plain-text", CUSTOM, "")
        .unwrap();
    let error = inventory.template_version("plain-text", 4).unwrap_err();
    assert_eq!(
        error.to_string(),
        "template \"plain-text\" has no version 4; its versions are: 1"
    );
}

#[test]
fn the_text_in_use_saved_again_makes_no_version_whatever_its_note() {
    let (_dir, mut inventory) = inventory();
    let builtin = provdesk::templates::find_default("plain-text")
        .unwrap()
        .text;
    let unchanged = |version, reset| {
        SaveOutcome::Unchanged(Unchanged {
            name: "plain-text".to_string(),
            version,
            reset,
        })
    };
    assert_eq!(
        inventory
            .save_template_version("plain-text", builtin, "same as built-in")
            .unwrap(),
        unchanged(None, false),
        "the built-in text while none is saved"
    );
    inventory
        .save_template_version("plain-text", CUSTOM, "first")
        .unwrap();
    let again = inventory
        .save_template_version("plain-text", CUSTOM, "same again")
        .unwrap();
    assert_eq!(again, unchanged(Some(1), false));
    let SaveOutcome::Unchanged(again) = again else {
        unreachable!()
    };
    assert_eq!(again.in_use(), "version 1");
    // Over an older base the same text undoes nothing: no change, not "saved elsewhere".
    assert_eq!(
        inventory
            .save_template_version_over("plain-text", CUSTOM, "", None)
            .unwrap(),
        unchanged(Some(1), false)
    );
    inventory.reset_template("plain-text").unwrap();
    assert_eq!(
        inventory
            .save_template_version("plain-text", builtin, "")
            .unwrap(),
        unchanged(Some(2), true),
        "after a reset the built-in text is in use"
    );
    let versions = inventory.template_versions("plain-text").unwrap();
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert_eq!(versions[1].note, "first");
}

/// A reset while the built-in text is in use would only lengthen the history with a version
/// that changes nothing: none saved, right after a reset, or a version whose text is the
/// built-in's. Over an edited text it is a version.
#[test]
fn a_reset_over_the_built_in_text_makes_no_version() {
    let (_dir, mut inventory) = inventory();
    let builtin = provdesk::templates::find_default("plain-text")
        .unwrap()
        .text;
    let unchanged = |version, reset| {
        SaveOutcome::Unchanged(Unchanged {
            name: "plain-text".to_string(),
            version,
            reset,
        })
    };
    let outcome = inventory.reset_template("plain-text").unwrap();
    assert_eq!(outcome, unchanged(None, false), "none saved");
    let SaveOutcome::Unchanged(none_saved) = outcome else {
        unreachable!()
    };
    assert_eq!(
        none_saved.reset_words(),
        "no change: plain-text already uses the built-in template, so no version was made"
    );
    assert!(
        inventory
            .template_versions("plain-text")
            .unwrap()
            .is_empty()
    );

    inventory
        .save_template_version("plain-text", CUSTOM, "custom")
        .unwrap();
    let SaveOutcome::Saved(reset) = inventory.reset_template("plain-text").unwrap() else {
        panic!("a reset over an edited text makes a version");
    };
    assert_eq!((reset.version, reset.is_reset()), (2, true));
    let again = inventory.reset_template("plain-text").unwrap();
    assert_eq!(again, unchanged(Some(2), true), "right after a reset");
    let SaveOutcome::Unchanged(again) = again else {
        unreachable!()
    };
    assert!(again.reset_words().contains("since version 2"), "{again:?}");

    inventory
        .save_template_version("plain-text", CUSTOM, "custom again")
        .unwrap();
    inventory
        .save_template_version("plain-text", builtin, "the built-in text, saved")
        .unwrap();
    assert_eq!(
        inventory.reset_template("plain-text").unwrap(),
        unchanged(Some(4), false),
        "a saved version with the built-in text renders as a reset would"
    );
    let versions = inventory.template_versions("plain-text").unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [4, 3, 2, 1]
    );
}

/// A newline added or taken at the end of the text is in every rendered file, so it is a
/// change: a new version, whose files differ from the old ones in that newline.
#[test]
fn a_trailing_newline_is_a_change_because_the_rendered_file_has_it() {
    let (_dir, mut inventory) = inventory();
    inventory
        .save_template_version("plain-text", CUSTOM, "")
        .unwrap();
    let device = DeviceDraft {
        mac: "7C2F80820EC0".to_string(),
        model: "Generic".to_string(),
        url: "http://prov.example.com/%MACD.txt".to_string(),
        ..DeviceDraft::default()
    }
    .validate()
    .unwrap();
    let stored = inventory.add_device(&device).unwrap();
    let rendered = |inventory: &Inventory| {
        let template = inventory.template_set().unwrap();
        let template = template
            .for_format(provdesk::device::ConfigFormat::PlainText)
            .unwrap()
            .clone();
        template
            .render(&stored, &provdesk::templates::RenderSettings::default())
            .unwrap()
            .bytes()
            .to_vec()
    };
    let before = rendered(&inventory);
    let longer = format!("{CUSTOM}\n");
    let SaveOutcome::Saved(saved) = inventory
        .save_template_version("plain-text", &longer, "")
        .unwrap()
    else {
        panic!("a newline more at the end is a change");
    };
    assert_eq!(saved.version, 2);
    let after = rendered(&inventory);
    assert_eq!(
        after.len(),
        before.len() + 1,
        "the file has the newline too"
    );
    assert!(after.ends_with(b"\n\n"));
    let shorter = CUSTOM.trim_end_matches('\n');
    assert!(matches!(
        inventory
            .save_template_version("plain-text", shorter, "")
            .unwrap(),
        SaveOutcome::Saved(_)
    ));
    assert_eq!(rendered(&inventory).len(), before.len() - 1);
}
