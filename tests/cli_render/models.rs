//! `provdesk models` and renders of the models whose facts were corrected from their sources:
//! the DE series' ProviderFrame, the N870 family's productID, the Maxwell 4's %DVID.

use std::path::Path;

use super::{ok, provdesk, text};

fn add(db: &Path, mac: &str, model: &str) {
    ok(&provdesk(
        db,
        &[
            "device", "add", "--mac", mac, "--model", model, "--site", "Office",
        ],
    ));
}

fn rendered(out: &Path, mac: &str) -> String {
    let bytes = std::fs::read(out.join(format!("{mac}.xml"))).unwrap();
    // ProviderFrame files are ISO-8859-1; these hold ASCII only.
    text(&bytes)
}

#[test]
fn models_json_gives_every_fact_a_source_or_the_reason_it_is_unconfirmed() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = ok(&provdesk(&dir.path().join("x.db"), &["models", "--json"]));
    let models: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let models = models.as_array().unwrap();
    assert_eq!(models.len(), provdesk::device::CATALOGUE.len());
    for model in models {
        let facts = model["facts"].as_array().unwrap();
        assert!(!facts.is_empty(), "{model}");
        for fact in facts {
            let source = &fact["source"];
            match source["kind"].as_str().unwrap() {
                "document" => {
                    assert!(!source["title"].as_str().unwrap().is_empty(), "{fact}");
                    assert!(!source["address"].as_str().unwrap().is_empty(), "{fact}");
                }
                "unconfirmed" | "provdesk" => {
                    assert!(!source["why"].as_str().unwrap().is_empty(), "{fact}")
                }
                other => panic!("unknown source kind {other}"),
            }
        }
    }
    let de900 = models.iter().find(|m| m["name"] == "DE900 IP PRO").unwrap();
    let params = de900["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fact"] == "credential_params")
        .unwrap();
    assert_eq!(params["source"]["kind"], "unconfirmed");
    let n870 = models
        .iter()
        .find(|m| m["name"] == "N610/N670/N870 IP PRO")
        .unwrap();
    let product = n870["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fact"] == "product_id")
        .unwrap();
    assert_eq!(product["value"], "e2");
    assert_eq!(product["source"]["kind"], "document");
}

#[test]
fn models_recognizes_a_phone_and_checks_its_firmware() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let stdout = ok(&provdesk(
        &db,
        &[
            "models",
            "--recognize",
            "Gigaset N870 IP PRO/83.V2.11.0+build.6cc2a25;7C2F80E0D605",
        ],
    ));
    assert!(stdout.contains("model: N610/N670/N870 IP PRO"), "{stdout}");
    assert!(stdout.contains("MAC: 7C2F80E0D605"), "{stdout}");
    assert!(stdout.contains("older than 2.53"), "{stdout}");
    let unknown = provdesk(&db, &["models", "--recognize", "curl/8.5.0"]);
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("names no model"));
}

#[test]
fn de410_n870_and_maxwell_4_files_follow_their_sources() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    super::inventory(&db);
    add(&db, "7C2F80208402", "DE410");
    add(&db, "7C2F80E0D605", "N870");
    add(&db, "7C2F80E61AF4", "Maxwell 4");
    let out = dir.path().join("www");
    let output = provdesk(
        &db,
        &[
            "render",
            "--all",
            "--out",
            out.to_str().unwrap(),
            "--file-version",
            "1001130101",
        ],
    );
    ok(&output);
    let de410 = rendered(&out, "7C2F80208402");
    assert!(de410.contains("<ProviderFrame"), "{de410}");
    assert!(
        de410.contains(r#"<MAC_ADDRESS value="7C2F80208402"/>"#),
        "{de410}"
    );
    assert!(
        de410.contains(r#"<VERSION value="1001130101"/>"#),
        "{de410}"
    );
    assert!(
        de410.contains(r#"<PROFILE_NAME class="string" value="DE410"/>"#),
        "{de410}"
    );
    assert!(de410.contains("S_PROV_USERNAME"), "{de410}");
    let n870 = rendered(&out, "7C2F80E0D605");
    assert!(n870.contains(r#"productID="e2""#), "{n870}");
    let maxwell4 = rendered(&out, "7C2F80E61AF4");
    assert!(maxwell4.contains(r#"productID="mx3b""#), "{maxwell4}");
    assert!(maxwell4.contains("Maxwell 4 (%DVID 84/1)"), "{maxwell4}");
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(
            "DE410 IP PRO: unconfirmed catalogue facts used: digest credential parameters"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("N610/N670/N870 IP PRO: unconfirmed catalogue facts used"),
        "{stderr}"
    );
}
