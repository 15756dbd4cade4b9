//! `provdesk device set`: a stored device's values changed from a script, as its form in the
//! window changes them.

use std::path::Path;

use crate::support::cli;

/// Runs `provdesk args` (space-separated, `''` for an empty value), which must succeed; its
/// standard output.
fn succeeds(db: &Path, args: &str, env: &[(&str, &str)]) -> String {
    let args: Vec<&str> = args
        .split(' ')
        .map(|arg| if arg == "''" { "" } else { arg })
        .collect();
    cli::succeeds(db, &args, env)
}

fn refused(db: &Path, args: &[&str]) -> String {
    cli::refused(db, args, &[])
}

/// The one device, as `devices --json` shows it (effective values).
fn the_device(db: &Path) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_str(&succeeds(db, "devices --json", &[])).unwrap();
    json[0].clone()
}

/// A device in site Adler, whose provider and URL it inherits.
fn inventory(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = dir.path().join("x.db");
    succeeds(&db, "device add --mac 7c2f80820ec0 --model N510", &[]);
    succeeds(
        &db,
        "site set Adler --provider acme --url https://p.example/%MACD.xml",
        &[],
    );
    succeeds(&db, "device site 7C2F80820EC0 --site Adler", &[]);
    db
}

#[test]
fn given_values_replace_the_devices_own_and_an_empty_one_gives_the_site_s_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = inventory(&dir);
    let set = succeeds(
        &db,
        "device set 7c:2f:80:82:0e:c0 --provider beta --notes by-the-door",
        &[],
    );
    assert_eq!(set.trim(), "updated 7C2F80820EC0: Provider, Notes");
    let device = the_device(&db);
    assert_eq!(device["provider"], "beta");
    assert_eq!(device["notes"], "by-the-door");
    assert_eq!(device["model"], "N510 IP PRO", "a value not given is kept");
    assert_eq!(device["site"], "Adler");

    let again = succeeds(&db, "device set 7C2F80820EC0 --provider beta", &[]);
    assert!(again.contains("unchanged"), "{again}");

    succeeds(&db, "device set 7C2F80820EC0 --provider ''", &[]);
    assert_eq!(the_device(&db)["provider"], "acme", "the site's, again");
}

#[test]
fn bad_values_are_all_named_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = inventory(&dir);
    let before = the_device(&db);
    let message = refused(
        &db,
        &[
            "device",
            "set",
            "7C2F80820EC0",
            "--provider",
            "beta",
            "--url",
            "ftp://x",
            "--mac-id",
            "7C2F80820EC1-0000",
        ],
    );
    assert!(message.contains("7C2F80820EC0 not changed"), "{message}");
    assert!(message.contains("Provisioning URL:"), "{message}");
    assert!(message.contains("MAC-ID:"), "{message}");
    assert_eq!(
        the_device(&db),
        before,
        "the valid provider was not written either"
    );
}

#[test]
fn nothing_to_change_and_an_unknown_device_are_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = inventory(&dir);
    let bare = refused(&db, &["device", "set", "7C2F80820EC0"]);
    assert!(bare.contains("nothing to change"), "{bare}");
    let unknown = refused(&db, &["device", "set", "7C2F80820EC1", "--provider", "x"]);
    assert!(
        unknown.contains("provdesk device add --mac 7C2F80820EC1"),
        "{unknown}"
    );
}

#[test]
fn a_password_from_the_environment_is_set_and_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let db = inventory(&dir);
    let set = succeeds(
        &db,
        "device set 7C2F80820EC0 --digest-password-env PW",
        &[("PW", "s3cret-digest")],
    );
    assert_eq!(set.trim(), "updated 7C2F80820EC0: Digest password");
    assert!(!set.contains("s3cret"));
    assert_eq!(the_device(&db)["has_digest_password"], true);
}

/// A URL whose file provdesk cannot render or serve (a hidden file, a folder) is kept, since
/// another server may provide it, with a warning where it is entered: `device add`, `device
/// set --url` and import say what `render` refuses, in its words.
#[test]
fn a_url_naming_a_hidden_file_or_a_folder_is_kept_with_the_render_s_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let hidden = "starts with '.', which names a hidden file";
    let added = cli::provdesk_with(
        &db,
        &[
            "device",
            "add",
            "--mac",
            "7C2F80820EC0",
            "--model",
            "N510",
            "--url",
            "http://p.example/cfg/.htaccess",
        ],
        &[],
    );
    assert!(added.status.success(), "{}", cli::text(&added.stderr));
    let warned = cli::text(&added.stderr);
    assert!(
        warned.contains("warning: the file name \".htaccess\" from this URL starts with '.'")
            && warned.contains("another server"),
        "{warned}"
    );
    let out = dir.path().join("www");
    let render = refused(&db, &["render", "--all", "--out", out.to_str().unwrap()]);
    assert!(render.contains(hidden), "render refuses it alike: {render}");

    let set = cli::provdesk_with(
        &db,
        &[
            "device",
            "set",
            "7C2F80820EC0",
            "--url",
            "http://p.example/cfg/",
        ],
        &[],
    );
    assert!(set.status.success(), "{}", cli::text(&set.stderr));
    assert!(
        cli::text(&set.stderr).contains("warning: the file name \"\" from this URL is empty"),
        "{}",
        cli::text(&set.stderr)
    );
    let fine = cli::provdesk_with(
        &db,
        &[
            "device",
            "set",
            "7C2F80820EC0",
            "--url",
            "http://p.example/%MACD.xml",
        ],
        &[],
    );
    assert!(fine.status.success());
    assert!(fine.stderr.is_empty(), "{}", cli::text(&fine.stderr));
    assert_eq!(the_device(&db)["url"], "http://p.example/%MACD.xml");

    let csv = dir.path().join("phones.csv");
    std::fs::write(
        &csv,
        "mac,model,url\n7C2F80820EC1,N510,http://p.example/.%MACD.xml\n7C2F80820EC2,N510,http://p.example/%MACD.xml\n",
    )
    .unwrap();
    let imported = cli::provdesk_with(&db, &["import", csv.to_str().unwrap()], &[]);
    assert!(imported.status.success(), "{}", cli::text(&imported.stderr));
    let warned = cli::text(&imported.stderr);
    assert!(
        warned.contains(&format!(
            "{}:2: warning: the file name \".%MACD.xml\" from this URL {hidden}",
            csv.display()
        )),
        "{warned}"
    );
    assert!(!warned.contains(":3: warning"), "{warned}");
}
