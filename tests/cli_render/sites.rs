//! Two customers rendered into one folder with one htdigest file: a render for one site
//! neither removes the other site's phones' files nor drops its users from the htdigest file.

use std::path::Path;

use super::{inventory, ok, provdesk, text};

const PRAXIS_PHONE: &str = "7C2F80820EC5";

/// Office (two phones, see `inventory`) and Praxis (one phone with a user of its own).
fn two_sites(db: &Path) {
    inventory(db);
    ok(&provdesk(
        db,
        &[
            "site",
            "set",
            "Praxis",
            "--url",
            "https://prov.example.com/cfg/%MACD.xml",
            "--digest-user",
            "praxis",
            "--digest-password-env",
            "DIGEST_PW",
        ],
    ));
    ok(&provdesk(
        db,
        &[
            "device",
            "add",
            "--mac",
            PRAXIS_PHONE,
            "--model",
            "N720",
            "--site",
            "Praxis",
            "--mac-password-env",
            "MAC_PW",
        ],
    ));
}

fn users(htdigest: &Path) -> Vec<String> {
    let mut users: Vec<String> = std::fs::read_to_string(htdigest)
        .unwrap()
        .lines()
        .map(|line| line.split(':').next().unwrap().to_string())
        .collect();
    users.sort();
    users
}

#[test]
fn a_render_for_one_site_keeps_the_other_sites_files_and_users() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    two_sites(&db);
    let out = dir.path().join("www");
    let htdigest = dir.path().join("users.htdigest");
    let render = |site: &str, extra: &[&str]| {
        let mut args = vec![
            "render",
            "--site",
            site,
            "--out",
            out.to_str().unwrap(),
            "--htdigest",
            htdigest.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        provdesk(&db, &args)
    };
    ok(&render("Praxis", &[]));
    let output = render("Office", &["--prune"]);
    let stdout = ok(&output);
    let stderr = text(&output.stderr);
    assert!(
        out.join(format!("{PRAXIS_PHONE}.xml")).exists(),
        "Praxis's phone keeps its file: {stdout}{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "still holds {PRAXIS_PHONE}.xml (a device of site Praxis, in the inventory"
        )),
        "{stderr}"
    );
    assert_eq!(
        users(&htdigest),
        [
            "7C2F80820EC0",
            "7C2F80820EC1",
            PRAXIS_PHONE,
            "praxis",
            "provision"
        ],
        "Praxis's users stay beside Office's"
    );
    assert!(
        stdout.contains("kept the lines of 2 other users this render does not write"),
        "{stdout}"
    );

    // A render of every device is the truth for the realm: a user no device has goes, said.
    ok(&provdesk(&db, &["device", "rm", PRAXIS_PHONE]));
    let output = provdesk(
        &db,
        &[
            "render",
            "--all",
            "--out",
            out.to_str().unwrap(),
            "--htdigest",
            htdigest.to_str().unwrap(),
        ],
    );
    ok(&output);
    assert_eq!(
        users(&htdigest),
        ["7C2F80820EC0", "7C2F80820EC1", "provision"]
    );
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "dropped 2 users from {} that no device in the inventory logs in as any more: {PRAXIS_PHONE}, praxis",
            htdigest.display()
        )),
        "{stderr}"
    );
}
