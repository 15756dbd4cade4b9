//! The credential rollout's rules in the store: new credentials too long for a model among the
//! devices are refused whole, naming them and never the password; a rollout started again
//! before it was enforced keeps every credential a phone may hold and restarts its progress;
//! a site's own change is checked by the same rule and counted for the faces' question.

use provdesk::device::Mac;
use provdesk::inventory::{InventoryError, RolloutScope, SiteDraft};
use provdesk::secret::Secret;

use crate::support::rollout::{LONG, MAXWELL, N510, OWN, device, hotel};

#[test]
fn a_password_too_long_for_a_model_is_refused_naming_it_and_changes_nothing() {
    let (_dir, _path, mut inventory) = hotel();
    let scope = RolloutScope::Site("Hotel".into());
    let planned = inventory
        .plan_rollout(&scope, "hotel", &Secret::new(LONG))
        .unwrap_err();
    let error = inventory
        .start_rollout(&scope, "hotel", &Secret::new(LONG))
        .unwrap_err();
    assert_eq!(planned.to_string(), error.to_string());
    assert!(matches!(error, InventoryError::CredentialsTooLong { .. }));
    let said = error.to_string();
    for fact in [
        "62 characters",
        "N510 IP PRO accepts at most 50",
        "1 device",
        N510,
    ] {
        assert!(said.contains(fact), "{fact}: {said}");
    }
    assert!(!said.contains(MAXWELL), "the Maxwell takes it: {said}");
    assert!(!said.contains(OWN), "keeps its own: {said}");
    assert!(!said.contains(LONG), "the password is never said: {said}");

    assert!(inventory.rollout_progress().unwrap().is_empty());
    let site = &inventory.sites().unwrap()[0];
    assert_eq!(site.digest_password.as_ref().unwrap().expose(), "old-pw");
    assert!(!device(&inventory, N510).rollout.is_on());
    let audit = inventory.audit_log(50).unwrap();
    assert!(audit.iter().all(|entry| entry.action != "rollout.start"));

    let devices = RolloutScope::Devices(vec![Mac::parse(OWN).unwrap()]);
    let error = inventory
        .start_rollout(&devices, "x".repeat(51).as_str(), &Secret::new("short"))
        .unwrap_err();
    assert!(
        error.to_string().contains("has 51 characters") && error.to_string().contains(OWN),
        "{error}"
    );
}

#[test]
fn a_plan_counts_the_devices_and_models_a_rollout_gives_the_new_credentials() {
    let (_dir, _path, mut inventory) = hotel();
    let scope = RolloutScope::Site("Hotel".into());
    let plan = inventory
        .plan_rollout(&scope, "hotel2", &Secret::new("new-pw"))
        .unwrap();
    assert_eq!(plan.devices, 2);
    assert_eq!(plan.models_text(), "1 × Maxwell 3, 1 × N510 IP PRO");
    assert_eq!(plan.own_credentials, [OWN]);
    assert_eq!(plan.again, 0);
    assert!(
        inventory.rollout_progress().unwrap().is_empty(),
        "a plan writes nothing"
    );
    assert_eq!(
        inventory
            .start_rollout(&scope, "hotel2", &Secret::new("new-pw"))
            .unwrap(),
        plan
    );
    let audit = inventory.audit_log(1).unwrap();
    assert!(!audit[0].detail.contains("new-pw"), "{}", audit[0].detail);
}

#[test]
fn a_rollout_started_again_keeps_every_pair_a_phone_may_hold_and_restarts_its_progress() {
    let (_dir, _path, mut inventory) = hotel();
    let scope = RolloutScope::Site("Hotel".into());
    inventory
        .start_rollout(&scope, "hotel", &Secret::new("typo-pw"))
        .unwrap();
    let again = inventory
        .start_rollout(&scope, "hotel", &Secret::new("fixed-pw"))
        .unwrap();
    assert_eq!(again.again, 2);
    assert!(
        again
            .again_note()
            .unwrap()
            .starts_with("2 devices were already in a rollout")
    );
    let maxwell = device(&inventory, MAXWELL);
    assert_eq!(
        maxwell.rollout.old_password.as_ref().unwrap().expose(),
        "old-pw"
    );
    let interim: Vec<(&str, &str)> = maxwell
        .rollout
        .interim
        .iter()
        .map(|(user, password)| (user.as_str(), password.expose()))
        .collect();
    assert_eq!(interim, [("hotel", "typo-pw")]);
    assert_eq!(
        maxwell.effective_digest_password().unwrap().expose(),
        "fixed-pw"
    );

    // A third start back to the typo keeps no pair twice.
    inventory
        .start_rollout(&scope, "hotel", &Secret::new("typo-pw"))
        .unwrap();
    let pairs = device(&inventory, MAXWELL).rollout.interim;
    assert_eq!(pairs.len(), 2, "typo-pw and fixed-pw");

    assert_eq!(inventory.enforce_rollout(&scope).unwrap(), 2);
    assert!(device(&inventory, MAXWELL).rollout.interim.is_empty());
}

#[test]
fn a_site_credential_change_is_counted_and_checked_against_the_models_that_take_it() {
    let (_dir, _path, mut inventory) = hotel();
    let site = inventory.sites().unwrap().remove(0);
    let same = SiteDraft {
        name: "Hotel".into(),
        digest_username: Some("hotel".into()),
        digest_password: Some(Secret::new("old-pw")),
        ..SiteDraft::default()
    };
    assert_eq!(site.credential_change(&same), 0);
    let new_password = SiteDraft {
        digest_password: Some(Secret::new("new-pw")),
        ..same.clone()
    };
    assert_eq!(
        site.credential_change(&new_password),
        2,
        "not the one with its own"
    );

    let long = SiteDraft {
        digest_password: Some(Secret::new(LONG)),
        ..same.clone()
    };
    let error = inventory.save_site(&long).unwrap_err();
    let said = error.to_string();
    assert!(
        said.contains("N510 IP PRO accepts at most 50") && said.contains(N510),
        "{said}"
    );
    assert!(!said.contains(OWN) && !said.contains(LONG), "{said}");
    let stored = inventory.sites().unwrap().remove(0);
    assert_eq!(stored.digest_password.unwrap().expose(), "old-pw");
    // Other values still save, and an unchanged password is not checked again.
    inventory
        .save_site(&SiteDraft {
            provider: Some("acme".into()),
            ..same
        })
        .unwrap();
}

/// Credentials given to a site for the first time: no phone can hold old ones, so nothing is
/// refused (`site set` asked for --force even then).
#[test]
fn credentials_a_site_never_had_lock_no_phone_out() {
    let (_dir, _path, mut inventory) = hotel();
    let lobby = inventory
        .save_site(&SiteDraft {
            name: "Lobby".into(),
            ..SiteDraft::default()
        })
        .unwrap();
    let n510 = inventory
        .device_by_mac(Mac::parse(N510).unwrap())
        .unwrap()
        .unwrap();
    inventory.set_site(&[n510.id], Some("Lobby")).unwrap();
    let lobby = inventory
        .sites()
        .unwrap()
        .into_iter()
        .find(|site| site.name == lobby.name)
        .unwrap();
    assert_eq!(lobby.device_count, 1);
    let first = SiteDraft {
        name: "Lobby".into(),
        digest_username: Some("lobby".into()),
        digest_password: Some(Secret::new("lobby-pw")),
        ..SiteDraft::default()
    };
    assert_eq!(lobby.credential_change(&first), 0, "nothing to lose");
    inventory.save_site(&first).unwrap();
    let second = SiteDraft {
        digest_password: Some(Secret::new("lobby-pw-2")),
        ..first
    };
    let lobby = inventory
        .sites()
        .unwrap()
        .into_iter()
        .find(|site| site.name == "Lobby")
        .unwrap();
    assert_eq!(
        lobby.credential_change(&second),
        1,
        "now it has a pair to lose"
    );
}
