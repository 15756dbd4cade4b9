//! `provdesk simulate redirect`: a local Gigaset redirect server, to try `provdesk sync` or
//! the Redirect panel without touching the real database.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::Duration;

use clap::Args;

use crate::cli::live::print_until_ctrl_c;
use crate::cli::secret_from_env;
use crate::device::Mac;
use crate::secret::Secret;
use crate::sim::redirect::{RedirectFault, RedirectSim, RedirectSimConfig, SimCall};
use crate::words;

/// The account the simulator accepts without --user: the one in Gigaset's own example
/// (`ap-client.py … gigaset:aptest@prov.gigaset.net`).
const DEFAULT_USER: &str = "gigaset";
const DEFAULT_PASSWORD: &str = "aptest";

#[derive(Debug, Args)]
pub struct RedirectSimArgs {
    /// Address to listen on; port 0 picks a free port (the URL printed shows it)
    #[arg(long, value_name = "ADDR")]
    bind: SocketAddr,
    /// Provisioner user the simulator accepts [default: gigaset, password aptest]
    #[arg(long, value_name = "U", requires = "password_env")]
    user: Option<String>,
    /// Environment variable holding that user's password
    #[arg(long, value_name = "VAR", requires = "user")]
    password_env: Option<String>,
    /// What to get wrong on purpose: none, unavailable-after=N (503 from call N+1), malformed
    #[arg(long, value_name = "F", default_value = "none", value_parser = parse_fault)]
    fault: RedirectFault,
    /// A MAC Gigaset "never made": registering it answers mac_not_exist (repeatable)
    #[arg(long = "unknown-mac", value_name = "MAC")]
    unknown_macs: Vec<String>,
    /// Milliseconds to wait before each answer, to feel an internet round trip
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency: u64,
}

fn parse_fault(text: &str) -> Result<RedirectFault, String> {
    RedirectFault::parse(text)
        .ok_or_else(|| "known faults: none, unavailable-after=N, malformed".to_string())
}

pub fn run(args: RedirectSimArgs) -> anyhow::Result<()> {
    let (user, password) = match (&args.user, &args.password_env) {
        (Some(user), Some(var)) => (user.clone(), Secret::new(secret_from_env(var)?)),
        _ => (DEFAULT_USER.to_string(), Secret::new(DEFAULT_PASSWORD)),
    };
    let unknown_macs = args
        .unknown_macs
        .iter()
        .map(|text| Mac::parse(text).map(|mac| mac.macd()))
        .collect::<Result<BTreeSet<_>, _>>()?;
    let config = RedirectSimConfig {
        fault: args.fault,
        unknown_macs,
        latency: Duration::from_millis(args.latency),
        ..RedirectSimConfig::new(user, password)
    };
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(serve(args.bind, config, args.user.is_none()))
}

/// Serves until Ctrl+C, printing the endpoint first (so scripts can read the port), then one
/// line per call.
async fn serve(
    bind: SocketAddr,
    config: RedirectSimConfig,
    default_account: bool,
) -> anyhow::Result<()> {
    let user = config.user.clone();
    let sim = RedirectSim::start(bind, config)
        .await
        .map_err(|e| anyhow::anyhow!("cannot serve on {bind}: {e}"))?;
    let calls = sim.subscribe();
    say!("listening on {}", sim.url());
    if default_account {
        say!("account: user {DEFAULT_USER}, password {DEFAULT_PASSWORD}");
    } else {
        say!("account: user {user}");
    }
    print_until_ctrl_c(calls, "calls", call_line).await?;
    sim.shutdown().await;
    Ok(())
}

/// `autoprov.registerDeviceList 100 devices 200`, plus a fault's text.
fn call_line(call: &SimCall) -> String {
    let fault = call
        .fault
        .as_ref()
        .map(|f| format!(" fault: {f}"))
        .unwrap_or_default();
    let what = if call.method == "autoprov.listDevices" {
        "provider"
    } else {
        "device"
    };
    format!(
        "{} {} {}{fault}",
        call.method,
        words::count(call.devices, what),
        call.status
    )
}
