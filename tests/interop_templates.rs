//! End to end: render one device of each catalogue model, export the files and the htdigest
//! file, serve the folder with that htdigest file, and fetch each file as the device would. A
//! Gigaset device gets 200 on its MAC / MAC-password step; a device without that step (the
//! Spectralink server, a generic SIP device) on its configured credentials; and a device whose
//! MAC password is wrong gets in with the generated password the export wrote into its file.
//!
//! The simulator variant runs everywhere; the lighttpd variant is `#[ignore]`d like the other
//! interop tests (`cargo test --test integration interop_templates:: -- --include-ignored`).

use crate::support::servers;
use crate::support::templates;

use std::path::Path;

use provdesk::device::{AuthAttempt, CATALOGUE, Device, Mac};
use provdesk::fetch::{Attempt, Code, FetchSpec, Transcript, run_fetch};
use provdesk::secret::Secret;
use provdesk::sim::provisioning::{ProvisioningSim, SimConfig, SimUser};
use provdesk::templates::{RenderedSet, TemplateSet, render_set};

/// One device per catalogue model, each with its own MAC, fetching `url_base/%MACD.xml`.
fn fleet(url_base: &str) -> Vec<Device> {
    CATALOGUE
        .iter()
        .enumerate()
        .map(|(index, model)| {
            let mut device = templates::device(model.name);
            device.mac = Mac::parse(&format!("7C2F80AA00{index:02X}")).unwrap();
            device.mac_id = None;
            device.url = Some(format!("{url_base}/%MACD.xml"));
            device.digest_username = Some(format!("user-{index}"));
            device
        })
        .collect()
}

/// Renders the fleet and puts the files and the htdigest file in place.
fn export(devices: &[Device], realm: &str, out: &Path, htdigest: &Path) -> RenderedSet {
    let set = render_set(
        &TemplateSet::builtin(),
        devices,
        &templates::settings(),
        false,
        Some(realm),
    )
    .expect("every model renders");
    set.stage(out, Some(htdigest))
        .expect("staged")
        .commit()
        .expect("in place");
    set
}

async fn fetch(spec: &FetchSpec) -> Transcript {
    run_fetch(spec, None, &mut |_| {})
        .await
        .expect("the fetch starts")
}

/// Each device, pointed at `server_base`, gets its own file back whole, on the rung its model
/// reaches first with the exported credentials.
async fn every_model_fetches_its_file(
    rendered_for: &[Device],
    set: &RenderedSet,
    server_base: &str,
    server_log: impl Fn() -> String,
) {
    for (device, file) in rendered_for.iter().zip(&set.files) {
        let mut device = device.clone();
        device.url = Some(format!("{server_base}/cfg/%MACD.xml"));
        let model = device.model_spec().unwrap();
        let transcript = fetch(&FetchSpec::for_device(&device).unwrap()).await;
        let expected = if model.auth_ladder.contains(&AuthAttempt::MacPassword) {
            Attempt::Mac
        } else {
            Attempt::Configured
        };
        let last = transcript.steps.last().expect("at least one request");
        assert_eq!(
            (last.request.attempt, last.status()),
            (expected, Some(200)),
            "{}: {:?}\n{}",
            model.name,
            transcript.diagnosis(),
            server_log()
        );
        assert_eq!(transcript.diagnosis()[0].code, Code::Ok, "{}", model.name);
        assert_eq!(
            last.response.as_ref().unwrap().body,
            file.bytes(),
            "{} got its own file",
            model.name
        );
    }
}

/// A device whose MAC password is wrong falls through to its configured (here: generated)
/// credentials, which the same export wrote into its file and into the htdigest file.
fn with_generated_password(url_base: &str) -> (Device, Vec<Device>) {
    let mut device = templates::device("N720");
    device.mac = Mac::parse("7C2F80BB0001").unwrap();
    device.url = Some(format!("{url_base}/%MACD.xml"));
    device.digest_username = None;
    device.digest_password = None;
    let set = render_set(
        &TemplateSet::builtin(),
        std::slice::from_ref(&device),
        &templates::settings(),
        true,
        Some("x"),
    )
    .unwrap();
    let (_, user, password) = set.generated[0].clone();
    let mut configured = device.clone();
    configured.digest_username = Some(user);
    configured.digest_password = Some(password);
    let mut wrong_mac_password = configured.clone();
    wrong_mac_password.mac_password = Some(Secret::new("000000000000"));
    (wrong_mac_password, vec![configured])
}

/// Where the files are rendered for: a placeholder server, since a server's port is known only
/// once it runs. The default Gigaset templates do not name the server; the fetch uses the real
/// URL, whose last segment names the same file.
const RENDERED_FOR: &str = "http://127.0.0.1/cfg";

#[tokio::test]
async fn the_simulator_serves_every_rendered_file_with_the_exported_htdigest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("www");
    let htdigest = dir.path().join("users.htdigest");
    let generated_htdigest = dir.path().join("generated.htdigest");
    let realm = SimConfig::default().realm;
    let devices = fleet(RENDERED_FOR);
    let set = export(&devices, &realm, &out.join("cfg"), &htdigest);
    let (wrong_mac_password, configured) = with_generated_password(RENDERED_FOR);
    let generated = export(&configured, &realm, &out.join("cfg"), &generated_htdigest);
    let mut users = SimUser::load_htdigest(&std::fs::read_to_string(&htdigest).unwrap()).unwrap();
    users.extend(
        SimUser::load_htdigest(&std::fs::read_to_string(&generated_htdigest).unwrap()).unwrap(),
    );
    let sim = ProvisioningSim::start(
        "127.0.0.1:0".parse().unwrap(),
        SimConfig {
            users,
            dir: Some(out.clone()),
            ..SimConfig::default()
        },
    )
    .await
    .expect("the simulator starts");
    let base = sim.url("").trim_end_matches('/').to_string();
    every_model_fetches_its_file(&devices, &set, &base, || format!("{:?}", sim.requests())).await;

    let mut wrong_mac_password = wrong_mac_password;
    wrong_mac_password.url = Some(format!("{base}/cfg/%MACD.xml"));
    let transcript = fetch(&FetchSpec::for_device(&wrong_mac_password).unwrap()).await;
    let attempts: Vec<(Attempt, Option<u16>)> = transcript
        .steps
        .iter()
        .map(|s| (s.request.attempt, s.status()))
        .collect();
    assert_eq!(
        attempts,
        [
            (Attempt::None, Some(401)),
            (Attempt::Mac, Some(401)),
            (Attempt::Configured, Some(200))
        ]
    );
    assert_eq!(
        transcript.steps[2].response.as_ref().unwrap().body,
        generated.files[0].bytes()
    );
}

#[tokio::test]
#[ignore = "needs lighttpd (apt-get install -y lighttpd)"]
async fn lighttpd_serves_every_rendered_file_with_the_exported_htdigest() {
    const REALM: &str = "provdesk templates";
    let dir = tempfile::tempdir().unwrap();
    let htdigest = dir.path().join("users.htdigest");
    let devices = fleet(RENDERED_FOR);
    let set = export(&devices, REALM, &dir.path().join("www"), &htdigest);
    let files: Vec<(String, &[u8])> = set
        .files
        .iter()
        .map(|f| (format!("/cfg/{}", f.file_name), f.bytes()))
        .collect();
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(path, bytes)| (path.as_str(), *bytes))
        .collect();
    let server = servers::lighttpd_htdigest(REALM, &htdigest, &borrowed);
    every_model_fetches_its_file(&devices, &set, server.base_url(), || server.error_log()).await;
}
