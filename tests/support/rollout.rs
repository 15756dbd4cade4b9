//! What the credential rollout's tests share, whichever face they drive: the site they roll
//! out, a password too long for an N510, the CLI with the passwords in its environment, and a
//! clock moved back so that a request "since the start" is before a cancel however fast a test
//! runs.

use std::path::{Path, PathBuf};
use std::process::Output;

use provdesk::device::{Device, Mac, NewDevice, find_model};
use provdesk::inventory::{Inventory, SiteDraft};
use provdesk::secret::Secret;

use super::{cli, sites};

pub const N510: &str = "7C2F80820EC0";
pub const MAXWELL: &str = "7C2F80820EC1";
pub const OWN: &str = "7C2F80820EC2";

/// 62 characters: more than an N510 takes (50), fine for a Maxwell.
pub const LONG: &str = "Aa1-Aa1-Aa1-Aa1-Aa1-Aa1-Aa1-Aa1-Aa1-Aa1-Aa1-Aa1-Aa1-Aa1-Aa1-Aa";

/// After [`backdate`]'s start, before any cancel.
pub const SINCE_START: &str = "2001-01-01T00:00:00.000Z";

/// Moves the rollouts' start to 2000, so that a request "since it started" (2001) is before
/// a cancel's rollout back starts, however fast the test runs.
pub fn backdate(db: &Path) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute(
            "UPDATE devices SET rollout_started_at = '2000-01-01T00:00:00.000Z'
             WHERE rollout_started_at IS NOT NULL",
            [],
        )
        .unwrap();
}

/// Site "Hotel" (user `hotel`, password `old-pw`) with an N510 and a Maxwell 3 that take its
/// credentials and an N510 with credentials of its own.
pub fn hotel() -> (tempfile::TempDir, PathBuf, Inventory) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inventory.sqlite3");
    let inventory = sites::hotel(
        &path,
        &[(N510, "N510"), (MAXWELL, "Maxwell 3"), (OWN, "N510")],
    );
    (dir, path, inventory)
}

/// Site "Bench" (user `bench`, password `old-pw`) with an N510 at each of `macs` that takes its
/// credentials.
pub fn bench(db: &Path, macs: &[&str]) -> Inventory {
    let mut inventory = Inventory::open(db).unwrap();
    inventory
        .save_site(&SiteDraft {
            name: "Bench".into(),
            digest_username: Some("bench".into()),
            digest_password: Some(Secret::new("old-pw")),
            ..SiteDraft::default()
        })
        .unwrap();
    for mac in macs {
        let mut device = NewDevice::with_mac(Mac::parse(mac).unwrap());
        device.model = find_model("N510");
        device.site = Some("Bench".into());
        inventory.add_device(&device).unwrap();
    }
    inventory
}

pub fn device(inventory: &Inventory, mac: &str) -> Device {
    inventory
        .device_by_mac(Mac::parse(mac).unwrap())
        .unwrap()
        .unwrap()
}

/// `provdesk` with the passwords the CLI tests name: `OLD_PW`, `NEW_PW` and `LONG_PW` (60
/// characters).
pub fn provdesk(db: &Path, args: &[&str]) -> Output {
    cli::provdesk_with(
        db,
        args,
        &[
            ("OLD_PW", "old-secret"),
            ("NEW_PW", "n3w-secret"),
            ("LONG_PW", &"p".repeat(60)),
        ],
    )
}

/// The output of a command that must succeed.
pub fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Site Hotel (user `old`, the password in `OLD_PW`) with an N510 and a Maxwell 3 that take its
/// credentials, made with the CLI.
pub fn cli_hotel(db: &Path) {
    ok(provdesk(
        db,
        &[
            "site",
            "set",
            "Hotel",
            "--digest-user",
            "old",
            "--digest-password-env",
            "OLD_PW",
        ],
    ));
    for (mac, model) in [(N510, "N510"), (MAXWELL, "Maxwell 3")] {
        ok(provdesk(
            db,
            &[
                "device", "add", "--mac", mac, "--model", model, "--site", "Hotel",
            ],
        ));
    }
}
