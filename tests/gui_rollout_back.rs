//! A cancelled rollout in the Serve panel says that it goes back: its own table under "Going
//! back to the old credentials", with when it was cancelled and columns named for the way
//! back, and *Cancel rollout…* off with what to do instead. Before, the table kept the heading
//! "New digest credentials" and read "Switched 0", as if the cancel had done nothing.

use crate::gui_rollout_cancel::rollout_section;
use crate::support::gui;
use crate::support::gui::shows_containing;
use crate::support::rollout::{SINCE_START, backdate, bench};

use egui_kittest::kittest::{NodeT, Queryable};
use gui::{app, click, shows, step_until};
use provdesk::device::Mac;
use provdesk::inventory::{RolloutScope, Sighting};
use provdesk::secret::Secret;

const MAC: &str = "7C2F80820EC0";

#[test]
fn a_cancelled_rollout_is_shown_going_back_and_cannot_be_cancelled_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    let mut inventory = bench(&db, &[MAC]);
    inventory
        .start_rollout(
            &RolloutScope::Site("Bench".into()),
            "bench2",
            &Secret::new("typo-pw"),
        )
        .unwrap();
    backdate(&db);
    inventory
        .record_sighting(&Sighting {
            mac: Mac::parse(MAC).unwrap(),
            at: SINCE_START,
            firmware: None,
            verdict: "served",
            credential: Some("configured"),
        })
        .unwrap();
    let mut harness = app(&db);
    rollout_section(&mut harness);
    step_until(&mut harness, "the rollout's table", |h| {
        shows_containing(h, "New digest credentials: each phone takes them")
    });
    assert!(shows(&harness, "Switched") && !shows(&harness, "On cancelled"));

    click(&mut harness, "Cancel rollout…");
    step_until(&mut harness, "the confirmation", |h| {
        shows(h, "Cancel the rollout?")
    });
    click(&mut harness, "Cancel the rollout");
    step_until(&mut harness, "the rollout back", |h| {
        shows_containing(h, "Going back to the old credentials after a cancel")
    });
    assert!(
        !shows_containing(&harness, "New digest credentials"),
        "the heading of a rollout forward is gone"
    );
    for column in ["Cancelled", "Back", "On cancelled", "Not seen since"] {
        assert!(shows(&harness, column), "{column}");
    }
    assert!(!shows(&harness, "Switched"), "the forward columns are gone");
    assert!(
        shows_containing(&harness, " UTC"),
        "the time it was cancelled"
    );
    let cancel = harness.get_by_label("Cancel rollout…");
    assert!(
        cancel.accesskit_node().is_disabled(),
        "a way back is not cancelled again"
    );
}
