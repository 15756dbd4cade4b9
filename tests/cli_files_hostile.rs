//! Files given to provdesk that are not what they seem (hostile-input review 4): an inventory
//! or a hard link to it where a label file or a rendered file's name should be, a pipe or
//! `/dev/stdout` as the export, a group-readable inventory, a damaged schema.

use crate::support::cli::text;

use std::path::Path;
use std::process::{Command, Output, Stdio};

const MAC: &str = "7C2F80820EC0";
const MAC_PASSWORD: &str = "918273645501";
const DIGEST_PASSWORD: &str = "Dig3stPW&<\"x";

fn provdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PROVDESK_DB")
        .env("MAC_PW", MAC_PASSWORD)
        .env("DIGEST_PW", DIGEST_PASSWORD)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn ok(output: &Output) -> String {
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
}

fn failed(output: &Output) -> String {
    assert!(!output.status.success(), "{}", text(&output.stdout));
    text(&output.stderr)
}

/// An inventory holding one device with a MAC password and digest credentials.
fn inventory(db: &Path) {
    ok(&provdesk(
        db,
        &[
            "device",
            "add",
            "--mac",
            MAC,
            "--model",
            "N510",
            "--mac-password-env",
            "MAC_PW",
        ],
    ));
    ok(&provdesk(
        db,
        &[
            "device",
            "set",
            MAC,
            "--digest-user",
            "prov",
            "--digest-password-env",
            "DIGEST_PW",
        ],
    ));
}

fn set_url(db: &Path, url: &str) {
    ok(&provdesk(db, &["device", "set", MAC, "--url", url]));
}

fn devices_listed(db: &Path) -> String {
    ok(&provdesk(db, &["devices"]))
}

/// A copy or backup of an inventory read as labels quoted its pages, passwords and all, as
/// row problems (and in `--json`).
#[test]
fn an_inventory_copy_is_refused_as_labels_without_a_word_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = dir.path().join("colleague.sqlite3");
    inventory(&theirs);
    let mine = dir.path().join("mine.sqlite3");
    for json in [false, true] {
        let mut args = vec!["import", theirs.to_str().unwrap(), "--dry-run"];
        if json {
            args.push("--json");
        }
        let out = provdesk(&mine, &args);
        let said = failed(&out) + &text(&out.stdout);
        assert!(said.contains("is an SQLite database"), "{said}");
        assert!(!said.contains(MAC_PASSWORD), "{said}");
        assert!(!said.contains("Dig3stPW"), "{said}");
    }
}

/// `ln inventory.sqlite3 labels.csv`: the open inventory under another name is refused as the
/// open inventory, without being opened beside SQLite.
#[cfg(unix)]
#[test]
fn a_hard_link_to_the_open_inventory_is_known_for_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory(&db);
    let link = dir.path().join("labels.csv");
    std::fs::hard_link(&db, &link).unwrap();
    let said = failed(&provdesk(&db, &["import", link.to_str().unwrap()]));
    assert!(said.contains("the inventory provdesk has open"), "{said}");
}

/// The rendered file's name comes from the device's URL: one ending in the inventory's own
/// name replaced the inventory with a configuration file.
#[test]
fn a_url_naming_the_inventory_renders_nothing_and_says_which_device() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory(&db);
    set_url(&db, "https://p.example/inventory.sqlite3");
    let out_dir = dir.path().to_str().unwrap();
    let said = failed(&provdesk(
        &db,
        &["render", "--device", MAC, "--out", out_dir],
    ));
    assert!(
        said.contains(&format!("device {MAC}'s provisioning URL")),
        "{said}"
    );
    assert!(said.contains("the inventory provdesk has open"), "{said}");
    assert!(devices_listed(&db).contains(MAC), "the inventory is intact");
}

/// `.htaccess` is the web server's configuration for the folder, and the htdigest file its
/// user list: a device's URL may name neither.
#[test]
fn a_url_naming_a_hidden_file_or_the_htdigest_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory(&db);
    let web = dir.path().join("web");
    std::fs::create_dir(&web).unwrap();
    let web_dir = web.to_str().unwrap();
    set_url(&db, "https://p.example/cfg/.htaccess");
    let said = failed(&provdesk(
        &db,
        &["render", "--device", MAC, "--out", web_dir],
    ));
    assert!(said.contains("\".htaccess\""), "{said}");
    assert!(said.contains("starts with '.'"), "{said}");

    set_url(&db, "https://p.example/cfg/users.htdigest");
    let htdigest = web.join("users.htdigest");
    std::fs::write(&htdigest, "old:realm:0123\n").unwrap();
    let said = failed(&provdesk(
        &db,
        &[
            "render",
            "--device",
            MAC,
            "--out",
            web_dir,
            "--htdigest",
            htdigest.to_str().unwrap(),
        ],
    ));
    assert!(said.contains("is the htdigest file"), "{said}");
    assert_eq!(
        std::fs::read_to_string(&htdigest).unwrap(),
        "old:realm:0123\n"
    );
    assert_eq!(
        std::fs::read_dir(&web).unwrap().count(),
        1,
        "nothing written"
    );
}

/// `export --csv /dev/stdout | head` waited forever: the check for a database opened the
/// target to read it, which for a pipe is provdesk's own output.
#[cfg(unix)]
#[test]
fn an_export_to_dev_stdout_goes_down_the_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory(&db);
    let out = provdesk(&db, &["export", "--csv", "/dev/stdout"]);
    let csv = ok(&out);
    assert!(csv.starts_with("MAC,"), "{csv}");
    assert!(csv.contains(MAC), "{csv}");
}

/// A `touch`ed file, or a copied inventory, kept the mode it had: a world-readable inventory
/// with MAC passwords in it.
#[cfg(unix)]
#[test]
fn an_inventory_readable_by_others_is_made_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("touched.sqlite3");
    std::fs::write(&db, "").unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o666)).unwrap();
    inventory(&db);
    assert_eq!(mode(&db), 0o600);

    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = provdesk(&db, &["devices"]);
    ok(&out);
    let said = text(&out.stderr);
    assert!(
        said.contains("it was readable by other users (mode 0644)"),
        "{said}"
    );
    assert!(said.contains("note: made "), "{said}");
    assert!(
        said.contains("touched.sqlite3 readable by you only (0600)"),
        "{said}"
    );
    assert_eq!(mode(&db), 0o600);
    let quiet = provdesk(&db, &["devices"]);
    assert_eq!(text(&quiet.stderr), "", "said once, when it was changed");
}

/// A column renamed by hand gave "no such column … (20 lines of SQL)", and `import` reported
/// success on such a file.
#[test]
fn a_schema_missing_a_column_is_refused_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory(&db);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("ALTER TABLE devices RENAME COLUMN notes TO notez")
            .unwrap();
    }
    for args in [&["devices"][..], &["import", "/dev/null"][..]] {
        let said = failed(&provdesk(&db, args));
        assert!(said.contains("is damaged"), "{said}");
        assert!(said.contains("devices.notes"), "{said}");
        assert!(!said.contains("SELECT"), "{said}");
    }
}
