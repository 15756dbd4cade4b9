//! The redirect client against the simulator on a real socket: every method, every code, a
//! partial failure inside a list call, and the transport failures (wrong password, wrong path,
//! 503, malformed reply), each a clear error and no panic.

use std::collections::BTreeSet;
use std::time::Duration;

use provdesk::redirect::{
    Account, CheckAnswer, DeviceAnswer, GigasetClient, RedirectError, RedirectService, ResultCode,
};
use provdesk::secret::Secret;
use provdesk::sim::redirect::{
    RedirectFault, RedirectSim, RedirectSimConfig, RunningRedirectSim, mac_password_for,
};

const USER: &str = "gigaset";
const PASSWORD: &str = "aptest";
const URL: &str = "http://p.example/%DVID/%MACD.xml";
const ID_A: &str = "7C2F80820EC0-55DF";
const ID_B: &str = "7C2F80208295-1910";
/// A MAC the simulator treats as never made by Gigaset.
const NOT_MADE: &str = "0001E3000001";

async fn sim_with(fault: RedirectFault) -> RunningRedirectSim {
    let mut config = RedirectSimConfig::new(USER, Secret::new(PASSWORD));
    config.fault = fault;
    config.unknown_macs = BTreeSet::from([NOT_MADE.to_string()]);
    RedirectSim::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap()
}

fn client(sim: &RunningRedirectSim, password: &str) -> GigasetClient {
    let account = Account::new(sim.url(), USER, Secret::new(password));
    GigasetClient::new(&account, Duration::from_secs(10)).unwrap()
}

fn refused(answer: DeviceAnswer) -> ResultCode {
    match answer {
        DeviceAnswer::Refused(code) => code,
        DeviceAnswer::Ok { .. } => panic!("expected a refusal"),
    }
}

#[tokio::test]
async fn register_returns_the_mac_password_and_a_second_register_is_refused() {
    let sim = sim_with(RedirectFault::None).await;
    let client = client(&sim, PASSWORD);
    let DeviceAnswer::Ok {
        mac_password: Some(password),
    } = client.register(ID_A, URL, "Daryna").await.unwrap()
    else {
        panic!("registration should carry the MAC password");
    };
    assert_eq!(password.secret().expose(), mac_password_for(ID_A).unwrap());
    assert!(password.secret().expose().starts_with("55DF"));
    let again = client.register(ID_A, URL, "Daryna").await.unwrap();
    assert_eq!(refused(again), ResultCode::MacAlreadyInUse(None));
}

#[tokio::test]
async fn every_refusal_code_of_register_comes_back_typed() {
    let sim = sim_with(RedirectFault::None).await;
    let client = client(&sim, PASSWORD);
    let cases = [
        (("123456789123--1910", URL, "Daryna"), "mac_invalid"),
        ((ID_A, "ftp://p.example/x", "Daryna"), "url_invalid"),
        ((ID_A, "http://p.example/%XYZ", "Daryna"), "url_invalid"),
        ((ID_A, URL, ""), "name_invalid"),
        ((NOT_MADE, URL, "Daryna"), "mac_not_exist"),
    ];
    for ((mac_id, url, provider), expected) in cases {
        let code = refused(client.register(mac_id, url, provider).await.unwrap());
        assert_eq!(code.code(), expected, "{mac_id} {url} {provider:?}");
        assert!(!matches!(code, ResultCode::Unknown(_)));
    }
    assert!(sim.registrations().is_empty());
}

#[tokio::test]
async fn deregister_and_check_follow_the_registration() {
    let sim = sim_with(RedirectFault::None).await;
    let client = client(&sim, PASSWORD);
    assert_eq!(
        client.check(ID_A).await.unwrap(),
        CheckAnswer::Refused(ResultCode::MacNotFound(None))
    );
    client.register(ID_A, URL, "Daryna").await.unwrap();
    let CheckAnswer::Registered(remote) = client.check(ID_A).await.unwrap() else {
        panic!("the device should be registered");
    };
    assert_eq!(remote.mac, "7C2F80820EC0");
    assert_eq!(remote.provider, "Daryna");
    assert_eq!(remote.url, URL, "the pattern is stored unexpanded");
    assert!(client.deregister(ID_A).await.unwrap().is_ok());
    assert_eq!(
        refused(client.deregister(ID_A).await.unwrap()),
        ResultCode::MacNotFound(None)
    );
    assert_eq!(
        refused(client.deregister("not-a-mac").await.unwrap()),
        ResultCode::MacInvalid(None)
    );
    assert_eq!(
        client.check("not-a-mac").await.unwrap(),
        CheckAnswer::Refused(ResultCode::MacInvalid(None))
    );
}

#[tokio::test]
async fn a_list_call_reports_each_device_and_false_when_any_failed() {
    let sim = sim_with(RedirectFault::None).await;
    let client = client(&sim, PASSWORD);
    let ids = vec![
        ID_A.to_string(),
        "123456789123--1910".to_string(),
        ID_B.to_string(),
    ];
    let answer = client.register_list(&ids, URL, "Daryna").await.unwrap();
    assert!(!answer.all_ok);
    assert_eq!(answer.devices.len(), 3);
    assert!(answer.devices[0].is_ok());
    assert_eq!(
        answer.devices[1],
        DeviceAnswer::Refused(ResultCode::MacInvalid(Some("123456789123--1910".into())))
    );
    let DeviceAnswer::Ok {
        mac_password: Some(password),
    } = &answer.devices[2]
    else {
        panic!("the third device should be registered with a password");
    };
    assert!(password.secret().expose().starts_with("1910"));
    assert_eq!(sim.registrations().len(), 2);

    let gone = client
        .deregister_list(&[ID_A.to_string(), ID_B.to_string()])
        .await
        .unwrap();
    assert!(gone.all_ok);
    let again = client.deregister_list(&[ID_A.to_string()]).await.unwrap();
    assert!(!again.all_ok);
    assert_eq!(
        again.devices,
        vec![DeviceAnswer::Refused(ResultCode::MacNotFound(Some(
            ID_A.into()
        )))]
    );
}

#[tokio::test]
async fn list_devices_filters_by_provider() {
    let sim = sim_with(RedirectFault::None).await;
    let client = client(&sim, PASSWORD);
    client.register(ID_A, URL, "Daryna").await.unwrap();
    client
        .register(ID_B, "http://q.example/", "Other")
        .await
        .unwrap();
    assert_eq!(client.list(&[]).await.unwrap().len(), 2);
    let daryna = client.list(&["Daryna".to_string()]).await.unwrap();
    assert_eq!(daryna.len(), 1);
    assert_eq!(daryna[0].mac, "7C2F80820EC0");
    assert_eq!(daryna[0].url, URL);
    let both = client
        .list(&["Daryna".to_string(), "Other".to_string()])
        .await
        .unwrap();
    assert_eq!(both.len(), 2);
    assert!(
        client
            .list(&["Nobody".to_string()])
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_wrong_password_is_a_clear_error() {
    let sim = sim_with(RedirectFault::None).await;
    let error = client(&sim, "wrong").list(&[]).await.unwrap_err();
    assert!(
        matches!(error, RedirectError::Unauthorized { status: 401, .. }),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("check the provisioner user name and password")
    );
}

#[tokio::test]
async fn a_wrong_path_names_the_endpoint() {
    let sim = sim_with(RedirectFault::None).await;
    let endpoint = sim.url().replace("/apxml/rpc.do", "/Editor/");
    let account = Account::new(endpoint, USER, Secret::new(PASSWORD));
    let client = GigasetClient::new(&account, Duration::from_secs(10)).unwrap();
    let error = client.check(ID_A).await.unwrap_err();
    assert!(
        matches!(error, RedirectError::Status { status: 404, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("/apxml/rpc.do"));
}

#[tokio::test]
async fn the_server_answering_503_after_n_calls_is_unavailable() {
    let sim = sim_with(RedirectFault::UnavailableAfter(2)).await;
    let client = client(&sim, PASSWORD);
    client.register(ID_A, URL, "Daryna").await.unwrap();
    client.check(ID_A).await.unwrap();
    let error = client.check(ID_A).await.unwrap_err();
    assert!(
        matches!(error, RedirectError::Unavailable { status: 503, .. }),
        "{error}"
    );
    assert_eq!(error.code(), "unavailable");
    assert!(error.to_string().contains("try again later"));
}

#[tokio::test]
async fn a_malformed_reply_is_a_clear_error() {
    let sim = sim_with(RedirectFault::Malformed).await;
    let client = client(&sim, PASSWORD);
    let error = client.register(ID_A, URL, "Daryna").await.unwrap_err();
    assert!(matches!(error, RedirectError::Malformed { .. }), "{error}");
    assert!(error.to_string().contains("is not XML-RPC"), "{error}");
    let error = client
        .register_list(&[ID_A.to_string()], URL, "Daryna")
        .await
        .unwrap_err();
    assert_eq!(error.code(), "malformed_reply");
}

#[tokio::test]
async fn nothing_listens_is_a_network_error() {
    let sim = sim_with(RedirectFault::None).await;
    let url = sim.url();
    sim.shutdown().await;
    let account = Account::new(&url, USER, Secret::new(PASSWORD));
    let client = GigasetClient::new(&account, Duration::from_secs(10)).unwrap();
    let error = client.list(&[]).await.unwrap_err();
    assert_eq!(error.code(), "network", "{error}");
    let host = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        error.to_string(),
        format!(
            "cannot reach the redirect server at {url}: nothing listens on {host} (connection refused); check the address and the network"
        ),
        "the cause in words, not reqwest's chain"
    );
}

#[test]
fn every_documented_code_reads_as_a_sentence_with_what_to_do() {
    let advice = [
        ("mac_invalid:123456789123--1910", "12 hex digits"),
        ("url_invalid", "http:// or https://"),
        ("name_invalid", "provider name agreed with Gigaset"),
        ("mac_already_in_use", "deregister it first"),
        ("mac_not_found", "register it first"),
        ("mac_not_exist", "compare it with the label"),
        (
            "something_new",
            "check the device in the Gigaset web portal",
        ),
    ];
    for (wire, hint) in advice {
        let sentence = ResultCode::parse(wire).to_string();
        assert!(sentence.contains(hint), "{wire}: {sentence}");
    }
    assert!(
        ResultCode::parse("mac_invalid:123456789123--1910")
            .to_string()
            .starts_with("MAC-ID \"123456789123--1910\" is not valid")
    );
}

#[tokio::test]
async fn a_server_slower_than_the_timeout_is_a_timeout_error() {
    let mut config = RedirectSimConfig::new(USER, Secret::new(PASSWORD));
    config.latency = Duration::from_secs(5);
    let sim = RedirectSim::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap();
    let account = Account::new(sim.url(), USER, Secret::new(PASSWORD));
    let client = GigasetClient::new(&account, Duration::from_millis(200)).unwrap();
    let error = client.check(ID_A).await.unwrap_err();
    assert!(matches!(error, RedirectError::Timeout { .. }), "{error}");
    assert!(error.to_string().contains("within 0.2 s"), "{error}");
    assert!(error.to_string().contains("raise the timeout"));
}
