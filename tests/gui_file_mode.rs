//! The window says so when it made an inventory other users could read private: the same
//! words as the command line, in the status bar.

#[cfg(unix)]
#[test]
fn an_inventory_readable_by_others_is_made_private_and_the_status_bar_says_so() {
    use crate::support::gui::{app, shows_containing, step_until};
    use provdesk::inventory::Inventory;
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    drop(Inventory::open(&db).unwrap());
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the note", |h| {
        shows_containing(h, "it was readable by other users (mode 0644)")
    });
    let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}
