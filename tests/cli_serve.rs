//! `provdesk serve` as an installer starts it: before the first phone asks, it names the
//! devices no phone can get its file for, for lack of credentials or of a file; and what a
//! phone's requests say names a fix its model takes.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use provdesk::device::{Mac, MacPassword, NewDevice};
use provdesk::inventory::Inventory;

#[test]
fn serve_names_the_devices_without_credentials_when_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut registered = NewDevice::with_mac(Mac::parse("7C2F80820EC0").unwrap());
    registered.mac_password = Some(MacPassword::parse("2EE3EECC82C4").unwrap());
    let bare = NewDevice::with_mac(Mac::parse("7C2F80820ED1").unwrap());
    Inventory::open(&db)
        .unwrap()
        .add_devices(&[registered, bare])
        .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(&db)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env_remove("PROVDESK_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let started = stdout
        .lines()
        .map_while(Result::ok)
        .any(|line| line == "press Ctrl-C to stop");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(started, "the server started");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains(
            "warning: 1 of 2 devices has neither a MAC password nor a digest user and password, so its phone will be refused (7C2F80820ED1). Register it with the redirect server"
        ),
        "{stderr}"
    );
    // Neither has a model, so no file can be made for either.
    assert!(
        stderr.contains(
            "warning: 2 of 2 devices have a file that cannot be rendered, so their phones will get 500 (7C2F80820EC0, 7C2F80820ED1; 7C2F80820EC0: "
        ),
        "{stderr}"
    );
}

/// A phone that never answers its challenge: for an N510, which does not read `user:pass@` in
/// its URL, `provdesk serve` says registering is the way, and not to edit the URL.
#[test]
fn serve_tells_an_n510_that_never_answers_to_register_not_to_edit_its_url() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut n510 = NewDevice::with_mac(Mac::parse("7C2F80820EC0").unwrap());
    n510.model = provdesk::device::find_model("N510");
    Inventory::open(&db).unwrap().add_device(&n510).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(&db)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env_remove("PROVDESK_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("give phones the URL ")
                .map(str::to_string)
        })
        .expect("the URL is printed");
    let (sender, said) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for _ in 0..3 {
        let mut spec = provdesk::fetch::FetchSpec::ad_hoc(url.clone(), n510.model.unwrap());
        spec.mac = Some(n510.mac);
        spec.firmware = Some("42.250".into());
        runtime
            .block_on(provdesk::fetch::run_fetch(&spec, None, &mut |_| {}))
            .unwrap();
    }
    // Bounded: a line that never comes fails the test instead of hanging it.
    let said = std::iter::from_fn(|| said.recv_timeout(std::time::Duration::from_secs(30)).ok())
        .find(|line| line.starts_with("  phone 7C2F80820EC0: never answers"));
    child.kill().unwrap();
    child.wait().unwrap();
    let said = said.expect("the phone's diagnosis is printed");
    assert!(
        said.contains(
            "The N510 IP PRO does not read user:pass@ in its URL, so registering is the way"
        ),
        "{said}"
    );
    assert!(!said.contains("put user:pass@"), "{said}");
}

/// One site served alone that the inventory does not hold (a typo, or a site since deleted)
/// would turn every phone away with 404: `serve` refuses to start and names the sites there are.
#[test]
fn serve_refuses_a_site_the_inventory_does_not_hold() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    drop(crate::support::sites::hotel(
        &db,
        &[("7C2F80820EC0", "N510")],
    ));
    let said = crate::support::cli::refused(
        &db,
        &["serve", "--bind", "127.0.0.1:0", "--site", "Hotle"],
        &[],
    );
    assert!(
        said.contains(
            "no site named \"Hotle\" in the inventory (sites: Hotel): pick one of them to serve alone, or serve every site"
        ),
        "{said}"
    );
}
