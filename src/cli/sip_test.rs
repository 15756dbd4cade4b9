//! `provdesk sip-test`: register a SIP account (or probe with OPTIONS) as a phone would and
//! print each message, DNS step and digest computation as it happens, then the diagnosis: the
//! SIP trace, written as it grows.
//! Exit 0 only when the registrar answered 2xx.

use std::path::PathBuf;

use clap::Args;

use super::secret_from_env;
use crate::cancel::CancelFlag;
use crate::device::{Mac, SipTransport};
use crate::inventory::resolve_db_path;
use crate::ops;
use crate::ops::sip::SipTestReport;
use crate::secret::Secret;
use crate::sip::{SipEvent, SipMethod, SipTestSpec, TraceWriter, UdpTimers, split_host_port};

/// The address of record's user part of a probe given no --user: OPTIONS asks the registrar
/// whether it answers, for no account, and `sip:@host` would be no address at all.
const OPTIONS_USER: &str = "provdesk";

#[derive(Debug, Args)]
pub struct SipTestArgs {
    /// Test an inventory device's SIP account instead of one given by the flags below; the
    /// verdict is recorded for the Inventory's "SIP test" column
    #[arg(
        long,
        value_name = "MAC",
        conflicts_with_all = ["registrar", "user", "auth_user", "password_env", "domain"]
    )]
    device: Option<String>,
    /// With --device: the account's number (default: its first account)
    #[arg(long, value_name = "N", requires = "device")]
    account: Option<u8>,
    /// Registrar or proxy: HOST[:PORT] ([IPv6]:PORT); a name without port is looked up by SRV
    #[arg(long, value_name = "HOST[:PORT]", required_unless_present = "device")]
    registrar: Option<String>,
    /// udp, tcp or tls
    #[arg(long, value_name = "T", default_value = "udp", value_parser = parse_transport)]
    transport: SipTransport,
    /// The extension (user part of the address of record); a probe (--options) registers
    /// nothing and goes without one, as "provdesk"
    #[arg(
        long,
        value_name = "U",
        required_unless_present_any = ["device", "options"]
    )]
    user: Option<String>,
    /// The authentication (digest) user, where the provider's differs from the extension
    #[arg(long, value_name = "A")]
    auth_user: Option<String>,
    /// Environment variable holding the SIP password
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// SIP domain (default: the registrar's host)
    #[arg(long, value_name = "D")]
    domain: Option<String>,
    /// Registration interval to ask for, in seconds: short by default, so a registration
    /// whose removal fails lapses soon
    #[arg(long, value_name = "S", default_value_t = SipTestSpec::DEFAULT_EXPIRES)]
    expires: u32,
    /// Send OPTIONS (a reachability probe, no credentials) instead of REGISTER
    #[arg(long)]
    options: bool,
    /// Keep the registration (to place a test call to this computer) instead of removing it
    /// again after the registrar's 2xx; it stays for the --expires interval
    #[arg(long, conflicts_with = "options")]
    keep: bool,
    /// Give up waiting for an answer after this many seconds instead of RFC 3261's 32 (Timer
    /// F; over TCP and TLS the same)
    #[arg(long, value_name = "S")]
    udp_total: Option<f64>,
    /// Accept any TLS certificate (a PBX with a self-signed certificate)
    #[arg(long)]
    insecure: bool,
    /// Trust only this CA certificate (PEM) for TLS
    #[arg(long, value_name = "FILE")]
    cacert: Option<PathBuf>,
    /// Print one JSON report instead of the live log
    #[arg(long)]
    json: bool,
    /// Also write the SIP trace to FILE: every message sent and received, in order, as text
    /// for the provider (mode 0600; the digest answer's response and cnonce masked)
    #[arg(long, value_name = "FILE")]
    trace: Option<PathBuf>,
}

fn parse_transport(text: &str) -> Result<SipTransport, String> {
    text.parse()
        .map_err(|e: crate::device::UnknownTransport| e.to_string())
}

/// The test of the flags, or of an inventory device's account (`--device`).
pub fn run(db: Option<PathBuf>, args: SipTestArgs) -> anyhow::Result<bool> {
    if let Some(device) = &args.device {
        return run_device(db, device, &args);
    }
    let registrar = args.registrar.as_deref().unwrap_or_default();
    let (host, port) = split_host_port(registrar)?;
    let password = match &args.password_env {
        Some(var) => Secret::new(secret_from_env(var)?),
        None => Secret::default(),
    };
    let user = args.user.as_deref().unwrap_or(OPTIONS_USER);
    let mut spec = SipTestSpec::new(&host, args.transport, user, password);
    spec.port = port;
    spec.auth_user = args.auth_user.clone();
    spec.domain = args.domain.clone();
    test_options(&mut spec, &args)?;
    let report = run_spec(&spec, args.json)?;
    write_trace(&report, &args)?;
    Ok(report.ok())
}

/// `--device MAC [--account N]`: the account as the inventory has it (site defaults filled
/// in), and its verdict recorded.
fn run_device(db: Option<PathBuf>, device: &str, args: &SipTestArgs) -> anyhow::Result<bool> {
    let inventory = super::open_inventory(&resolve_db_path(db)?)?;
    let mac = Mac::parse(device).map_err(|e| anyhow::anyhow!("--device {device}: {e}"))?;
    let accounts = inventory.sip_accounts(&mac)?;
    let account = match args.account {
        Some(index) => accounts.iter().find(|a| a.index == index),
        None => accounts.first(),
    }
    .ok_or_else(|| match args.account {
        Some(index) => anyhow::anyhow!(
            "{} has no SIP account {index}; its accounts: {}. Set one with `provdesk device sip {} --account {index} --user …`",
            mac.macd(),
            if accounts.is_empty() { "none".to_string() } else { accounts.iter().map(|a| a.index.to_string()).collect::<Vec<_>>().join(", ") },
            mac.macd()
        ),
        None => anyhow::anyhow!(
            "{} has no SIP account; set one with `provdesk device sip {} --account 1 --user … --registrar …`",
            mac.macd(),
            mac.macd()
        ),
    })?;
    let password = account.password.clone().unwrap_or_default();
    let mut spec = SipTestSpec::from_account(account, password)?;
    spec.user_agent = inventory
        .device_by_mac(mac)?
        .and_then(|device| device.user_agent());
    test_options(&mut spec, args)?;
    let report = run_spec(&spec, args.json)?;
    crate::ops::sip::record(&inventory, &mac, &report)?;
    write_trace(&report, args)?;
    Ok(report.ok())
}

/// What both ways share: OPTIONS or REGISTER, its interval, the UDP timers, TLS trust, and
/// the trace file checked before the test runs.
fn test_options(spec: &mut SipTestSpec, args: &SipTestArgs) -> anyhow::Result<()> {
    spec.expires = args.expires;
    spec.keep = args.keep;
    if args.options {
        spec.method = SipMethod::Options;
    }
    if let Some(seconds) = args.udp_total {
        spec.udp_timers = UdpTimers::giving_up_after(seconds).ok_or_else(|| {
            anyhow::anyhow!(
                "--udp-total {seconds} is out of range: give seconds above 0 (at most 32 are used)"
            )
        })?;
    }
    spec.tls.insecure = args.insecure;
    spec.tls.ca_file = args.cacert.clone();
    if let Some(path) = &args.trace {
        ops::sip::check_trace_target(path).map_err(|e| anyhow::anyhow!("--trace: {e}"))?;
    }
    Ok(())
}

/// `--trace FILE`: the trace the window's *Save trace…* writes.
fn write_trace(report: &SipTestReport, args: &SipTestArgs) -> anyhow::Result<()> {
    if let Some(path) = &args.trace {
        ops::sip::save_trace(&report.transcript, path)
            .map_err(|e| anyhow::anyhow!("--trace: {e}"))?;
        if !args.json {
            say!("SIP trace written to {}", path.display());
        }
    }
    Ok(())
}

/// Runs `spec`, printing the SIP trace live as its events come, the text `--trace` writes
/// and the window's *Copy trace* gives (or one JSON report).
pub fn run_spec(spec: &SipTestSpec, json: bool) -> anyhow::Result<SipTestReport> {
    let mut trace = TraceWriter::default();
    let mut printer = |event: &SipEvent| {
        if !json {
            use std::io::Write as _;
            let _ = write!(std::io::stdout().lock(), "{}", trace.event(event));
        }
    };
    let report = ops::sip::run_blocking(spec, &CancelFlag::default(), &mut printer)?;
    if json {
        say!("{}", report.to_json());
    }
    Ok(report)
}
