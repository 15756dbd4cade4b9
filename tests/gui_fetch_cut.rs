//! A 2xx whose body did not arrive whole (`body_incomplete`) was drawn as a green arrow, like a
//! success, and the window no longer offered *Save these credentials…* though the server had
//! accepted them. The arrow now says "body cut" in the error colour, and the credentials the
//! server took are offered. Against a loopback server that cuts its file off; nothing is timed.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;

use crate::gui_fetch_fixes::{pick_the_n510, retype_password};
use crate::support::gui::{app, click, shows, shows_containing, step_until};
use provdesk::device::{Mac, NewDevice, ProvisioningUrl, find_model};
use provdesk::inventory::Inventory;
use provdesk::secret::Secret;

const MAC: &str = "7C2F80820EC0";
const RIGHT: &str = "Right-Pw-4711";
const WRONG: &str = "Wrong-Pw-0815";

/// A server that challenges every request but one answering as user `prov`, and gives that
/// one a 200 whose body breaks off after 15 of the 500 bytes its Content-Length announces.
/// It does not check the digest: the fetch's answer is what is under test, not the server's.
fn cutting_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            std::thread::spawn(move || answer(stream));
        }
    });
    format!("http://{address}/cfg/%MACD.xml")
}

fn answer(mut stream: TcpStream) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let reply: &[u8] = if head.contains("username=\"prov\"") {
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/xml\r\nContent-Length: 500\r\n\r\n<ProviderFrame>"
    } else {
        b"HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nWWW-Authenticate: Digest realm=\"prov\", nonce=\"a1b2c3\", qop=\"auth\", algorithm=MD5\r\nContent-Length: 0\r\n\r\n"
    };
    let _ = stream.write_all(reply);
}

/// An N510 at `url` whose digest user is `prov` with the wrong password.
fn inventory(db: &Path, url: &str) {
    let mut inventory = Inventory::open(db).unwrap();
    let mut device = NewDevice::with_mac(Mac::parse(MAC).unwrap());
    device.model = find_model("N510");
    device.url = Some(ProvisioningUrl::parse(url).unwrap());
    device.digest_username = Some("prov".into());
    device.digest_password = Some(Secret::new(WRONG));
    inventory.add_device(&device).unwrap();
}

#[test]
fn a_cut_body_is_drawn_as_cut_and_its_accepted_credentials_are_offered() {
    let url = cutting_server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    inventory(&db, &url);
    let mut harness = app(&db);
    pick_the_n510(&mut harness);
    click(&mut harness, "Try ad hoc from this device");
    retype_password(&mut harness, "Password", RIGHT);
    click(&mut harness, "▶ Start");
    step_until(&mut harness, "body_incomplete", |h| {
        shows(h, "body_incomplete")
    });
    assert!(
        shows_containing(&harness, ": 200 OK (body cut)"),
        "the 200's arrow says its body was cut"
    );
    let save = "Save these credentials to 7C2F80820EC0…";
    step_until(&mut harness, "the offer", |h| shows(h, save));
    click(&mut harness, save);
    click(&mut harness, "Save credentials");
    let stored = || {
        let device = Inventory::open(&db)
            .unwrap()
            .device_by_mac(Mac::parse(MAC).unwrap())
            .unwrap()
            .unwrap();
        device.digest_password.unwrap().expose().to_string()
    };
    step_until(&mut harness, "the credentials kept", |_| stored() == RIGHT);
}
