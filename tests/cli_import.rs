//! Label import end to end: the binary reads messy files and photos into a real database.

use crate::support::labels;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use labels::{jpeg_bytes, label_sheet, png_bytes, utf16};
use rxing::BarcodeFormat;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn data(name: &str) -> PathBuf {
    Path::new(DATA).join(name)
}

fn provdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// (MAC, MAC-ID) of every device, sorted, as `devices --json` reports them.
fn inventory_ids(db: &Path) -> Vec<(String, String)> {
    let out = provdesk(db, &["devices", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<(String, String)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["mac"].as_str().unwrap().to_string(),
                d["mac_id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    ids.sort();
    ids
}

/// The 20 devices of the corpus, read from the plain CSV's first two columns.
fn corpus_devices() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(data("twenty_comma.csv")).unwrap();
    let mut ids: Vec<(String, String)> = text
        .lines()
        .skip(1)
        .map(|line| {
            let mut fields = line.split(',');
            let mac: String = fields
                .next()
                .unwrap()
                .chars()
                .filter(char::is_ascii_hexdigit)
                .collect();
            (mac.to_uppercase(), fields.next().unwrap().to_uppercase())
        })
        .collect();
    ids.sort();
    ids
}

fn import_into_fresh_db(files: &[PathBuf]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let mut args = vec!["import".to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = provdesk(&db, &args);
    assert!(out.status.success(), "{:?}: {}", files, stderr(&out));
    (dir, db)
}

/// Photos of the 20 labels: five sheets of four labels, each label a Code 128 MAC and a
/// MAC-ID in another symbology, alternating PNG and JPEG.
fn label_photos(dir: &Path) -> Vec<PathBuf> {
    let devices = corpus_devices();
    let formats = [
        BarcodeFormat::CODE_128,
        BarcodeFormat::QR_CODE,
        BarcodeFormat::DATA_MATRIX,
        BarcodeFormat::CODE_128,
    ];
    devices
        .chunks(4)
        .enumerate()
        .map(|(sheet, chunk)| {
            let codes: Vec<(String, BarcodeFormat)> = chunk
                .iter()
                .enumerate()
                .flat_map(|(i, (mac, mac_id))| {
                    [
                        (format!("MAC:{mac}"), BarcodeFormat::CODE_128),
                        (mac_id.clone(), formats[i % formats.len()]),
                    ]
                })
                .collect();
            let refs: Vec<(&str, BarcodeFormat)> =
                codes.iter().map(|(t, f)| (t.as_str(), *f)).collect();
            let image = label_sheet(&refs);
            let (name, bytes) = if sheet % 2 == 0 {
                (format!("sheet{sheet}.png"), png_bytes(&image))
            } else {
                (format!("sheet{sheet}.jpg"), jpeg_bytes(&image))
            };
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect()
}

#[test]
fn the_same_twenty_devices_from_every_kind_of_source() {
    let expected = corpus_devices();
    assert_eq!(expected.len(), 20);
    for file in [
        "twenty_comma.csv",
        "twenty_semicolon_bom.csv",
        "twenty_scanner.txt",
    ] {
        let (_dir, db) = import_into_fresh_db(&[data(file)]);
        assert_eq!(inventory_ids(&db), expected, "{file}");
    }
    let photos_dir = tempfile::tempdir().unwrap();
    let photos = label_photos(photos_dir.path());
    let (_dir, db) = import_into_fresh_db(&photos);
    assert_eq!(inventory_ids(&db), expected, "label photos");
}

#[test]
fn a_file_with_bad_rows_is_refused_whole_with_every_bad_line_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let bad = data("bad_rows.csv");
    let out = provdesk(&db, &["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    let file = bad.display().to_string();
    for line in [3, 4, 5, 6] {
        assert!(
            message.contains(&format!("{file}:{line}: ")),
            "line {line} is named:\n{message}"
        );
    }
    assert!(!message.contains(&format!("{file}:2: ")), "{message}");
    assert!(!message.contains(&format!("{file}:7: ")), "{message}");
    assert!(message.contains("has 10 hex digits"), "{message}");
    assert!(message.contains("belongs to MAC 7C2F80A1B2FF"), "{message}");
    assert!(message.contains("\"N999\""), "{message}");
    assert!(message.contains("appears twice"), "{message}");
    assert!(
        message.contains("import the valid rows only (--skip-invalid)"),
        "the way out is named as the command line spells it:\n{message}"
    );
    assert!(inventory_ids(&db).is_empty(), "the inventory is untouched");

    let skip = provdesk(&db, &["import", bad.to_str().unwrap(), "--skip-invalid"]);
    assert_eq!(skip.status.code(), Some(1), "still not all valid");
    assert_eq!(inventory_ids(&db).len(), 2, "the two valid rows");
}

#[test]
fn existing_devices_follow_the_chosen_policy() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let csv = dir.path().join("one.csv");
    std::fs::write(&csv, "mac,site\n7C2F80A1B200,Lobby\n").unwrap();
    let add = provdesk(
        &db,
        &["device", "add", "--mac", "7C2F80A1B200", "--site", "Cellar"],
    );
    assert!(add.status.success());
    let path = csv.to_str().unwrap();

    let skipped = provdesk(&db, &["import", path]);
    assert!(skipped.status.success(), "{}", stderr(&skipped));
    assert!(String::from_utf8_lossy(&skipped.stdout).contains("1 already in the inventory"));

    let refused = provdesk(&db, &["import", path, "--on-existing", "error"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("already in the inventory"));

    let updated = provdesk(&db, &["import", path, "--on-existing", "update"]);
    assert!(updated.status.success(), "{}", stderr(&updated));
    let listed = provdesk(&db, &["devices", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(json[0]["site"], "Lobby");
}

#[test]
fn dry_run_writes_nothing_and_json_reports_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let out = provdesk(
        &db,
        &[
            "import",
            data("bad_rows.csv").to_str().unwrap(),
            "--dry-run",
            "--skip-invalid",
            "--json",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["added"], 2);
    assert_eq!(report["written"], false);
    let rows = report["invalid_rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["line"], 3);
    assert_eq!(rows[0]["column"], 1);
    assert_eq!(rows[0]["field"], "Mac");
    assert!(inventory_ids(&db).is_empty());
}

#[test]
fn site_and_model_defaults_fill_empty_fields() {
    let (_dir, db) = {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("inventory.db");
        let out = provdesk(
            &db,
            &[
                "import",
                data("twenty_scanner.txt").to_str().unwrap(),
                "--site",
                "Klinik Nord",
                "--model",
                "maxwell3",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        (dir, db)
    };
    let listed = provdesk(&db, &["devices", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    for device in json.as_array().unwrap() {
        assert_eq!(device["site"], "Klinik Nord");
        assert_eq!(device["model"], "Maxwell 3");
    }
}

#[test]
fn export_round_trips_unchanged() {
    let (dir, db) = import_into_fresh_db(&[data("twenty_semicolon_bom.csv")]);
    let first = dir.path().join("first.csv");
    let out = provdesk(&db, &["export", "--csv", first.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (dir2, db2) = import_into_fresh_db(std::slice::from_ref(&first));
    let second = dir2.path().join("second.csv");
    let out = provdesk(&db2, &["export", "--csv", second.to_str().unwrap()]);
    assert!(out.status.success());
    let first_text = std::fs::read_to_string(&first).unwrap();
    assert_eq!(first_text, std::fs::read_to_string(&second).unwrap());
    assert!(first_text.starts_with("MAC,MAC-ID,Model,Site,Provider,URL,Digest username,Notes\n"));
    assert!(first_text.contains(",Zimmer 100; Flur\n"), "{first_text}");
}

/// Hostile review 4, findings 10 and 14: a supplier's file with formulas and a bidi override.
/// The export opens in a spreadsheet as text and reads back to the same values; the device list
/// shows the override escaped.
#[test]
fn formulas_are_exported_as_text_and_bidi_controls_are_listed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("supplier.csv");
    std::fs::write(
        &labels,
        "MAC,Model,Site,Notes\n\
         7C2F80820ECC,N510,\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",\"+cmd|' /C calc'!A0\"\n\
         7C2F80820ECD,N510,@SUM(1),-2+3\n\
         7C2F80820ECE,N510,Site \u{202e}1 mooR,'=kept\n",
    )
    .unwrap();
    let (dir, db) = import_into_fresh_db(&[labels]);
    let first = dir.path().join("first.csv");
    let out = provdesk(&db, &["export", "--csv", first.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(
        text.contains(
            "7C2F80820ECC,,N510 IP PRO,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",,,,'+cmd|' /C calc'!A0\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("7C2F80820ECD,,N510 IP PRO,'@SUM(1),,,,'-2+3\n"),
        "{text}"
    );
    // A `'` before a formula character is a spreadsheet's "this is text": read as such.
    assert!(text.contains(",,,,'=kept\n"), "{text}");
    let (dir2, db2) = import_into_fresh_db(std::slice::from_ref(&first));
    let second = dir2.path().join("second.csv");
    let out = provdesk(&db2, &["export", "--csv", second.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&second).unwrap(), text);
    let listed = provdesk(&db2, &["devices", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(json[0]["site"], "=HYPERLINK(\"http://evil\",\"x\")");
    assert_eq!(json[2]["notes"], "=kept");
    let listed = provdesk(&db2, &["devices"]);
    let shown = String::from_utf8_lossy(&listed.stdout);
    assert!(shown.contains("Site \\u{202e}1 mooR"), "{shown}");
    assert!(!shown.contains('\u{202e}'), "{shown}");
}

#[test]
fn an_unreadable_photo_is_a_named_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let broken = dir.path().join("label.png");
    std::fs::write(&broken, b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let out = provdesk(&db, &["import", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("label.png:1: not a readable PNG or JPEG"));
    let blank = dir.path().join("blank.png");
    std::fs::write(&blank, png_bytes(&label_sheet(&[]))).unwrap();
    let out = provdesk(&db, &["import", blank.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("no barcode found"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_masked_url_password_from_an_export_never_replaces_the_real_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let add = provdesk(
        &db,
        &[
            "device",
            "add",
            "--mac",
            "7C2F80A1B200",
            "--url",
            "https://hotel:Real1Pass@prov.example.com/%MACD.xml",
        ],
    );
    assert!(add.status.success(), "{}", stderr(&add));
    let exported = dir.path().join("out.csv");
    assert!(
        provdesk(&db, &["export", "--csv", exported.to_str().unwrap()])
            .status
            .success()
    );
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(!text.contains("Real1Pass"), "{text}");

    let update = provdesk(
        &db,
        &[
            "import",
            exported.to_str().unwrap(),
            "--on-existing",
            "update",
        ],
    );
    assert!(update.status.success(), "{}", stderr(&update));
    assert!(stderr(&update).contains("password was masked by an export"));
    let stored = provdesk::inventory::Inventory::open(&db)
        .unwrap()
        .device_by_mac(provdesk::device::Mac::parse("7C2F80A1B200").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.url.as_deref(),
        Some("https://hotel:Real1Pass@prov.example.com/%MACD.xml")
    );

    let fresh = dir.path().join("fresh.db");
    let out = provdesk(&fresh, &["import", exported.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = provdesk(&fresh, &["devices", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(json[0]["url"], serde_json::Value::Null);
}

/// A hostile file cannot rewrite the terminal or flood it: the error names the line, escapes
/// the escape sequence and leaves out the middle of a field of megabytes.
#[test]
fn a_hostile_field_is_escaped_and_cut_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let file = dir.path().join("hostile.csv");
    let field = format!("\u{1b}[2J\u{1b}[31m{}", "A".repeat(5_000_000));
    std::fs::write(&file, format!("mac,model\n{field},N510\n")).unwrap();
    let output = provdesk(&db, &["import", file.to_str().unwrap()]);
    assert!(!output.status.success());
    let text = stderr(&output);
    assert!(
        text.contains("hostile.csv:2"),
        "{}",
        &text[..text.len().min(500)]
    );
    assert!(
        !text.contains('\u{1b}'),
        "a raw escape reached the terminal"
    );
    assert!(
        text.contains("\\u{1b}[2J"),
        "{}",
        &text[..text.len().min(500)]
    );
    assert!(text.len() < 2_000, "{} bytes on stderr", text.len());
}

/// Issue 12: another maker's MAC prefix under a Gigaset model imports, with a warning on its
/// line; `device add` warns the same way and adds the device.
#[test]
fn another_makers_mac_prefix_is_a_warning_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let scan = dir.path().join("scan.txt");
    std::fs::write(&scan, "7C2F80820EC7\n00:04:13:11:22:33\n").unwrap();
    let out = provdesk(&db, &["import", "--model", "N510", scan.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let warning = format!(
        "{}:2: warning: MAC prefix 00:04:13 is registered to snom technology GmbH, not to Gigaset: check the label, or the model (N510 IP PRO)",
        scan.display()
    );
    assert!(stderr(&out).contains(&warning), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains(":1: warning"),
        "a Gigaset MAC is no warning"
    );
    assert_eq!(inventory_ids(&db).len(), 2);

    let added = provdesk(&db, &["device", "add", "--mac", "02:00:00:00:00:01"]);
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(
        stderr(&added).contains("warning: MAC 02:00:00:00:00:01 is locally administered"),
        "{}",
        stderr(&added)
    );
    assert_eq!(inventory_ids(&db).len(), 3);
}

/// The accounts stored for `mac`, opened straight from the database.
fn stored_sip_accounts(db: &Path, mac: &str) -> Vec<provdesk::device::SipAccount> {
    provdesk::inventory::Inventory::open(db)
        .unwrap()
        .stored_sip_accounts(&provdesk::device::Mac::parse(mac).unwrap())
        .unwrap()
}

#[test]
fn sip_columns_import_accounts_and_export_them_without_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let csv = dir.path().join("sip.csv");
    std::fs::write(
        &csv,
        "MAC;Model;SIP1 User;sip1_password;sip1_registrar;sip1_transport;sip_user_2;sip_auth_user_2;sip2_port\n\
         7C2F80A1B200;N510;1001;Secret-1001;pbx.example.com;TLS;1002;acct-1002;5080\n\
         7C2F80A1B201;N510;;;;;;;\n",
    )
    .unwrap();
    let out = provdesk(&db, &["import", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let accounts = stored_sip_accounts(&db, "7C2F80A1B200");
    assert_eq!(accounts.len(), 2, "{accounts:?}");
    assert_eq!(accounts[0].user, "1001");
    assert_eq!(
        accounts[0].password.as_ref().map(|p| p.expose()),
        Some("Secret-1001")
    );
    assert_eq!(accounts[0].registrar.as_deref(), Some("pbx.example.com"));
    assert_eq!(
        accounts[0].transport,
        Some(provdesk::device::SipTransport::Tls)
    );
    assert_eq!(accounts[1].index, 2);
    assert_eq!(accounts[1].auth_user.as_deref(), Some("acct-1002"));
    assert_eq!(accounts[1].port, Some(5080));
    assert!(
        stored_sip_accounts(&db, "7C2F80A1B201").is_empty(),
        "empty SIP cells make no account"
    );

    let exported = dir.path().join("out.csv");
    let out = provdesk(&db, &["export", "--csv", exported.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(!text.contains("Secret-1001"), "{text}");
    assert!(!text.to_lowercase().contains("password"), "{text}");
    let header = text.lines().next().unwrap();
    assert!(header.contains(",sip1_user,sip1_auth_user,sip1_registrar,sip1_port,sip1_transport,"));
    assert!(
        header.ends_with(",sip2_display_name,sip2_outbound_proxy"),
        "{header}"
    );
    assert!(
        text.contains(",1001,,pbx.example.com,,tls,,,1002,acct-1002,,5080,,,\n"),
        "{text}"
    );

    // An export read back over the inventory keeps the passwords it does not carry.
    let out = provdesk(
        &db,
        &[
            "import",
            exported.to_str().unwrap(),
            "--on-existing",
            "update",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stored_sip_accounts(&db, "7C2F80A1B200"), accounts);

    let fresh = dir.path().join("fresh.db");
    let out = provdesk(&fresh, &["import", exported.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let again = dir.path().join("again.csv");
    assert!(
        provdesk(&fresh, &["export", "--csv", again.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(text, std::fs::read_to_string(&again).unwrap());
}

#[test]
fn a_bad_sip_cell_names_its_line_and_column_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        "MAC,Model,sip1_user,sip1_port,sip7_user\n\
         7C2F80A1B200,N510,1001,5060,\n\
         7C2F80A1B201,N510,1002,70000,\n\
         7C2F80A1B202,N510,1003,,1007\n\
         7C2F80A1B203,N510,,5060,\n",
    )
    .unwrap();
    let out = provdesk(&db, &["import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let line = |n: usize| {
        err.lines()
            .find(|l| l.contains(&format!("bad.csv:{n}: ")))
            .unwrap_or_else(|| panic!("no error for line {n}: {err}"))
    };
    assert!(
        line(3).contains("SIP account 1 port: \"70000\" is no port"),
        "{err}"
    );
    assert!(line(3).ends_with("(column 4)"), "{err}");
    assert!(
        line(4).contains("SIP account 7 does not exist: the model has accounts 1 to 6"),
        "{err}"
    );
    assert!(line(4).ends_with("(column 5)"), "{err}");
    assert!(line(5).contains("SIP account 1 user: is empty"), "{err}");
    assert!(line(5).ends_with("(column 3)"), "{err}");
    assert!(!err.contains("bad.csv:2: "), "line 2 is fine: {err}");
    assert!(inventory_ids(&db).is_empty(), "nothing imported");

    let sipish = dir.path().join("sipish.csv");
    std::fs::write(&sipish, "MAC,sip0_user,SIP-Login\n7C2F80A1B200,1,2\n").unwrap();
    let out = provdesk(&db, &["import", sipish.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("column 2 \"sip0_user\" is not read: name SIP columns sipN_FIELD"),
        "{}",
        stderr(&out)
    );
}

/// Imports `bytes` written to a file named `name` into a fresh inventory; returns the run, the
/// inventory's MACs and the file's path as the messages name it.
fn import_bytes(name: &str, bytes: &[u8]) -> (Output, Vec<String>, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let out = provdesk(&db, &["import", file.to_str().unwrap()]);
    let macs = inventory_ids(&db).into_iter().map(|(mac, _)| mac).collect();
    (out, macs, file.display().to_string())
}

/// A stray quote once made the rest of the file one device's notes, with exit 0.
#[test]
fn a_quote_never_closed_refuses_the_import_at_its_line() {
    let csv = b"MAC,Notes\n7C2F80AAAC01,\"unclosed\n7C2F80AAAC02,x\n";
    let (out, macs, file) = import_bytes("u.csv", csv);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let expected = format!("{file}:2: a quote opened here is never closed; close it or remove it");
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    assert!(macs.is_empty(), "nothing imported: {macs:?}");
}

/// Barcode scanners end each code with a CR: all of them are read, and problems in a CSV
/// file with CR line ends name their own lines.
#[test]
fn cr_line_ends_read_every_line_and_name_it() {
    let (out, macs, file) = import_bytes("cr.txt", b"MAC:7C2F80AAAB70\rMAC:7C2F80AAAB71\rjunk\r");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(macs, ["7C2F80AAAB70", "7C2F80AAAB71"]);
    assert!(
        stderr(&out).contains(&format!("{file}:3: note: \"junk\"")),
        "{}",
        stderr(&out)
    );

    let csv = b"MAC,Model\r7C2F80AAAB70,N510\rnot a mac,N510\r7C2F80AAAB72,N999\r";
    let (out, macs, file) = import_bytes("cr.csv", csv);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&format!("{file}:3: ")), "{err}");
    assert!(err.contains(&format!("{file}:4: ")), "{err}");
    assert!(!err.contains(&format!("{file}:1: ")), "{err}");
    assert!(macs.is_empty());
}

/// With two MAC columns the last one silently won.
#[test]
fn two_columns_for_one_field_refuse_the_import_naming_both() {
    let csv = b"MAC,MAC,Model\n7C2F80AAAC01,7C2F80AAAC02,N510\n";
    let (out, macs, file) = import_bytes("twice.csv", csv);
    assert_eq!(out.status.code(), Some(1));
    let expected = format!(
        "{file}:1: columns 1 \"MAC\" and 2 \"MAC\" are both read as MAC: remove one of them, or \
         rename it to a name provdesk does not read (column 2)"
    );
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    assert!(macs.is_empty());
}

/// Excel's "Unicode text" is UTF-16: every line once failed with a MAC full of NULs.
#[test]
fn utf16_files_are_read_with_or_without_a_bom() {
    let csv = "MAC\tStandort\r\n7C2F80AAAC01\tMünchen\r\n7C2F80AAAC02\tKöln\r\n";
    let scan = "MAC:7C2F80AAAB70\r\n7C2F80AAAB70-1A2B\r\n";
    for little in [true, false] {
        let bom: &[u8] = if little { b"\xFF\xFE" } else { b"\xFE\xFF" };
        for with_bom in [true, false] {
            let bom = if with_bom { bom } else { b"" };
            let (out, macs, file) = import_bytes("u16.csv", &[bom, &utf16(csv, little)].concat());
            assert!(out.status.success(), "{}", stderr(&out));
            assert_eq!(macs, ["7C2F80AAAC01", "7C2F80AAAC02"]);
            let noted = stderr(&out).contains(&format!("{file}:1: note: the file is UTF-16"));
            assert_eq!(noted, !with_bom, "{}", stderr(&out));
            let (out, macs, _) = import_bytes("u16.txt", &[bom, &utf16(scan, little)].concat());
            assert!(out.status.success(), "{}", stderr(&out));
            assert_eq!(macs, ["7C2F80AAAB70"]);
        }
    }
}

/// An empty or header-only file imported nothing without a word.
#[test]
fn a_file_without_device_rows_is_noted() {
    for (bytes, note) in [
        (&b""[..], "the file is empty"),
        (b"MAC,Notes\r\n", "no device rows (only a header)"),
    ] {
        let (out, macs, file) = import_bytes("e.csv", bytes);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(macs.is_empty());
        assert!(
            stderr(&out).contains(&format!("{file}:1: note: {note}")),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn an_unknown_model_option_is_refused_once_before_any_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let csv = dir.path().join("plain.csv");
    std::fs::write(&csv, "MAC\n7C2F80AAAB01\n7C2F80AAAB02\n").unwrap();
    let out = provdesk(&db, &["import", csv.to_str().unwrap(), "--model", "N999"]);
    assert_eq!(out.status.code(), Some(2));
    let error = stderr(&out);
    assert_eq!(
        error.matches("\"N999\" is not in the catalogue").count(),
        1,
        "{error}"
    );
    assert!(!db.exists(), "nothing was opened");
}

/// A file named as a photo that holds something else (a renamed text file, a web page saved
/// under the photo's name) was read as CSV and refused with a CSV error; a truncated JPEG's
/// reason quoted a `\n`. Both now say the file is not a readable photo, and what to do.
#[test]
fn a_photo_that_is_no_image_is_named_with_what_to_do() {
    for name in ["label.png", "label.JPG", "label.jpeg"] {
        let (out, macs, file) = import_bytes(name, b"<html>Not found</html>\n7C2F80AAAB70\n");
        let error = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{error}");
        assert!(
            error.contains(&format!("{file}:1: not a readable PNG or JPEG photo")),
            "{error}"
        );
        assert!(error.contains("holds no PNG or JPEG data"), "{error}");
        assert!(error.contains("a .csv or .txt name"), "{error}");
        assert!(!error.contains("CSV"), "{error}");
        assert!(macs.is_empty(), "nothing imported: {macs:?}");
    }
    let jpeg = jpeg_bytes(&label_sheet(&[("7C2F80AAAB70", BarcodeFormat::CODE_128)]));
    // Cut inside its header: the decoder gives up (cut later, it decodes what arrived).
    let (out, _, file) = import_bytes("cut.jpg", &jpeg[..300]);
    let error = stderr(&out);
    assert!(
        error.contains(&format!("{file}:1: not a readable PNG or JPEG photo")),
        "{error}"
    );
    assert!(error.contains("damaged or cut short"), "{error}");
    assert!(!error.contains(r"\n"), "no escaped line break: {error}");
}

/// A row with several bad fields names each of them, with its column, so one pass over the
/// file fixes them all; the row still counts once.
#[test]
fn every_bad_field_of_a_row_is_named_on_its_line() {
    let csv = b"MAC,MAC-ID,Model,sip1_user,sip1_port\n\
        7C2F80A1B2,7C2F80A1B2-ZZZZ,N999,1001,70000\n\
        7C2F80A1B203,,N510,,\n";
    let (out, macs, file) = import_bytes("several.csv", csv);
    let error = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{error}");
    let named: Vec<&str> = error
        .lines()
        .filter(|line| line.starts_with(&format!("{file}:2: ")))
        .collect();
    assert_eq!(named.len(), 4, "{error}");
    assert!(
        named[0].contains("10 hex digits") && named[0].ends_with("(column 1)"),
        "{error}"
    );
    assert!(
        named[1].contains("7C2F80A1B2-ZZZZ") && named[1].ends_with("(column 2)"),
        "{error}"
    );
    assert!(
        named[2].contains("\"N999\"") && named[2].ends_with("(column 3)"),
        "{error}"
    );
    assert!(
        named[3].contains("70000") && named[3].ends_with("(column 5)"),
        "{error}"
    );
    assert!(error.contains("1 row is invalid"), "{error}");
    assert!(macs.is_empty(), "nothing imported: {macs:?}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("several.csv");
    std::fs::write(&path, csv).unwrap();
    let out = provdesk(
        &dir.path().join("inventory.db"),
        &["import", path.to_str().unwrap(), "--dry-run", "--json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let columns: Vec<&serde_json::Value> = report["invalid_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| &row["column"])
        .collect();
    assert_eq!(columns, [1, 2, 3, 5], "{report:#}");
    let refusal = report["error"].as_str().unwrap();
    assert!(refusal.contains("1 row is invalid"), "one row: {report:#}");
}
