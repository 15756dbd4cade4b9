//! `provdesk fetch`: fetch a provisioning URL as a device would and print the digest exchange
//! as it happens, then the diagnosis. Exit 0 only when the final answer is 2xx.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::secret_from_env;
use crate::device::{Mac, default_model, resolve_model};
use crate::fetch::{
    Answer, AnswerKind, ChallengeView, ClientIdentity, Credentials, DEFAULT_TIMEOUT, Diagnosis,
    Event, ExportOptions, FetchSpec, HeaderLine, ReceivedResponse, Setting, SetupError, Severity,
    answer_timeout, manual_closed_note, run_fetch, shown_headers, shown_url,
};
use crate::inventory::{Inventory, resolve_db_path};
use crate::ops::{self, fetch::FetchFile};
use crate::printable::terminal_text;
use crate::secret::{MASK, Secret};

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Provisioning URL; %MACD %MACC %DVID are filled in. Optional with --device (its URL is used)
    url: Option<String>,
    /// Fetch as this inventory device: its MAC, MAC password, credentials and URL
    #[arg(long, value_name = "MAC", conflicts_with = "mac")]
    device: Option<String>,
    /// The device's MAC, for an ad hoc fetch
    #[arg(long, value_name = "MAC")]
    mac: Option<String>,
    /// Environment variable holding the MAC password (12 digits from the redirect server)
    #[arg(long, value_name = "VAR", requires = "mac")]
    mac_password_env: Option<String>,
    /// Device model to play, e.g. N510, "Maxwell 3", DE900 (default: the device's, else N510 IP PRO)
    #[arg(long, value_name = "M")]
    model: Option<String>,
    /// The device's firmware as it reports it (e.g. 83.V2.53.0): sent in the User-Agent, and
    /// what it predates (credentials in the URL, digest) is left out as the device would
    #[arg(long, value_name = "FW")]
    firmware: Option<String>,
    /// Configured digest user name
    #[arg(long, value_name = "U")]
    user: Option<String>,
    /// Environment variable holding the configured digest password
    #[arg(long, value_name = "VAR", requires = "user")]
    password_env: Option<String>,
    /// Accept any server certificate, like the device's "accept all certificates" setting
    #[arg(long)]
    insecure: bool,
    /// Trust this CA certificate (PEM) as well
    #[arg(long, value_name = "FILE")]
    cacert: Option<PathBuf>,
    /// Client certificate: PEM (with --key) or PKCS#12 (.p12/.pfx, with --cert-password-env)
    #[arg(long, value_name = "FILE")]
    cert: Option<PathBuf>,
    /// Private key (PEM) for --cert
    #[arg(long, value_name = "FILE", requires = "cert")]
    key: Option<PathBuf>,
    /// Environment variable holding the PKCS#12 password
    #[arg(long, value_name = "VAR", requires = "cert")]
    cert_password_env: Option<String>,
    /// Seconds to wait for each answer
    #[arg(long, value_name = "S", default_value_t = DEFAULT_TIMEOUT.as_secs_f64())]
    timeout: f64,
    /// Print one JSON report instead of the live log
    #[arg(long)]
    json: bool,
    /// Also write the exchange as a HAR 1.2 file (mode 0600; bodies left out)
    #[arg(long, value_name = "FILE")]
    har: Option<PathBuf>,
    /// Keep the response bodies in the HAR: configuration files often hold passwords
    #[arg(long, requires = "har")]
    har_bodies: bool,
    /// Show the digest response and cnonce, and passwords found in bodies, in the clear (live
    /// log, --json and --har); masked otherwise
    #[arg(long)]
    reveal_secrets: bool,
}

/// `--timeout` as a duration, checked by the core as the panel's field is.
fn timeout(seconds: f64) -> anyhow::Result<Duration> {
    answer_timeout(seconds).map_err(|error| anyhow::anyhow!("--timeout: {error}"))
}

pub fn run(db: Option<PathBuf>, args: FetchArgs) -> anyhow::Result<bool> {
    let mut inventory = None;
    let mut spec = match &args.device {
        Some(mac) => {
            let (spec, store, mac) = device_spec(db, mac, &args)?;
            inventory = Some((store, mac));
            spec
        }
        None => {
            let url = args.url.clone().ok_or_else(|| {
                anyhow::anyhow!("give a URL, or --device MAC to use the device's URL")
            })?;
            let mut spec = FetchSpec::ad_hoc(url, default_model());
            if let Some(mac) = &args.mac {
                spec.mac = Some(Mac::parse(mac)?);
            }
            if let Some(var) = &args.mac_password_env {
                spec.mac_password = Some(Secret::new(secret_from_env(var)?));
            }
            spec
        }
    };
    if let Some(model) = &args.model {
        spec.model = resolve_model(model)?;
    }
    spec.firmware = args.firmware.clone().or(spec.firmware);
    if let Some(user) = &args.user {
        let password = match &args.password_env {
            Some(var) => secret_from_env(var)?,
            None => String::new(),
        };
        spec.configured = Some(Credentials::new(user.clone(), password));
    }
    spec.tls.accept_invalid_certs = args.insecure;
    spec.tls.ca_file = args.cacert.clone();
    spec.tls.client_identity = client_identity(&args)?;
    spec.timeout = timeout(args.timeout)?;
    if let Some(path) = &args.har {
        ops::fetch::check_target(path, FetchFile::Har)
            .map_err(|e| anyhow::anyhow!("--har: {e}"))?;
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let live = !args.json;
    let reveal = args.reveal_secrets;
    let mut printer = |event: &Event| {
        if live {
            print_event(event, reveal);
        }
    };
    let options = ExportOptions {
        bodies: args.har_bodies,
        reveal_secrets: reveal,
    };
    let transcript = runtime.block_on(run_fetch(&spec, None, &mut printer))?;

    if args.json {
        say!("{}", FetchFile::Json.text(&transcript, options));
    }
    if let Some(path) = &args.har {
        ops::fetch::save(&transcript, FetchFile::Har, options, path).map_err(anyhow::Error::msg)?;
        if live {
            say!("HAR written to {}", path.display());
        }
    }
    if let Some((mut store, mac)) = inventory {
        ops::fetch::record(&mut store, mac, &transcript)?;
    }
    Ok(transcript.ok())
}

/// The fetch as the inventory device `mac` would do it. A URL or model given on the command
/// line stands in for the stored one, as the window's Test fetch does, and the device stays
/// itself: its MAC password, SIP passwords and digest credentials (its own, else its site's),
/// so the ladder's configured rung runs even when neither the device nor its site has a URL.
fn device_spec(
    db: Option<PathBuf>,
    mac: &str,
    args: &FetchArgs,
) -> anyhow::Result<(FetchSpec, Inventory, Mac)> {
    let mac = Mac::parse(mac)?;
    let store = super::open_inventory(&resolve_db_path(db)?)?;
    let mut device = store.device_by_mac(mac)?.ok_or_else(|| {
        anyhow::anyhow!("device {mac} is not in the inventory; add it or use --mac")
    })?;
    if let Some(url) = &args.url {
        device.url = Some(url.clone());
    }
    if let Some(model) = &args.model {
        device.model = Some(resolve_model(model)?.name.to_string());
    }
    let spec = FetchSpec::for_device(&device).map_err(|error| match error {
        SetupError::Model(reason) => {
            anyhow::anyhow!("{reason}; give --model to choose the model to play")
        }
        error => error.into(),
    })?;
    Ok((spec, store, mac))
}

/// The client certificate of `--cert`/`--key`/`--cert-password-env`.
fn client_identity(args: &FetchArgs) -> anyhow::Result<Option<ClientIdentity>> {
    Ok(match (&args.cert, &args.key) {
        (Some(cert), Some(key)) => Some(ClientIdentity::Pem {
            cert: cert.clone(),
            key: key.clone(),
        }),
        (Some(cert), None) if ClientIdentity::is_pkcs12(cert) => Some(ClientIdentity::Pkcs12 {
            path: cert.clone(),
            password: Secret::new(match &args.cert_password_env {
                Some(var) => secret_from_env(var)?,
                None => String::new(),
            }),
        }),
        (Some(cert), None) => Some(ClientIdentity::Pem {
            cert: cert.clone(),
            key: cert.clone(),
        }),
        _ => None,
    })
}

/// The live log: one block per event, written as it happens. A closed pipe ends the output,
/// not the fetch. Unless `reveal`, the digest response and cnonce and the passwords in bodies
/// are masked. What the server sent (body, headers, words quoted in notes) is text from
/// outside: its control characters are escaped, lines and tabs kept, so a hostile body cannot
/// drive the terminal. Files written (`--har`) keep the bytes as received.
fn print_event(event: &Event, reveal: bool) {
    use std::io::Write as _;
    let text = describe_event(event, reveal);
    if !text.is_empty() {
        let _ = writeln!(std::io::stdout().lock(), "{}", terminal_text(&text));
    }
}

fn describe_event(event: &Event, reveal: bool) -> String {
    match event {
        Event::Started(setting) => describe_setting(setting),
        Event::Note { text, .. } => format!("  note: {text}"),
        Event::Skipped { attempt, reason } => {
            format!("  skipped {}: {reason}", attempt.describe())
        }
        Event::Answer(answer) => describe_answer(answer, reveal),
        Event::Request(request) => format!(
            "\n→ {} {}   [{}]{}",
            request.method,
            shown_url(&request.target),
            request.attempt.describe(),
            header_lines(&shown_headers(&request.headers, reveal))
        ),
        Event::Response(response) => describe_response(response, reveal),
        Event::Challenges {
            challenges, error, ..
        } => match error {
            Some(error) => format!("  challenge: {error}"),
            None => describe_challenges(challenges),
        },
        Event::Chosen { reason, .. } => format!("  choice: {reason}"),
        Event::ManualEntry { attempt_no, tries } => {
            format!(
                "  the device asks for credentials on its display (try {attempt_no} of {tries})"
            )
        }
        Event::ManualEntryClosed { idle, .. } => {
            format!("  note: {}", manual_closed_note(*idle))
        }
        Event::TransportError { message, .. } => format!("✗ {message}"),
        Event::Finished { diagnosis, .. } => describe_diagnosis(diagnosis),
    }
}

fn describe_setting(setting: &Setting) -> String {
    format!(
        "Test fetch of {}\n  as {}: {} (digest {})",
        shown_url(&setting.url),
        setting.model,
        setting
            .ladder
            .iter()
            .map(|a| a.describe())
            .collect::<Vec<_>>()
            .join(" → "),
        setting
            .algorithms
            .iter()
            .map(|a| a.name())
            .collect::<Vec<_>>()
            .join("/")
    )
}

fn describe_answer(answer: &Answer, reveal: bool) -> String {
    let AnswerKind::Digest(d) = &answer.kind else {
        return format!("  Basic credentials for user \"{}\"", answer.username);
    };
    let (cnonce, response) = if reveal {
        (d.cnonce.as_str(), d.response.as_str())
    } else {
        (MASK, MASK)
    };
    let hashed = d.response_input_masked();
    let hashed = if reveal {
        hashed
    } else {
        hashed.replace(&d.cnonce, MASK)
    };
    let mut out = format!(
        "  digest for user \"{}\" ({}, qop {}, nc {}, cnonce {})\n    HA1 = H({}:{}:••••••) = ••••••\n    A2  = {}\n    HA2 = {}\n    response = H({}) = {}",
        answer.username,
        d.algorithm,
        d.qop.map_or("none", |q| q.name()),
        d.nc,
        cnonce,
        answer.username,
        d.realm,
        d.a2,
        d.ha2,
        hashed,
        response
    );
    if d.algorithm.is_session() {
        out.push_str("\n    (-sess: HA1 also hashes the nonce and cnonce)");
    }
    out
}

fn header_lines(headers: &[HeaderLine]) -> String {
    headers
        .iter()
        .map(|header| format!("\n    {}: {}", header.name, header.value))
        .collect()
}

fn describe_response(response: &ReceivedResponse, reveal: bool) -> String {
    let mut out = format!(
        "← {} {}   ({}, {} bytes){}",
        response.status,
        response.reason,
        crate::words::duration(response.total),
        response.body_size,
        header_lines(&shown_headers(&response.headers, reveal))
    );
    if response.is_success() && response.body_size > 0 {
        out.push('\n');
        for line in response.shown.text(reveal).lines() {
            out.push_str(&format!("\n    | {line}"));
        }
    }
    out
}

fn describe_challenges(challenges: &[ChallengeView]) -> String {
    challenges
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let stale = c.digest.as_ref().is_some_and(|d| d.stale);
            format!(
                "  challenge {}: {}{}{}",
                i + 1,
                c.describe(),
                if stale { " stale=true" } else { "" },
                c.problem
                    .as_ref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn describe_diagnosis(diagnosis: &[Diagnosis]) -> String {
    let mut out = String::from("\nDiagnosis");
    for d in diagnosis {
        let mark = match d.severity {
            Severity::Ok => "✓",
            Severity::Info => "i",
            Severity::Warning => "!",
            Severity::Error => "✗",
        };
        out.push_str(&format!(
            "\n{mark} [{}] {}\n  {}",
            d.code.as_str(),
            d.title,
            d.message
        ));
        if let Some(fix) = d.fix_to_show() {
            out.push_str(&format!("\n  Fix: {fix}"));
        }
    }
    out
}
