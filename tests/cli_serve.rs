//! `provdesk serve` as an installer starts it: before the first phone asks, it names the
//! devices no phone can get its file for, for lack of credentials or of a file.

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
