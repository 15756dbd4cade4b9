//! `provdesk render`, `provdesk template` and `provdesk models` run as a script would run them.

use crate::support::cli::text;

#[path = "cli_render/models.rs"]
mod models;
#[path = "cli_render/sites.rs"]
mod sites;

use std::path::Path;
use std::process::{Command, Output};

use provdesk::device::Mac;
use provdesk::inventory::Inventory;
use provdesk::sim::provisioning::SimUser;

const PASSWORD: &str = "Sehr&geheim\"9";
const MAC_PASSWORD: &str = "2EE3EECC82C4";

fn provdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PROVDESK_DB")
        .env("DIGEST_PW", PASSWORD)
        .env("MAC_PW", MAC_PASSWORD)
        .output()
        .expect("the binary runs")
}

fn ok(output: &Output) -> String {
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
}

/// An inventory with a site (URL and credentials) and two devices of different formats.
fn inventory(db: &Path) {
    ok(&provdesk(
        db,
        &[
            "site",
            "set",
            "Office",
            "--provider",
            "acme",
            "--url",
            "https://prov.example.com/cfg/%MACD.xml",
            "--digest-user",
            "provision",
            "--digest-password-env",
            "DIGEST_PW",
        ],
    ));
    for (mac, model) in [("7C2F80820EC0", "N720"), ("7C2F80820EC1", "Maxwell 3")] {
        ok(&provdesk(
            db,
            &[
                "device",
                "add",
                "--mac",
                mac,
                "--model",
                model,
                "--site",
                "Office",
                "--mac-password-env",
                "MAC_PW",
            ],
        ));
    }
}

#[test]
fn render_one_device_with_its_htdigest_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    inventory(&db);
    let out = dir.path().join("www");
    let htdigest = dir.path().join("users.htdigest");
    let stdout = ok(&provdesk(
        &db,
        &[
            "render",
            "--device",
            "7c:2f:80:82:0e:c0",
            "--out",
            out.to_str().unwrap(),
            "--htdigest",
            htdigest.to_str().unwrap(),
            "--realm",
            "prov",
        ],
    ));
    assert!(
        stdout.contains("7C2F80820EC0.xml\tN720 IP PRO\tprovider-frame (built-in)"),
        "{stdout}"
    );
    assert!(stdout.contains("rendered 1 file"), "{stdout}");
    assert!(
        !stdout.contains("geheim") && !stdout.contains(MAC_PASSWORD),
        "{stdout}"
    );
    let file = std::fs::read(out.join("7C2F80820EC0.xml")).unwrap();
    let file = text(&file);
    assert!(
        file.contains("<S_PROV_PASSWORD class=\"string\" value=\"Sehr&amp;geheim&quot;9\"/>"),
        "{file}"
    );
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        1,
        "one file, no temporary left"
    );

    let users = std::fs::read_to_string(&htdigest).unwrap();
    let lines: Vec<&str> = users.lines().collect();
    assert_eq!(lines.len(), 2, "{users}");
    assert!(lines[0].starts_with("7C2F80820EC0:prov:"), "{users}");
    assert!(lines[1].starts_with("provision:prov:"), "{users}");
    assert_eq!(SimUser::load_htdigest(&users).unwrap().len(), 2);
}

#[test]
fn render_all_with_generated_passwords_stores_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    inventory(&db);
    let out = dir.path().join("www");
    let stdout = ok(&provdesk(
        &db,
        &[
            "render",
            "--all",
            "--out",
            out.to_str().unwrap(),
            "--generate-passwords",
        ],
    ));
    assert!(stdout.contains("rendered 2 files"), "{stdout}");
    assert!(
        stdout.contains("generated new digest passwords for 2 devices"),
        "{stdout}"
    );
    let inventory = Inventory::open(&db).unwrap();
    let device = inventory
        .device_by_mac(Mac::parse("7C2F80820EC1").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(device.digest_username.as_deref(), Some("prov-7c2f80820ec1"));
    let password = device.digest_password.unwrap();
    assert_eq!(password.char_len(), 24);
    assert!(!stdout.contains(password.expose()), "{stdout}");
    let file = std::fs::read_to_string(out.join("7C2F80820EC1.xml")).unwrap();
    assert!(
        file.contains(&format!(
            "<param name=\"System.Security.HTTPAuthPassword\" value=\"{}\"/>",
            password.expose()
        )),
        "{file}"
    );
}

#[test]
fn a_device_that_cannot_be_rendered_stops_the_whole_set() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    inventory(&db);
    ok(&provdesk(&db, &["device", "add", "--mac", "7C2F80820EC2"]));
    let out = dir.path().join("www");
    let output = provdesk(&db, &["render", "--all", "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("device 7C2F80820EC2: it has no model"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!out.exists(), "no folder, no files");

    let neither = provdesk(&db, &["render", "--out", out.to_str().unwrap()]);
    assert_eq!(
        neither.status.code(),
        Some(2),
        "--device or --all is required"
    );
    let realm_only = provdesk(&db, &["render", "--all", "--out", "o", "--realm", "r"]);
    assert_eq!(
        realm_only.status.code(),
        Some(2),
        "--realm needs --htdigest"
    );
}

/// One customer's files: `--site` renders that site's devices, and the one outside it (which
/// cannot render) neither stops them nor gets a file.
#[test]
fn render_a_site_writes_only_its_devices() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    inventory(&db);
    ok(&provdesk(&db, &["device", "add", "--mac", "7C2F80820EC2"]));
    let out = dir.path().join("office");
    let rendered = ok(&provdesk(
        &db,
        &["render", "--site", "office", "--out", out.to_str().unwrap()],
    ));
    assert!(rendered.contains("rendered 2 files"), "{rendered}");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["7C2F80820EC0.xml", "7C2F80820EC1.xml"]);

    let nowhere = provdesk(&db, &["render", "--site", "Nowhere", "--out", "o"]);
    assert_eq!(nowhere.status.code(), Some(1));
    assert!(
        text(&nowhere.stderr).contains("site Nowhere holds no devices"),
        "{}",
        text(&nowhere.stderr)
    );
    let both = provdesk(&db, &["render", "--site", "Office", "--all", "--out", "o"]);
    assert_eq!(
        both.status.code(),
        Some(2),
        "one of --device, --site, --all"
    );
}

/// Nothing to render is refused before any progress: "Reading the devices… 0/0" over the
/// refusal read as work begun.
#[test]
fn an_empty_inventory_is_refused_with_no_progress_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    drop(Inventory::open(&db).unwrap());
    let out = dir.path().join("www");
    let refused = provdesk(&db, &["render", "--all", "--out", out.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        text(&refused.stderr).trim_end(),
        "provdesk: the inventory holds no devices: add or import some first"
    );
    assert!(!out.exists());
}

#[test]
fn template_list_show_and_validate() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let list = ok(&provdesk(&db, &["template", "list"]));
    assert_eq!(list.lines().count(), 5, "{list}");
    assert!(
        list.contains("provisioning-1.1\tprovisioning 1.1\t"),
        "the format as the window names it, not its Rust name: {list}"
    );
    assert!(
        list.contains(
            "provider-frame\tProviderFrame\tN510 IP PRO, N720 IP PRO, DE900 IP PRO, DE700 IP PRO, DE410 IP PRO, DE310 IP PRO\tbuilt-in"
        ),
        "{list}"
    );
    let shown = ok(&provdesk(&db, &["template", "show", "provisioning-1.1"]));
    assert!(shown.contains("productID=\"{{product_id}}\""), "{shown}");
    let unknown = provdesk(&db, &["template", "show", "nope"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(text(&unknown.stderr).contains("templates are: provider-frame"));

    let db2 = dir.path().join("never.db");
    let good = dir.path().join("good.xml");
    std::fs::write(
        &good,
        include_str!("../assets/templates/provider-frame.xml"),
    )
    .unwrap();
    let valid = ok(&provdesk(
        &db2,
        &["template", "validate", good.to_str().unwrap()],
    ));
    assert!(valid.contains("valid provider-frame template"), "{valid}");
    assert!(!db2.exists(), "validating opens no inventory");

    let bad = dir.path().join("bad.xml");
    std::fs::write(
        &bad,
        "<?xml version=\"1.0\"?>\n<provisioning version=\"1.1\" productID=\"{{product_id}}\">\n<nvm>{{credentials}}\n<param name=\"x\" value=\"{{mac_adress}}\"/>\n</nvm>\n",
    )
    .unwrap();
    let output = provdesk(&db2, &["template", "validate", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    let shown = bad.display();
    assert!(
        stderr.contains(&format!(
            "{shown}:4:26: unknown variable {{{{mac_adress}}}}"
        )),
        "{stderr}"
    );
    let as_patch = provdesk(
        &db2,
        &[
            "template",
            "validate",
            bad.to_str().unwrap(),
            "--template",
            "dx800-patch",
        ],
    );
    assert_eq!(as_patch.status.code(), Some(1));
    let stderr = text(&as_patch.stderr);
    assert!(
        stderr.contains(&format!(
            "{shown}:3:8: {{{{credentials}}}} cannot be used in a patch file template"
        )),
        "{stderr}"
    );
}

#[test]
fn template_validate_refuses_a_template_whose_files_the_phones_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never.db");
    let default = include_str!("../assets/templates/provider-frame.xml");
    let line_of =
        |text: &str, needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;

    let typo = default.replace(
        "{{credentials}}",
        "{{credentials}}\n<I_TIMEOUT class=\"integer\" value=\"abc\"/>",
    );
    let file = dir.path().join("typo.xml");
    std::fs::write(&file, &typo).unwrap();
    let output = provdesk(&db, &["template", "validate", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "{}:{}:1: <I_TIMEOUT> holds \"abc\", which is not an integer",
            file.display(),
            line_of(&typo, "<I_TIMEOUT")
        )),
        "{stderr}"
    );

    let literal_mac = default.replace("{{mac}}", "7C2F80820EC0");
    let file = dir.path().join("mac.xml");
    std::fs::write(&file, &literal_mac).unwrap();
    let output = provdesk(&db, &["template", "validate", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "{}:{}:1: the file for a sample N510 IP PRO (and 5 other models) would be refused: MAC_ADDRESS is",
            file.display(),
            line_of(&literal_mac, "<MAC_ADDRESS")
        )),
        "{stderr}"
    );
    assert!(!db.exists(), "validating opens no inventory");
}

#[test]
fn a_saved_template_version_is_listed_shown_and_used_with_settings() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    ok(&provdesk(
        &db,
        &[
            "device",
            "add",
            "--mac",
            "7C2F80820EC3",
            "--model",
            "Generic",
            "--url",
            "https://prov.example.com/%MACD.cfg",
        ],
    ));
    Inventory::open(&db)
        .unwrap()
        .save_template_version("plain-text", "mac={{mac}}\ndomain={{sip_domain}}\n", "SIP")
        .unwrap();
    let list = ok(&provdesk(&db, &["template", "list"]));
    assert!(
        list.contains("plain-text\tplain text\tGeneric SIP device\tversion 1 ("),
        "{list}"
    );
    let shown = ok(&provdesk(&db, &["template", "show", "plain-text"]));
    assert_eq!(shown, "mac={{mac}}\ndomain={{sip_domain}}\n");

    let out = dir.path().join("www");
    let missing = provdesk(&db, &["render", "--all", "--out", out.to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        text(&missing.stderr)
            .contains("{{sip_domain}} has no value: give it in the render settings"),
        "{}",
        text(&missing.stderr)
    );
    let unknown = provdesk(&db, &["render", "--all", "--out", "o", "--set", "nope=1"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        text(&unknown.stderr).contains("settings are: sip_domain"),
        "{}",
        text(&unknown.stderr)
    );

    let stdout = ok(&provdesk(
        &db,
        &[
            "render",
            "--all",
            "--out",
            out.to_str().unwrap(),
            "--set",
            "sip_domain=sip.example.com",
        ],
    ));
    assert!(
        stdout.contains("7C2F80820EC3.cfg\tGeneric SIP device\tplain-text v1"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("7C2F80820EC3.cfg")).unwrap(),
        "mac=7C2F80820EC3\ndomain=sip.example.com\n"
    );
}

/// A render into a folder that holds an earlier render's files for devices not rendered now
/// says so; `--prune` removes the file of a device gone from the inventory and nothing else,
/// `--prune-all` also the file of a device in the inventory this render was not for.
#[test]
fn an_earlier_renders_device_files_are_reported_and_pruned_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    inventory(&db);
    let out = dir.path().join("www");
    let out_arg = out.to_str().unwrap();
    ok(&provdesk(&db, &["render", "--all", "--out", out_arg]));
    std::fs::write(out.join("index.html"), "the web server's").unwrap();
    std::fs::write(out.join("7C2F80820EC9.xml.bak"), "a copy").unwrap();
    std::fs::write(out.join("7C2F80820EC9.xml"), "a removed phone's").unwrap();

    let one = ["render", "--device", "7C2F80820EC0", "--out", out_arg];
    let output = provdesk(&db, &one);
    ok(&output);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(
            "still holds 7C2F80820EC1.xml (a device of site Office, in the inventory, not in this render)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("still holds 7C2F80820EC9.xml (its device is no longer in the inventory)"),
        "{stderr}"
    );
    assert!(stderr.contains("render again with --prune"), "{stderr}");
    assert!(stderr.contains("--prune-all removes it"), "{stderr}");
    assert!(!stderr.contains("index.html"), "{stderr}");
    assert!(out.join("7C2F80820EC1.xml").exists(), "listed, not removed");

    let mut pruned: Vec<&str> = one.to_vec();
    pruned.push("--prune");
    let output = provdesk(&db, &pruned);
    let stdout = ok(&output);
    assert!(stdout.contains("removed 7C2F80820EC9.xml"), "{stdout}");
    assert!(!stdout.contains("removed 7C2F80820EC1.xml"), "{stdout}");
    assert!(
        out.join("7C2F80820EC1.xml").exists(),
        "another device's, kept"
    );
    assert!(
        text(&output.stderr).contains("still holds 7C2F80820EC1.xml"),
        "still named"
    );

    let mut all: Vec<&str> = one.to_vec();
    all.push("--prune-all");
    let stdout = ok(&provdesk(&db, &all));
    assert!(stdout.contains("removed 7C2F80820EC1.xml"), "{stdout}");
    let mut left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["7C2F80820EC0.xml", "7C2F80820EC9.xml.bak", "index.html"]
    );
}

/// Without --realm the htdigest file is for the realm `provdesk serve` announces by default,
/// so both ways of serving the phones ask them for the same one.
#[test]
fn the_htdigest_realm_defaults_to_serves() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    inventory(&db);
    let htdigest = dir.path().join("users.htdigest");
    let stdout = ok(&provdesk(
        &db,
        &[
            "render",
            "--device",
            "7C2F80820EC0",
            "--out",
            dir.path().join("www").to_str().unwrap(),
            "--htdigest",
            htdigest.to_str().unwrap(),
        ],
    ));
    assert!(stdout.contains("for realm \"provdesk\""), "{stdout}");
    let users = std::fs::read_to_string(&htdigest).unwrap();
    assert!(users.starts_with("7C2F80820EC0:provdesk:"), "{users}");
}
