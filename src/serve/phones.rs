//! The phones seen, one row per device, and what their requests say when read together: a
//! single 401 is a phone's normal first request, but only-401s, a stale-nonce loop or a phone
//! that downloads its file and asks again at once each have a cause and a fix.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::Serialize;

use super::event::{ServeEvent, Verdict};
use super::gate::{Credential, Refusal};
use super::url_hint::UrlCredentialsHint;
use crate::inventory::RolloutDirection;

/// A phone that asks again this soon after it was served probably refused the file.
const ASKS_AGAIN_WITHIN_MS: i64 = 60_000;
/// Stale nonces in a row that make a loop.
const STALE_LOOP: usize = 3;
/// Requests without credentials in a row that mean the phone has none to give.
const NEVER_ANSWERS: usize = 3;
/// Rows kept for MACs the inventory does not hold: anyone on the LAN can ask for invented
/// MACs, and each would otherwise keep a row until the server stops.
const MAX_STRANGERS: usize = 1024;

/// What a phone's requests say, with the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneDiagnosis {
    Served,
    /// Served to the credentials a rollout replaces; which way the device's rollout goes now
    /// (`None`: it was enforced since), as that is what its file carries and what is accepted.
    ServedOldCredentials {
        rollout: Option<RolloutDirection>,
    },
    /// Whether `user:pass@` in its URL is a fix, as its model reads them or not.
    NoCredentialsEverSent {
        in_url: UrlCredentialsHint,
    },
    UnknownUser {
        user: String,
    },
    /// Its user field holds a password (never quoted): `this_device` as in the refusal.
    PasswordAsUser {
        this_device: bool,
    },
    MacPasswordUnknown,
    WrongPassword {
        user: String,
    },
    WrongRealm,
    StaleNonceLoop,
    UriMismatch,
    AskedForFolderFile,
    AsksAgainAfterDownload,
    UnknownDevice,
    LockedOut,
    /// Answered its challenge right, then got `500`: its file cannot be rendered.
    FileCannotBeRendered {
        why: String,
    },
    /// Got `500`: the inventory could not be read.
    InventoryUnreadable {
        why: String,
    },
    /// Got `404`: its device is in another site than the one served.
    OtherSite {
        serving: String,
    },
    Waiting,
}

impl PhoneDiagnosis {
    /// The cause and the fix, in words.
    pub fn explain(&self) -> String {
        match self {
            PhoneDiagnosis::Served => "got its file".into(),
            PhoneDiagnosis::ServedOldCredentials { rollout } => served_old(*rollout).into(),
            PhoneDiagnosis::NoCredentialsEverSent { in_url } => format!("never answers the challenge: the phone has no credentials. Register it with the redirect server (it then knows its MAC password){}", in_url.sentence_end()),
            PhoneDiagnosis::UnknownUser { user } => format!("answers as \"{user}\", which is not this device's: check the digest user on the phone and in the inventory"),
            PhoneDiagnosis::PasswordAsUser { this_device: true } => "answers with this device's password as its user name: the user and password fields on the phone are swapped; enter the user (its MAC, or the digest user) as user and the password as password".into(),
            PhoneDiagnosis::PasswordAsUser { this_device: false } => "answers with another device's password as its user name: the user and password fields on the phone are swapped, and it holds another device's credentials; enter this device's user and password".into(),
            PhoneDiagnosis::MacPasswordUnknown => "answers with its MAC and MAC password, but the inventory has no MAC password for it: register it with the redirect server (its answer brings the MAC password), or give it or its site a digest user and password".into(),
            PhoneDiagnosis::WrongPassword { user } => format!("wrong password for \"{user}\": the phone holds another password than the inventory (MAC password from another registration, or an old digest password)"),
            PhoneDiagnosis::WrongRealm => "answers for another realm: the phone caches an old challenge; restart its provisioning".into(),
            PhoneDiagnosis::StaleNonceLoop => "stale nonce again and again: the phone's clock or its nonce handling; raise --nonce-lifetime".into(),
            PhoneDiagnosis::UriMismatch => "hashes another uri than it requests: a proxy between phone and laptop rewrites the path".into(),
            PhoneDiagnosis::AskedForFolderFile => "asked for provisioning.xml: its URL names a folder; give it a URL ending in %MACD.xml".into(),
            PhoneDiagnosis::AsksAgainAfterDownload => "downloaded its file and asks again at once: the file was probably rejected; check MAC_ADDRESS, PROFILE_NAME or productID for its model".into(),
            PhoneDiagnosis::UnknownDevice => "its MAC is not in the inventory: add it".into(),
            PhoneDiagnosis::LockedOut => "its address is locked out after refused answers from that address, maybe another phone's (the lock-out counts per address): fix the credentials of the refused phone behind it, then restart the server or wait".into(),
            PhoneDiagnosis::FileCannotBeRendered { why } => format!("got 500: its file cannot be rendered ({why}). Fix the template (Templates) or the device's values; its next request gets the file"),
            PhoneDiagnosis::InventoryUnreadable { why } => format!("got 500: the inventory could not be read ({why})"),
            PhoneDiagnosis::OtherSite { serving } => format!("got 404: its device is not in {serving}, the only site served; serve every site, or put the device in {serving}"),
            PhoneDiagnosis::Waiting => "challenged; waiting for its answer".into(),
        }
    }

    /// How urgently the installer should look, lower first: the laptop's own faults, then the
    /// phones that are refused, then those still waiting, then those served.
    fn attention(&self) -> u8 {
        match self {
            here if here.fault_is_here() => 0,
            PhoneDiagnosis::Waiting => 2,
            PhoneDiagnosis::Served | PhoneDiagnosis::ServedOldCredentials { .. } => 3,
            _ => 1,
        }
    }

    /// Whether the phone needs the installer: refused, or failed by this laptop; not one served
    /// or still waiting for its answer to a challenge. The panel's *Only phones with problems*.
    pub fn is_problem(&self) -> bool {
        self.attention() <= 1
    }

    /// Whether this laptop failed the phone (its answer was right, or not asked for): said
    /// in red, as no change on the phone helps.
    pub fn fault_is_here(&self) -> bool {
        matches!(
            self,
            PhoneDiagnosis::FileCannotBeRendered { .. }
                | PhoneDiagnosis::InventoryUnreadable { .. }
                | PhoneDiagnosis::OtherSite { .. }
        )
    }
}

/// A phone served to the credentials being replaced, by which way its rollout goes now: the
/// file it got carries the present ones, so its next request should answer with those.
fn served_old(rollout: Option<RolloutDirection>) -> &'static str {
    match rollout {
        Some(RolloutDirection::Forward) => {
            "got its file with its old credentials (rollout on); the file carries the new ones, so its next request should use them"
        }
        Some(RolloutDirection::Back) => {
            "got its file with the credentials of the cancelled rollout (going back to the old credentials); the file carries the old ones again, so its next request should use them"
        }
        None => {
            "got its file with credentials a rollout replaced, which ended since: only those its file carries are accepted now, so its next request should use them"
        }
    }
}

/// One device's row.
#[derive(Debug, Clone, Serialize)]
pub struct Phone {
    pub device: String,
    pub last_seen: String,
    pub client: String,
    pub model: Option<String>,
    pub firmware: Option<String>,
    pub requests: usize,
    pub last_status: u16,
    pub diagnosis: PhoneDiagnosis,
    #[serde(skip)]
    recent: Vec<ServeEvent>,
    /// The book's request count at this phone's latest request, to tell the oldest row.
    #[serde(skip)]
    latest: u64,
    /// The address the device's file was last served to: once served, a request without its
    /// credentials from another address (anyone on the LAN can send one) is logged but does not
    /// change the row.
    #[serde(skip)]
    served_to: Option<IpAddr>,
}

/// Every phone seen since the server started.
#[derive(Debug, Default)]
pub struct PhoneBook {
    phones: BTreeMap<String, Phone>,
    requests: u64,
    /// Which way each device in a rollout goes, by MAC, as last read from the inventory.
    rollouts: BTreeMap<String, RolloutDirection>,
}

impl PhoneBook {
    /// Adds one request; returns the device's row when its diagnosis changed.
    pub fn record(&mut self, event: &ServeEvent) -> Option<&Phone> {
        let device = event.device.clone()?;
        let authenticated = matches!(event.verdict, Verdict::Served { .. });
        if !authenticated
            && self.phones.get(&device).is_some_and(|phone| {
                phone
                    .served_to
                    .is_some_and(|served| served != event.client.ip())
            })
        {
            return None;
        }
        let stranger = matches!(event.verdict, Verdict::UnknownDevice { .. });
        if stranger && !self.phones.contains_key(&device) {
            self.forget_oldest_stranger_when_full();
        }
        self.requests += 1;
        let phone = self.phones.entry(device.clone()).or_insert_with(|| Phone {
            device,
            last_seen: String::new(),
            client: String::new(),
            model: None,
            firmware: None,
            requests: 0,
            last_status: 0,
            diagnosis: PhoneDiagnosis::Waiting,
            recent: Vec::new(),
            latest: 0,
            served_to: None,
        });
        phone.latest = self.requests;
        phone.last_seen = event.at.clone();
        phone.client = event.client.to_string();
        // Once served, the model and firmware shown are those of requests that passed: any
        // client can name another firmware in its User-Agent.
        if authenticated || phone.served_to.is_none() {
            phone.model = event.model.clone().or(phone.model.take());
            phone.firmware = event.firmware.clone().or(phone.firmware.take());
        }
        if authenticated {
            phone.served_to = Some(event.client.ip());
        }
        phone.requests += 1;
        phone.last_status = event.status;
        phone.recent.push(event.clone());
        if phone.recent.len() > 8 {
            phone.recent.remove(0);
        }
        let diagnosis = diagnose(&phone.recent, self.rollouts.get(&phone.device).copied());
        let changed = diagnosis != phone.diagnosis;
        phone.diagnosis = diagnosis;
        changed.then_some(&*phone)
    }

    /// Takes which way each device's rollout goes now (read again after a rollout was
    /// started, cancelled or enforced) and says every phone's requests again by it: a phone
    /// served to its old credentials before a cancel would still read "the file carries the
    /// new ones". Returns whether a diagnosis changed.
    pub fn set_rollouts(&mut self, rollouts: BTreeMap<String, RolloutDirection>) -> bool {
        if rollouts == self.rollouts {
            return false;
        }
        self.rollouts = rollouts;
        let mut changed = false;
        for phone in self.phones.values_mut() {
            let diagnosis = diagnose(&phone.recent, self.rollouts.get(&phone.device).copied());
            changed |= diagnosis != phone.diagnosis;
            phone.diagnosis = diagnosis;
        }
        changed
    }

    /// A new run: no phone seen yet, the rollouts as last read kept.
    pub fn clear(&mut self) {
        self.phones.clear();
        self.requests = 0;
    }

    pub fn phones(&self) -> impl Iterator<Item = &Phone> {
        self.phones.values()
    }

    /// The phones in the order to look at them while 30 boot at once: problems first (the
    /// laptop's own, then refusals), then those waiting, then those served; the latest to ask
    /// first within each. By MAC, a refused phone scrolled out of sight among the served.
    pub fn by_attention(&self) -> Vec<&Phone> {
        let mut phones: Vec<&Phone> = self.phones.values().collect();
        phones.sort_by_key(|phone| (phone.diagnosis.attention(), std::cmp::Reverse(phone.latest)));
        phones
    }

    /// Makes room for one more unknown MAC by dropping the one that asked longest ago.
    fn forget_oldest_stranger_when_full(&mut self) {
        let strangers = || {
            self.phones
                .values()
                .filter(|phone| phone.diagnosis == PhoneDiagnosis::UnknownDevice)
        };
        if strangers().count() < MAX_STRANGERS {
            return;
        }
        if let Some(oldest) = strangers()
            .min_by_key(|phone| phone.latest)
            .map(|phone| phone.device.clone())
        {
            self.phones.remove(&oldest);
        }
    }
}

/// The diagnosis of a device's latest requests, newest last, with the way its rollout goes.
fn diagnose(recent: &[ServeEvent], rollout: Option<RolloutDirection>) -> PhoneDiagnosis {
    let Some(last) = recent.last() else {
        return PhoneDiagnosis::Waiting;
    };
    let refusal = |event: &ServeEvent| match &event.verdict {
        Verdict::Refused { refusal } => Some(refusal.clone()),
        _ => None,
    };
    let tail_all = |n: usize, test: &dyn Fn(&ServeEvent) -> bool| {
        recent.len() >= n && recent[recent.len() - n..].iter().all(test)
    };
    let served = |event: &ServeEvent| matches!(event.verdict, Verdict::Served { .. });
    let served_before = recent[..recent.len() - 1].iter().rev().find(|e| served(e));
    // Asking again is told by a second download, not by a request without credentials after
    // the first: a phone's every fetch starts with one, and so can anyone's request.
    if served(last)
        && let Some(before) = served_before
        && millis_between(&before.at, &last.at).is_some_and(|ms| ms <= ASKS_AGAIN_WITHIN_MS)
    {
        return PhoneDiagnosis::AsksAgainAfterDownload;
    }
    match &last.verdict {
        Verdict::Served {
            credential: Credential::OldConfigured,
        } => return PhoneDiagnosis::ServedOldCredentials { rollout },
        Verdict::Served { .. } => return PhoneDiagnosis::Served,
        Verdict::UnknownDevice { .. } => return PhoneDiagnosis::UnknownDevice,
        Verdict::LockedOut { .. } => return PhoneDiagnosis::LockedOut,
        Verdict::RenderFailed { why } => {
            return PhoneDiagnosis::FileCannotBeRendered { why: why.clone() };
        }
        Verdict::InventoryFailed { why } => {
            return PhoneDiagnosis::InventoryUnreadable { why: why.clone() };
        }
        Verdict::OtherSite { serving } => {
            return PhoneDiagnosis::OtherSite {
                serving: serving.clone(),
            };
        }
        _ => {}
    }
    if last.target.ends_with(super::FOLDER_FILE) {
        return PhoneDiagnosis::AskedForFolderFile;
    }
    if tail_all(STALE_LOOP, &|e| {
        matches!(
            refusal(e),
            Some(Refusal::StaleNonce | Refusal::UnknownNonce)
        )
    }) {
        return PhoneDiagnosis::StaleNonceLoop;
    }
    if served_before.is_none()
        && tail_all(NEVER_ANSWERS, &|e| {
            refusal(e) == Some(Refusal::NoCredentials)
        })
    {
        let model = recent.iter().rev().find_map(|e| e.model.as_deref());
        let firmware = recent.iter().rev().find_map(|e| e.firmware.as_deref());
        return PhoneDiagnosis::NoCredentialsEverSent {
            in_url: UrlCredentialsHint::for_phone(model, firmware),
        };
    }
    match refusal(last) {
        Some(Refusal::UnknownUser { user }) => PhoneDiagnosis::UnknownUser { user },
        Some(Refusal::PasswordAsUser { this_device }) => {
            PhoneDiagnosis::PasswordAsUser { this_device }
        }
        Some(Refusal::MacPasswordUnknown { .. }) => PhoneDiagnosis::MacPasswordUnknown,
        Some(Refusal::WrongPassword { user }) => PhoneDiagnosis::WrongPassword { user },
        Some(Refusal::WrongRealm { .. }) => PhoneDiagnosis::WrongRealm,
        Some(Refusal::UriMismatch { .. }) => PhoneDiagnosis::UriMismatch,
        _ => PhoneDiagnosis::Waiting,
    }
}

fn millis_between(earlier: &str, later: &str) -> Option<i64> {
    let parse = |text: &str| chrono::DateTime::parse_from_rfc3339(text).ok();
    Some((parse(later)? - parse(earlier)?).num_milliseconds())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::Credential;

    fn event(second: u32, target: &str, verdict: Verdict) -> ServeEvent {
        ServeEvent {
            at: format!("2026-12-06T12:00:{second:02}.000Z"),
            client: "192.168.1.31:5060".parse().unwrap(),
            method: "GET".into(),
            target: target.into(),
            device: Some("7C2F80820EC0".into()),
            model: Some("N510 IP PRO".into()),
            firmware: None,
            user: None,
            verdict,
            status: 401,
            bytes: 0,
            millis: 0,
            note: None,
        }
    }

    fn refused(second: u32, refusal: Refusal) -> ServeEvent {
        event(second, "/7C2F80820EC0.xml", Verdict::Refused { refusal })
    }

    fn diagnosis_of(events: &[ServeEvent]) -> PhoneDiagnosis {
        let mut book = PhoneBook::default();
        for event in events {
            book.record(event);
        }
        book.phones().next().unwrap().diagnosis.clone()
    }

    #[test]
    fn request_patterns_read_as_causes() {
        let none = || refused(1, Refusal::NoCredentials);
        assert_eq!(diagnosis_of(&[none()]), PhoneDiagnosis::Waiting);
        assert_eq!(
            diagnosis_of(&[none(), none(), none()]),
            PhoneDiagnosis::NoCredentialsEverSent {
                in_url: UrlCredentialsHint::Never {
                    model: "N510 IP PRO".into()
                }
            }
        );
        let stale = || refused(2, Refusal::StaleNonce);
        assert_eq!(
            diagnosis_of(&[none(), stale(), stale(), stale()]),
            PhoneDiagnosis::StaleNonceLoop
        );
        let wrong = refused(
            3,
            Refusal::WrongPassword {
                user: "provision".into(),
            },
        );
        assert_eq!(
            diagnosis_of(&[none(), wrong]),
            PhoneDiagnosis::WrongPassword {
                user: "provision".into()
            }
        );
        let served = event(
            4,
            "/7C2F80820EC0.xml",
            Verdict::Served {
                credential: Credential::MacPassword,
            },
        );
        assert_eq!(
            diagnosis_of(&[none(), served.clone()]),
            PhoneDiagnosis::Served
        );
        assert_eq!(
            diagnosis_of(&[none(), served.clone(), none(), served.clone()]),
            PhoneDiagnosis::AsksAgainAfterDownload,
            "downloaded again within a minute"
        );
        let later = |second| event(second, "/7C2F80820EC0.xml", served.verdict.clone());
        assert_eq!(
            diagnosis_of(&[served.clone(), later(59)]),
            PhoneDiagnosis::AsksAgainAfterDownload
        );
        let folder = event(
            5,
            "/prov/provisioning.xml",
            Verdict::Refused {
                refusal: Refusal::NoCredentials,
            },
        );
        assert_eq!(diagnosis_of(&[folder]), PhoneDiagnosis::AskedForFolderFile);
    }

    /// A right answer then `500` was shown as "challenged; waiting for its answer".
    #[test]
    fn a_file_that_cannot_be_rendered_is_the_laptop_s_fault_with_why() {
        let none = refused(1, Refusal::NoCredentials);
        let failed = event(
            2,
            "/7C2F80820EC0.xml",
            Verdict::RenderFailed {
                why: "S_PROV_PASSWORD has 62 characters".into(),
            },
        );
        let diagnosis = diagnosis_of(&[none, failed]);
        assert!(diagnosis.fault_is_here(), "{diagnosis:?}");
        let explained = diagnosis.explain();
        assert!(explained.starts_with("got 500"), "{explained}");
        assert!(explained.contains("S_PROV_PASSWORD has 62"), "{explained}");
        let other = event(
            3,
            "/7C2F80820EC0.xml",
            Verdict::OtherSite {
                serving: "Lobby".into(),
            },
        );
        assert!(diagnosis_of(&[other]).explain().contains("not in Lobby"));
        assert!(!diagnosis_of(&[refused(4, Refusal::NoCredentials)]).fault_is_here());
    }

    #[test]
    fn problems_come_first_and_the_latest_first_among_equals() {
        let mut book = PhoneBook::default();
        let at = |mac: &str, second, verdict| ServeEvent {
            device: Some(mac.into()),
            ..event(second, &format!("/{mac}.xml"), verdict)
        };
        let served = || Verdict::Served {
            credential: Credential::MacPassword,
        };
        book.record(&at("7C2F80000001", 1, served()));
        book.record(&at(
            "7C2F80000002",
            2,
            Verdict::RenderFailed { why: "x".into() },
        ));
        book.record(&at("7C2F80000003", 3, served()));
        let wrong = Verdict::Refused {
            refusal: Refusal::WrongPassword { user: "u".into() },
        };
        book.record(&at("7C2F80000004", 4, wrong));
        let order: Vec<&str> = book
            .by_attention()
            .iter()
            .map(|phone| phone.device.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "7C2F80000002",
                "7C2F80000004",
                "7C2F80000003",
                "7C2F80000001"
            ]
        );
    }

    /// After a cancel a phone served to its old credentials still read "the file carries the
    /// new ones": its row is said again when the rollout turns, and after an enforce.
    #[test]
    fn a_phone_served_old_credentials_is_said_again_when_its_rollout_turns() {
        let mut book = PhoneBook::default();
        let forward = BTreeMap::from([("7C2F80820EC0".to_string(), RolloutDirection::Forward)]);
        assert!(!book.set_rollouts(BTreeMap::new()), "nothing to say again");
        book.set_rollouts(forward);
        book.record(&event(
            1,
            "/7C2F80820EC0.xml",
            Verdict::Served {
                credential: Credential::OldConfigured,
            },
        ));
        let said = book_says(&book);
        assert!(said.contains("the file carries the new ones"), "{said}");

        let back = BTreeMap::from([("7C2F80820EC0".to_string(), RolloutDirection::Back)]);
        assert!(book.set_rollouts(back));
        let said = book_says(&book);
        assert!(said.contains("going back to the old credentials"), "{said}");
        assert!(said.contains("carries the old ones again"), "{said}");
        assert!(!said.contains("new ones"), "{said}");

        assert!(book.set_rollouts(BTreeMap::new()), "enforced");
        let said = book_says(&book);
        assert!(said.contains("ended since"), "{said}");
        assert_eq!(book.phones().next().unwrap().requests, 1, "the same row");
    }

    fn book_says(book: &PhoneBook) -> String {
        book.phones().next().unwrap().diagnosis.explain()
    }

    #[test]
    fn the_row_reports_only_a_changed_diagnosis() {
        let mut book = PhoneBook::default();
        let none = refused(1, Refusal::NoCredentials);
        assert!(book.record(&none).is_none(), "still waiting");
        let wrong = refused(2, Refusal::WrongPassword { user: "u".into() });
        assert!(book.record(&wrong).is_some());
        assert!(book.record(&wrong).is_none());
        assert_eq!(book.phones().next().unwrap().requests, 3);
    }

    /// Anyone on the LAN can ask for a device's file without credentials. After a phone got
    /// its file, such requests (one, or three in a row) do not make its row say the file was
    /// rejected or that it has no credentials; from another address they do not touch the row.
    #[test]
    fn requests_without_credentials_after_a_download_do_not_change_what_the_row_says() {
        let served = event(
            4,
            "/7C2F80820EC0.xml",
            Verdict::Served {
                credential: Credential::MacPassword,
            },
        );
        let none = |second| refused(second, Refusal::NoCredentials);
        let from = |address: &str, event: ServeEvent| ServeEvent {
            client: address.parse().unwrap(),
            ..event
        };
        assert_eq!(
            diagnosis_of(&[none(1), served.clone(), none(20)]),
            PhoneDiagnosis::Waiting,
            "its next fetch begins so"
        );
        let mut book = PhoneBook::default();
        book.record(&served);
        book.record(&ServeEvent {
            firmware: Some("99999".into()),
            ..none(5)
        });
        assert_eq!(
            book.phones().next().unwrap().firmware,
            None,
            "the firmware shown is a served request's"
        );
        let same_address = [served.clone(), none(5), none(6), none(7)];
        assert!(!matches!(
            diagnosis_of(&same_address),
            PhoneDiagnosis::NoCredentialsEverSent { .. }
        ));

        let mut book = PhoneBook::default();
        book.record(&none(1));
        book.record(&served);
        let attacker = |second| from("192.168.1.66:4000", none(second));
        for second in 5..20 {
            assert!(book.record(&attacker(second)).is_none());
        }
        let wrong = from(
            "192.168.1.66:4000",
            refused(21, Refusal::WrongPassword { user: "x".into() }),
        );
        book.record(&wrong);
        let phone = book.phones().next().unwrap();
        assert_eq!(phone.diagnosis, PhoneDiagnosis::Served);
        assert_eq!(phone.requests, 2);
        assert_eq!(phone.client, "192.168.1.31:5060");

        let moved = from("192.168.1.40:5060", served.clone());
        book.record(&moved);
        assert_eq!(
            book.phones().next().unwrap().client,
            "192.168.1.40:5060",
            "served at a new address: the row follows it"
        );
    }
}
