//! Cancelling a rollout, generating its password, and moving devices between sites: a cancel
//! gives the old credentials back and locks no phone out (a phone that may hold the new ones
//! keeps them accepted); a generated password fits every model in scope; a move to a site whose
//! credentials a moved model cannot take is refused whole.

use provdesk::device::{CATALOGUE, Device, Mac, NewDevice, find_model, too_long};
use provdesk::inventory::{
    Inventory, InventoryError, RolloutDirection, RolloutScope, Sighting, SiteDraft,
};
use provdesk::secret::Secret;
use provdesk::templates::generate_password_for;

use crate::support::rollout::{MAXWELL, N510, OWN, SINCE_START, backdate, device, hotel};

/// Long after any rollout a test starts or cancels: a request since.
const LATER: &str = "2999-01-01T00:00:00.000Z";

/// Every pair `provdesk serve` takes for the device's file, as its gate builds them.
fn accepted(device: &Device) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = device
        .digest_credentials()
        .map(|(user, password)| (user.to_string(), password.expose().to_string()))
        .into_iter()
        .collect();
    if device.rollout.is_on() {
        let old = device.rollout.old_username.clone().zip(
            device
                .rollout
                .old_password
                .as_ref()
                .map(|p| p.expose().to_string()),
        );
        pairs.extend(old);
        pairs.extend(
            device
                .rollout
                .interim
                .iter()
                .map(|(user, password)| (user.clone(), password.expose().to_string())),
        );
    }
    pairs
}

fn pair(user: &str, password: &str) -> (String, String) {
    (user.to_string(), password.to_string())
}

/// The phone of `mac` answered with the credentials `credential` at `at`.
fn served(inventory: &mut Inventory, mac: &str, credential: &str, at: &str) {
    inventory
        .record_sighting(&Sighting {
            mac: Mac::parse(mac).unwrap(),
            at,
            firmware: None,
            verdict: "served",
            credential: Some(credential),
        })
        .unwrap();
}

#[test]
fn a_cancel_before_any_phone_fetched_gives_the_old_credentials_back_and_forgets_the_new() {
    let (_dir, _path, mut inventory) = hotel();
    let scope = RolloutScope::Site("Hotel".into());
    inventory
        .start_rollout(&scope, "hotel2", &Secret::new("typo-pw"))
        .unwrap();
    let planned = inventory.plan_cancel_rollout(&RolloutScope::All).unwrap();
    assert_eq!(
        inventory.sites().unwrap()[0]
            .digest_password
            .as_ref()
            .unwrap()
            .expose(),
        "typo-pw",
        "a plan changes nothing"
    );
    let done = inventory.cancel_rollout(&RolloutScope::All).unwrap();
    assert_eq!(done, planned);
    assert_eq!((done.restored, done.rolled_back, done.switched), (2, 0, 0));
    assert_eq!(done.sites, ["Hotel"]);

    let site = &inventory.sites().unwrap()[0];
    assert_eq!(site.digest_username.as_deref(), Some("hotel"));
    assert_eq!(site.digest_password.as_ref().unwrap().expose(), "old-pw");
    for mac in [N510, MAXWELL] {
        let device = device(&inventory, mac);
        assert!(!device.rollout.is_on(), "{mac} left the rollout");
        assert_eq!(accepted(&device), [pair("hotel", "old-pw")], "{mac}");
        assert_eq!(device.digest_username, None, "{mac} takes the site's again");
    }
    assert_eq!(accepted(&device(&inventory, OWN)), [pair("own", "own-pw")]);
    assert!(inventory.rollout_progress().unwrap().is_empty());
    let audit = inventory.audit_log(1).unwrap();
    assert_eq!(audit[0].action, "rollout.cancel");
    assert!(
        audit[0].detail.contains("2 devices back"),
        "{}",
        audit[0].detail
    );
    assert!(!audit[0].detail.contains("typo-pw") && !audit[0].detail.contains("old-pw"));
}

#[test]
fn a_cancel_keeps_the_new_credentials_accepted_for_phones_that_may_hold_them() {
    let (_dir, path, mut inventory) = hotel();
    let scope = RolloutScope::Site("Hotel".into());
    inventory
        .start_rollout(&scope, "hotel2", &Secret::new("new-pw"))
        .unwrap();
    backdate(&path);
    // Since the rollout started (before the cancel): it came back with the new ones.
    served(&mut inventory, N510, "configured", SINCE_START);
    let progress = inventory.rollout_progress().unwrap();
    assert_eq!((progress[0].switched, progress[0].may_hold_new), (1, 1));

    let done = inventory.cancel_rollout(&RolloutScope::All).unwrap();
    assert_eq!((done.restored, done.rolled_back, done.switched), (1, 1, 1));
    assert!(
        done.summary().contains("1 already switched"),
        "{}",
        done.summary()
    );

    let switched = device(&inventory, N510);
    assert_eq!(
        accepted(&switched),
        [pair("hotel", "old-pw"), pair("hotel2", "new-pw")],
        "its next file carries the old credentials; the ones it holds stay accepted"
    );
    assert!(switched.rollout.is_on(), "a rollout back, to enforce later");
    let unseen = device(&inventory, MAXWELL);
    assert_eq!(accepted(&unseen), [pair("hotel", "old-pw")]);
    let progress = inventory.rollout_progress().unwrap();
    assert_eq!((progress[0].devices, progress[0].switched), (1, 0));

    // Once it came back with the old ones, enforcing the rollout back locks nobody out.
    served(&mut inventory, N510, "configured", LATER);
    assert_eq!(inventory.rollout_progress().unwrap()[0].pending(), 0);
    inventory.enforce_rollout(&RolloutScope::All).unwrap();
    assert_eq!(
        accepted(&device(&inventory, N510)),
        [pair("hotel", "old-pw")]
    );
}

/// After a cancel the progress read "Hotel: 0 of 2 switched" under the same heading, with no
/// word that the rollout now goes back; and cancelling that way back again turned it into a
/// rollout to the cancelled credentials.
#[test]
fn a_cancel_marks_the_rollout_as_going_back_and_a_second_cancel_leaves_it_so() {
    let (_dir, path, mut inventory) = hotel();
    let scope = RolloutScope::Site("Hotel".into());
    inventory
        .start_rollout(&scope, "hotel2", &Secret::new("new-pw"))
        .unwrap();
    backdate(&path);
    served(&mut inventory, N510, "configured", SINCE_START);
    let forward = inventory.rollout_progress().unwrap();
    assert_eq!(forward[0].direction, RolloutDirection::Forward);
    assert_eq!(forward[0].cancelled_at, None);

    inventory.cancel_rollout(&scope).unwrap();
    let back = inventory.rollout_progress().unwrap();
    assert_eq!(back.len(), 1, "{back:?}");
    assert_eq!(back[0].direction, RolloutDirection::Back);
    let cancelled = back[0].cancelled_at.clone().expect("when it was cancelled");
    assert!(
        cancelled.starts_with("20") && cancelled.ends_with('Z'),
        "{cancelled}"
    );
    assert!(
        back[0]
            .line()
            .contains("going back to the old credentials (cancelled "),
        "{}",
        back[0].line()
    );
    let n510 = device(&inventory, N510);
    assert!(n510.rollout.is_back());
    assert_eq!(
        inventory.rollout_directions().unwrap().get(N510),
        Some(&RolloutDirection::Back)
    );

    let again = inventory.cancel_rollout(&scope).unwrap();
    assert!(again.only_going_back(), "{again:?}");
    assert_eq!(again.already_back, 1);
    assert_eq!(
        accepted(&device(&inventory, N510)),
        accepted(&n510),
        "a second cancel changes nothing"
    );

    // Started again, the rollout goes forward; enforced, it is over either way.
    inventory
        .start_rollout(&scope, "hotel3", &Secret::new("newer-pw"))
        .unwrap();
    let progress = inventory.rollout_progress().unwrap();
    assert!(
        progress
            .iter()
            .all(|row| row.direction == RolloutDirection::Forward),
        "{progress:?}"
    );
    assert!(!device(&inventory, N510).rollout.is_back());
    inventory.enforce_rollout(&RolloutScope::All).unwrap();
    assert!(inventory.rollout_directions().unwrap().is_empty());
}

#[test]
fn a_cancel_of_a_rollout_started_twice_keeps_the_in_between_credentials_accepted() {
    let (_dir, _path, mut inventory) = hotel();
    let scope = RolloutScope::Devices(vec![Mac::parse(OWN).unwrap()]);
    inventory
        .start_rollout(&scope, "own2", &Secret::new("typo-pw"))
        .unwrap();
    inventory
        .start_rollout(&scope, "own2", &Secret::new("fixed-pw"))
        .unwrap();
    let done = inventory.cancel_rollout(&scope).unwrap();
    assert_eq!((done.restored, done.rolled_back), (0, 1));
    assert!(
        done.sites.is_empty(),
        "a device scope leaves the site alone"
    );
    let own = device(&inventory, OWN);
    assert_eq!(own.digest_username.as_deref(), Some("own"), "its own again");
    assert_eq!(
        accepted(&own),
        [pair("own", "own-pw"), pair("own2", "typo-pw")],
        "it may have fetched the first start's file; it never fetched the second's"
    );
}

#[test]
fn a_site_cancel_of_a_site_without_devices_still_gives_its_credentials_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut inventory = Inventory::open(&dir.path().join("inventory.sqlite3")).unwrap();
    inventory
        .save_site(&SiteDraft {
            name: "Empty".into(),
            digest_username: Some("u".into()),
            digest_password: Some(Secret::new("before")),
            ..SiteDraft::default()
        })
        .unwrap();
    let scope = RolloutScope::Site("Empty".into());
    inventory
        .start_rollout(&scope, "u", &Secret::new("oops"))
        .unwrap();
    inventory
        .start_rollout(&scope, "u", &Secret::new("oops2"))
        .unwrap();
    let done = inventory.cancel_rollout(&scope).unwrap();
    assert_eq!(done.sites, ["Empty"]);
    let site = &inventory.sites().unwrap()[0];
    assert_eq!(site.digest_password.as_ref().unwrap().expose(), "before");
    assert!(matches!(
        inventory.cancel_rollout(&RolloutScope::Site("Nowhere".into())),
        Err(InventoryError::SiteNotFound { .. })
    ));
}

#[test]
fn a_generated_password_fits_every_model_in_scope_and_is_new_each_time() {
    let (_dir, _path, inventory) = hotel();
    let scope = RolloutScope::Site("Hotel".into());
    let first = inventory.generate_rollout_password(&scope).unwrap();
    let second = inventory.generate_rollout_password(&scope).unwrap();
    assert_ne!(first.expose(), second.expose());
    assert!(
        first.char_len() >= 20,
        "strong: {} characters",
        first.char_len()
    );
    assert!(first.expose().chars().all(|c| c.is_ascii_alphanumeric()));
    assert!(
        inventory.plan_rollout(&scope, "hotel", &first).is_ok(),
        "the rollout takes it"
    );
    for model in CATALOGUE {
        let password = generate_password_for(CATALOGUE.iter().map(Some)).unwrap();
        assert!(
            too_long(Some(model), None, Some(&password)).is_empty(),
            "{}",
            model.name
        );
    }
    let n510 = find_model("N510").unwrap();
    let limit = n510.credentials.unwrap().max_len.unwrap();
    assert!(generate_password_for([Some(n510)]).unwrap().char_len() <= limit);
}

/// Site "Long" whose password (60 characters) a Maxwell takes and an N510 (50) does not.
fn with_long_site(inventory: &mut Inventory) {
    inventory
        .save_site(&SiteDraft {
            name: "Long".into(),
            digest_username: Some("long".into()),
            digest_password: Some(Secret::new("p".repeat(60))),
            ..SiteDraft::default()
        })
        .unwrap();
}

#[test]
fn moving_devices_to_a_site_whose_credentials_a_model_cannot_take_is_refused_whole() {
    let (_dir, _path, mut inventory) = hotel();
    with_long_site(&mut inventory);
    let ids: Vec<i64> = [MAXWELL, N510]
        .iter()
        .map(|mac| device(&inventory, mac).id)
        .collect();
    let error = inventory.set_site(&ids, Some("Long")).unwrap_err();
    assert!(matches!(
        error,
        InventoryError::MoveCredentialsTooLong { .. }
    ));
    let said = error.to_string();
    for fact in [
        "nothing was moved to site \"Long\"",
        "60 characters",
        "N510 IP PRO accepts at most 50",
        N510,
        "credentials of their own",
    ] {
        assert!(said.contains(fact), "{fact}: {said}");
    }
    assert!(!said.contains(MAXWELL), "the Maxwell takes it: {said}");
    assert!(
        !said.contains(&"p".repeat(60)),
        "never the password: {said}"
    );
    for mac in [N510, MAXWELL] {
        assert_eq!(
            device(&inventory, mac).site.as_deref(),
            Some("Hotel"),
            "{mac}"
        );
    }

    // A device with credentials of its own takes none from the site: it moves.
    let own = device(&inventory, OWN).id;
    assert_eq!(inventory.set_site(&[own], Some("Long")).unwrap(), 1);
    assert!(
        inventory
            .site_move_lockouts(&[own], Some("Hotel"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_move_that_changes_the_credentials_a_phone_holds_is_counted_for_the_faces_warning() {
    let (_dir, _path, mut inventory) = hotel();
    inventory
        .add_device(&{
            let mut bare = NewDevice::with_mac(Mac::parse("7C2F80820EC3").unwrap());
            bare.model = find_model("N510");
            bare
        })
        .unwrap();
    let ids: Vec<i64> = [N510, OWN, "7C2F80820EC3"]
        .iter()
        .map(|mac| device(&inventory, mac).id)
        .collect();
    assert_eq!(
        inventory.site_move_lockouts(&ids, None).unwrap(),
        [N510],
        "the N510 loses the site's credentials; OWN keeps its own; the last had none to lose"
    );
    assert_eq!(
        inventory
            .site_move_lockouts(&ids[..1], Some("Hotel"))
            .unwrap(),
        Vec::<String>::new(),
        "staying in its site changes nothing"
    );
}
