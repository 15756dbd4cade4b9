//! `provdesk serve` with real clients: provdesk's own test fetch plays every catalogue model's
//! credential ladder against it and gets the device's file on the first rung that model can
//! climb; another device's credentials never get a device's file; and curl, as the issue's
//! acceptance check, against the command itself (`#[ignore]`d like the other interop tests:
//! `cargo test --test integration interop_serve:: -- --include-ignored`).

use crate::support::cli::curl_digest;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use provdesk::device::{CATALOGUE, ConfigFormat, Mac, MacPassword, NewDevice, ProvisioningUrl};
use provdesk::fetch::{FetchSpec, Transcript, run_fetch};
use provdesk::inventory::{Inventory, RolloutScope};
use provdesk::secret::Secret;
use provdesk::serve::{
    Credential, Refusal, RunningServer, ServeConfig, ServeEvent, Verdict, start,
};

const MAC_PASSWORD: &str = "2EE3EECC82C4";
const USER: &str = "provision";
const PASSWORD: &str = "s3cr&t\"<pw>'";

/// One device per catalogue model, each with a MAC password and its own digest credentials.
fn fleet(db: &Path) -> Vec<Mac> {
    let mut inventory = Inventory::open(db).unwrap();
    let devices: Vec<NewDevice> = CATALOGUE
        .iter()
        .enumerate()
        .map(|(index, model)| {
            let mut device =
                NewDevice::with_mac(Mac::parse(&format!("7C2F80AA00{index:02X}")).unwrap());
            device.model = Some(model);
            device.mac_password = Some(MacPassword::parse(MAC_PASSWORD).unwrap());
            device.digest_username = Some(format!("{USER}-{index}"));
            device.digest_password = Some(Secret::new(PASSWORD));
            // The Spectralink file carries its URL; the fetches below use the server's.
            device.url = Some(ProvisioningUrl::parse("http://prov.example/%MACD.xml").unwrap());
            device
        })
        .collect();
    inventory.add_devices(&devices).unwrap();
    devices.iter().map(|device| device.mac).collect()
}

async fn serve(db: &Path) -> RunningServer {
    start(db, "127.0.0.1:0".parse().unwrap(), ServeConfig::default())
        .await
        .expect("the server starts")
}

async fn fetch(spec: &FetchSpec) -> Transcript {
    run_fetch(spec, None, &mut |_| {}).await.unwrap()
}

fn events(server: &mut RunningServer) -> Vec<ServeEvent> {
    std::iter::from_fn(|| server.try_event()).collect()
}

#[tokio::test]
async fn every_model_gets_its_file_on_the_first_rung_it_can_climb() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let macs = fleet(&db);
    let mut server = serve(&db).await;
    let inventory = Inventory::open(&db).unwrap();
    for (index, (model, mac)) in CATALOGUE.iter().zip(&macs).enumerate() {
        let mut device = inventory.device_by_mac(*mac).unwrap().unwrap();
        device.url = Some(server.url_pattern());
        let spec = FetchSpec::for_device(&device).unwrap();
        let transcript = fetch(&spec).await;
        let statuses: Vec<Option<u16>> = transcript.steps.iter().map(|s| s.status()).collect();
        assert_eq!(statuses, [Some(401), Some(200)], "{}", model.name);
        let body = String::from_utf8_lossy(&transcript.steps[1].response.as_ref().unwrap().body)
            .into_owned();
        assert!(!body.is_empty(), "{}", model.name);
        if model.config_format == ConfigFormat::ProviderFrame {
            assert!(body.contains(&mac.macd()), "{}: {body}", model.name);
        }
        if model.credentials.is_some() {
            assert!(
                body.contains(&format!("{USER}-{index}")),
                "{}: {body}",
                model.name
            );
        }
        let seen = events(&mut server);
        assert_eq!(seen.len(), 2, "{}: one event per request", model.name);
        let expected = if model.auth_ladder.len() > 2 {
            Credential::MacPassword
        } else {
            Credential::Configured
        };
        assert_eq!(
            seen[1].verdict,
            Verdict::Served {
                credential: expected
            },
            "{}",
            model.name
        );
        assert_eq!(seen[1].device.as_deref(), Some(mac.macd().as_str()));
    }
    server.shutdown().await;
}

#[tokio::test]
async fn another_devices_credentials_never_get_this_devices_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let macs = fleet(&db);
    let mut server = serve(&db).await;
    let url = server.url_pattern().replace("%MACD", &macs[0].macd());
    let mut spec = FetchSpec::ad_hoc(url, &CATALOGUE[0]);
    spec.mac = Some(macs[1]);
    spec.mac_password = Some(Secret::new(MAC_PASSWORD));
    spec.configured = Some(provdesk::fetch::Credentials::new(
        format!("{USER}-1"),
        PASSWORD,
    ));
    let transcript = fetch(&spec).await;
    assert!(transcript.steps.iter().all(|s| s.status() == Some(401)));
    let refusals: Vec<Refusal> = events(&mut server)
        .into_iter()
        .filter_map(|event| match event.verdict {
            Verdict::Refused { refusal } => Some(refusal),
            _ => None,
        })
        .collect();
    assert!(
        refusals
            .iter()
            .any(|r| matches!(r, Refusal::UnknownUser { user } if user == &macs[1].macd())),
        "{refusals:?}"
    );
    assert!(
        refusals
            .iter()
            .any(|r| matches!(r, Refusal::UnknownUser { user } if user == &format!("{USER}-1")))
    );
    server.shutdown().await;
}

/// The command as an installer starts it, with curl as the phone.
struct ServeCommand {
    child: Child,
    base: String,
}

impl ServeCommand {
    fn start(db: &Path, log: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_provdesk"))
            .arg("--db")
            .arg(db)
            .args(["serve", "--bind", "127.0.0.1:0", "--log-json"])
            .arg(log)
            .env_remove("PROVDESK_DB")
            .stdout(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let pattern = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| {
                line.strip_prefix("give phones the URL ")
                    .map(str::to_string)
            })
            .expect("the URL pattern is printed");
        // Keep reading so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Self {
            child,
            base: pattern.trim_end_matches("%MACD.xml").to_string(),
        }
    }
}

impl ServeCommand {
    /// Ctrl-C, as the installer stops it, and waits for it to end.
    fn interrupt(mut self) {
        let interrupted = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(interrupted.success());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "Ctrl-C stops cleanly: {status:?}");
    }
}

impl Drop for ServeCommand {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
#[ignore = "needs curl: cargo test --test integration interop_serve:: -- --include-ignored"]
fn curl_with_the_mac_password_gets_the_file_and_a_wrong_password_is_named_in_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let log = dir.path().join("log.jsonl");
    let macs = fleet(&db);
    let server = ServeCommand::start(&db, &log);
    let url = format!("{}{}.xml", server.base, macs[0].macd());
    let (status, body) = curl_digest(&url, &format!("{}:{MAC_PASSWORD}", macs[0].macd()));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(&format!("<MAC_ADDRESS value=\"{}\"/>", macs[0].macd())));
    let (status, _) = curl_digest(&url, &format!("{}:000000000000", macs[0].macd()));
    assert_eq!(status, 401);
    let (status, _) = curl_digest(&url, &format!("{}:{MAC_PASSWORD}", macs[1].macd()));
    assert_eq!(status, 401, "another device's credentials");
    server.interrupt();
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 6, "two requests per curl call");
    assert_eq!(lines[3]["status"], 401);
    assert_eq!(lines[3]["refusal"]["code"], "wrong_password");
    assert_eq!(lines[3]["refusal"]["user"], macs[0].macd());
    assert_eq!(lines[5]["refusal"]["code"], "unknown_user");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(!text.contains(MAC_PASSWORD) && !text.contains("response="));
}

#[tokio::test]
async fn a_lockout_when_asked_for_starts_after_n_refusals_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let macs = fleet(&db);
    let config = ServeConfig {
        lockout_after: Some(2),
        ..ServeConfig::default()
    };
    let mut server = start(&db, "127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap();
    let url = server.url_pattern().replace("%MACD", &macs[0].macd());
    let mut spec = FetchSpec::ad_hoc(url, &CATALOGUE[0]);
    spec.mac = Some(macs[0]);
    spec.mac_password = Some(Secret::new("000000000000"));
    spec.configured = Some(provdesk::fetch::Credentials::new(
        format!("{USER}-0"),
        "wrong",
    ));
    let transcript = fetch(&spec).await;
    let statuses: Vec<Option<u16>> = transcript.steps.iter().map(|s| s.status()).collect();
    assert_eq!(statuses, [Some(401), Some(401), Some(401)]);
    let again = fetch(&spec).await;
    assert_eq!(again.steps[0].status(), Some(403));
    let seen = events(&mut server);
    assert!(
        seen[2]
            .note
            .as_deref()
            .is_some_and(|note| note.contains("locked out for 300 s after 2 refused answers")),
        "{:?}",
        seen[2]
    );
    assert!(matches!(seen[3].verdict, Verdict::LockedOut { retry_after_s } if retry_after_s > 0));
    let mut book = provdesk::serve::PhoneBook::default();
    for event in &seen {
        book.record(event);
    }
    assert_eq!(
        book.phones().next().unwrap().diagnosis,
        provdesk::serve::PhoneDiagnosis::LockedOut
    );
    server.shutdown().await;
}

#[tokio::test]
async fn https_with_the_self_signed_certificate_made_on_first_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let macs = fleet(&db);
    let identity = provdesk::serve::TlsIdentity::load(
        &provdesk::serve::TlsSource::SelfSigned {
            dir: dir.path().to_path_buf(),
        },
        &[],
    )
    .unwrap();
    let config = ServeConfig {
        tls: Some(identity.clone()),
        ..ServeConfig::default()
    };
    let server = start(&db, "127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap();
    assert!(server.url_pattern().starts_with("https://127.0.0.1:"));
    let mut spec = FetchSpec::ad_hoc(server.url_pattern(), &CATALOGUE[0]);
    spec.mac = Some(macs[0]);
    spec.mac_password = Some(Secret::new(MAC_PASSWORD));
    spec.tls.ca_file = Some(identity.cert_path.clone());
    let transcript = fetch(&spec).await;
    let statuses: Vec<Option<u16>> = transcript.steps.iter().map(|s| s.status()).collect();
    assert_eq!(statuses, [Some(401), Some(200)]);
    let mut untrusting = FetchSpec::ad_hoc(server.url_pattern(), &CATALOGUE[0]);
    untrusting.mac = Some(macs[0]);
    let refused = fetch(&untrusting).await;
    assert_eq!(
        refused.steps[0].status(),
        None,
        "an unknown certificate is refused"
    );
    server.shutdown().await;
}

/// Fifty phones at once, each through its ladder: every one gets its file, and the log has a
/// line for every request, none lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_phones_at_once_lose_no_log_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let mut inventory = Inventory::open(&db).unwrap();
    let phones: Vec<NewDevice> = (0..50u32)
        .map(|n| {
            let mut device = NewDevice::with_mac(Mac::parse(&format!("7C2F80BB{n:04X}")).unwrap());
            device.model = provdesk::device::find_model("N510");
            device.mac_password = Some(MacPassword::parse(MAC_PASSWORD).unwrap());
            device
        })
        .collect();
    inventory.add_devices(&phones).unwrap();
    let mut server = serve(&db).await;
    let fetches = phones.iter().map(|phone| {
        let mut spec = FetchSpec::ad_hoc(server.url_pattern(), &CATALOGUE[0]);
        spec.mac = Some(phone.mac);
        spec.mac_password = Some(Secret::new(MAC_PASSWORD));
        async move { fetch(&spec).await }
    });
    let transcripts = futures_util::future::join_all(fetches).await;
    for transcript in &transcripts {
        assert_eq!(transcript.steps.last().and_then(|s| s.status()), Some(200));
    }
    let requests: usize = transcripts.iter().map(|t| t.steps.len()).sum();
    server.stop().await;
    let mut logged = 0;
    while server.next_event().await.is_some() {
        logged += 1;
    }
    assert_eq!(logged, requests);
}

/// A fetch of device `mac`'s file with only the configured credentials `user`/`password`.
fn configured_only(pattern: &str, mac: Mac, user: &str, password: &str) -> FetchSpec {
    let mut spec = FetchSpec::ad_hoc(pattern.replace("%MACD", &mac.macd()), &CATALOGUE[0]);
    spec.configured = Some(provdesk::fetch::Credentials::new(user, password));
    spec
}

#[tokio::test]
async fn a_rollout_takes_old_and_new_credentials_until_it_is_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let macs = fleet(&db);
    let (old_user, new_user, new_password) = (format!("{USER}-0"), "provision-2027", "n3w-pw");
    let mut inventory = Inventory::open(&db).unwrap();
    inventory
        .start_rollout(
            &RolloutScope::Devices(vec![macs[0]]),
            new_user,
            &Secret::new(new_password),
        )
        .unwrap();
    let mut server = serve(&db).await;
    let pattern = server.url_pattern();

    let with_old = fetch(&configured_only(&pattern, macs[0], &old_user, PASSWORD)).await;
    assert_eq!(with_old.steps.last().unwrap().status(), Some(200));
    let body = with_old
        .steps
        .last()
        .unwrap()
        .response
        .as_ref()
        .unwrap()
        .body
        .clone();
    assert!(
        String::from_utf8_lossy(&body).contains(new_user),
        "the file served to the old credentials carries the new ones"
    );
    let device = inventory.device_by_mac(macs[0]).unwrap().unwrap();
    assert_eq!(device.seen.credential.as_deref(), Some("old_configured"));
    assert_eq!(inventory.rollout_progress().unwrap()[0].on_old, 1);

    let with_new = fetch(&configured_only(&pattern, macs[0], new_user, new_password)).await;
    assert_eq!(with_new.steps.last().unwrap().status(), Some(200));
    let progress = inventory.rollout_progress().unwrap();
    assert_eq!((progress[0].devices, progress[0].switched), (1, 1));
    let verdicts: Vec<Verdict> = events(&mut server)
        .into_iter()
        .map(|event| event.verdict)
        .filter(|verdict| matches!(verdict, Verdict::Served { .. }))
        .collect();
    assert_eq!(
        verdicts,
        [
            Verdict::Served {
                credential: Credential::OldConfigured
            },
            Verdict::Served {
                credential: Credential::Configured
            }
        ]
    );

    assert_eq!(inventory.enforce_rollout(&RolloutScope::All).unwrap(), 1);
    let refused = fetch(&configured_only(&pattern, macs[0], &old_user, PASSWORD)).await;
    assert_eq!(refused.steps.last().unwrap().status(), Some(401));
    assert!(inventory.rollout_progress().unwrap().is_empty());
    let still = fetch(&configured_only(&pattern, macs[0], new_user, new_password)).await;
    assert_eq!(still.steps.last().unwrap().status(), Some(200));
    server.shutdown().await;
}

/// The status code of the last step of a fetch of `mac`'s file with only `user`/`password`.
async fn status_of(pattern: &str, mac: Mac, user: &str, password: &str) -> Option<u16> {
    let transcript = fetch(&configured_only(pattern, mac, user, password)).await;
    transcript.steps.last().and_then(|step| step.status())
}

/// The review's case: a rollout to a typo, one phone fetches it and switches, the rollout is
/// started again with the fix. That phone (on the typo) and one that never fetched (on the
/// oldest) both still get their file, and the progress counts neither as switched.
#[tokio::test]
async fn a_rollout_started_again_still_serves_phones_on_the_oldest_and_the_interim_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let macs = fleet(&db);
    let mut inventory = Inventory::open(&db).unwrap();
    let scope = RolloutScope::Devices(vec![macs[0]]);
    inventory
        .start_rollout(&scope, "typo", &Secret::new("typo-pw"))
        .unwrap();
    let server = serve(&db).await;
    let pattern = server.url_pattern();
    assert_eq!(
        status_of(&pattern, macs[0], "typo", "typo-pw").await,
        Some(200)
    );
    assert_eq!(inventory.rollout_progress().unwrap()[0].switched, 1);

    let again = inventory
        .start_rollout(&scope, "fixed", &Secret::new("fixed-pw"))
        .unwrap();
    assert_eq!(again.again, 1);
    assert_eq!(
        inventory.rollout_progress().unwrap()[0].switched,
        0,
        "not switched to the fixed credentials yet"
    );
    assert_eq!(
        status_of(&pattern, macs[0], "typo", "typo-pw").await,
        Some(200)
    );
    let old_user = format!("{USER}-0");
    assert_eq!(
        status_of(&pattern, macs[0], &old_user, PASSWORD).await,
        Some(200)
    );
    let progress = inventory.rollout_progress().unwrap();
    assert_eq!((progress[0].switched, progress[0].on_old), (0, 1));
    assert_eq!(
        status_of(&pattern, macs[0], "fixed", "fixed-pw").await,
        Some(200)
    );
    assert_eq!(inventory.rollout_progress().unwrap()[0].switched, 1);

    inventory.enforce_rollout(&RolloutScope::All).unwrap();
    assert_eq!(
        status_of(&pattern, macs[0], "typo", "typo-pw").await,
        Some(401)
    );
    assert_eq!(
        status_of(&pattern, macs[0], &old_user, PASSWORD).await,
        Some(401)
    );
    server.shutdown().await;
}

#[tokio::test]
async fn the_inventory_notes_when_each_phone_asked_its_firmware_and_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let macs = fleet(&db);
    let mut server = serve(&db).await;
    let url = server.url_pattern().replace("%MACD", &macs[0].macd());
    let mut spec = FetchSpec::ad_hoc(url, &CATALOGUE[0]);
    spec.mac = Some(macs[0]);
    spec.mac_password = Some(Secret::new(MAC_PASSWORD));
    spec.firmware = Some("42.250".into());
    let transcript = fetch(&spec).await;
    assert_eq!(transcript.steps.last().unwrap().status(), Some(200));
    let seen = events(&mut server);
    let inventory = Inventory::open(&db).unwrap();
    let device = inventory.device_by_mac(macs[0]).unwrap().unwrap();
    assert_eq!(device.seen.at.as_deref(), Some(seen[1].at.as_str()));
    assert_eq!(device.seen.verdict.as_deref(), Some("served"));
    assert_eq!(device.seen.credential.as_deref(), Some("mac_password"));
    assert_eq!(device.seen.firmware, seen[1].firmware);
    assert!(
        device.seen.firmware.is_some(),
        "the test fetch sends the model's User-Agent"
    );
    let untouched = inventory.device_by_mac(macs[1]).unwrap().unwrap();
    assert_eq!(untouched.seen.at, None);
    server.shutdown().await;
}

#[tokio::test]
async fn a_server_for_one_site_serves_only_that_sites_devices() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let mut inventory = Inventory::open(&db).unwrap();
    let mut on_site = NewDevice::with_mac(Mac::parse("7C2F80CC0001").unwrap());
    on_site.site = Some("Bench".into());
    on_site.model = provdesk::device::find_model("N510");
    on_site.mac_password = Some(MacPassword::parse(MAC_PASSWORD).unwrap());
    let mut elsewhere = on_site.clone();
    elsewhere.mac = Mac::parse("7C2F80CC0002").unwrap();
    elsewhere.site = Some("Hotel".into());
    inventory
        .add_devices(&[on_site.clone(), elsewhere.clone()])
        .unwrap();
    let config = ServeConfig {
        site: Some("bench".into()),
        ..ServeConfig::default()
    };
    let mut server = start(&db, "127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap();
    for (device, status) in [(&on_site, 200), (&elsewhere, 404)] {
        let url = server.url_pattern().replace("%MACD", &device.mac.macd());
        let mut spec = FetchSpec::ad_hoc(url, &CATALOGUE[0]);
        spec.mac = Some(device.mac);
        spec.mac_password = Some(Secret::new(MAC_PASSWORD));
        let transcript = fetch(&spec).await;
        assert_eq!(transcript.steps.last().unwrap().status(), Some(status));
    }
    let last = events(&mut server).pop().unwrap();
    assert!(
        last.verdict.explain().contains("site \"bench\""),
        "{}",
        last.line()
    );
    server.shutdown().await;
}

#[test]
#[ignore = "needs curl: cargo test --test integration interop_serve:: -- --include-ignored"]
fn curl_climbs_every_models_ladder_none_then_mac_password_then_configured() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let log = dir.path().join("log.jsonl");
    let macs = fleet(&db);
    let server = ServeCommand::start(&db, &log);
    for (index, (model, mac)) in CATALOGUE.iter().zip(&macs).enumerate() {
        let url = format!("{}{}.xml", server.base, mac.macd());
        let none = Command::new("curl")
            .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", &url])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&none.stdout),
            "401",
            "{}",
            model.name
        );
        let (status, _) = curl_digest(&url, &format!("{}:{MAC_PASSWORD}", mac.macd()));
        assert_eq!(status, 200, "{}: MAC / MAC password", model.name);
        let (status, body) = curl_digest(&url, &format!("{USER}-{index}:{PASSWORD}"));
        assert_eq!(status, 200, "{}: configured credentials", model.name);
        assert!(!body.is_empty(), "{}", model.name);
    }
    server.interrupt();
    let served = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .filter(|line| line.contains("\"verdict\":\"served\""))
        .count();
    assert_eq!(served, 2 * CATALOGUE.len());
}

/// The status of a GET of `path` with this `Authorization` header, over a plain socket.
fn status_with(addr: std::net::SocketAddr, path: &str, authorization: &str) -> u16 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {authorization}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer[9..12].parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_is_taken_only_when_switched_on_and_only_from_models_that_accept_it() {
    use base64::prelude::{BASE64_STANDARD, Engine as _};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let de = provdesk::device::find_model("DE410").unwrap();
    let n510 = provdesk::device::find_model("N510").unwrap();
    assert!(
        de.basic_accepted && !n510.basic_accepted,
        "the catalogue's facts"
    );
    let mut inventory = Inventory::open(&db).unwrap();
    let devices: Vec<NewDevice> = [(de, "7C2F80DD0001"), (n510, "7C2F80DD0002")]
        .into_iter()
        .map(|(model, mac)| {
            let mut device = NewDevice::with_mac(Mac::parse(mac).unwrap());
            device.model = Some(model);
            device.mac_password = Some(MacPassword::parse(MAC_PASSWORD).unwrap());
            device
        })
        .collect();
    inventory.add_devices(&devices).unwrap();
    let basic = |mac: &str, password: &str| {
        format!(
            "Basic {}",
            BASE64_STANDARD.encode(format!("{mac}:{password}"))
        )
    };
    for (switched_on, de_status) in [(false, 401), (true, 200)] {
        let config = ServeConfig {
            basic: switched_on,
            ..ServeConfig::default()
        };
        let server = start(&db, "127.0.0.1:0".parse().unwrap(), config)
            .await
            .unwrap();
        let addr = server.addr();
        let statuses = tokio::task::spawn_blocking(move || {
            [
                status_with(
                    addr,
                    "/7C2F80DD0001.xml",
                    &basic("7C2F80DD0001", MAC_PASSWORD),
                ),
                status_with(
                    addr,
                    "/7C2F80DD0001.xml",
                    &basic("7C2F80DD0001", "000000000000"),
                ),
                status_with(
                    addr,
                    "/7C2F80DD0002.xml",
                    &basic("7C2F80DD0002", MAC_PASSWORD),
                ),
            ]
        })
        .await
        .unwrap();
        assert_eq!(
            statuses,
            [de_status, 401, 401],
            "Basic switched on: {switched_on}"
        );
        server.shutdown().await;
    }
}
