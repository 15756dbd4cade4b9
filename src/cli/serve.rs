//! `provdesk serve`: serve the inventory's devices their files, one line (or JSON object) per
//! request, until Ctrl-C.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;

use crate::inventory::{Inventory, RolloutProgress, resolve_db_path};
use crate::serve::{
    Credential, JsonLog, PhoneBook, PhoneDiagnosis, RunningServer, ServeConfig, ServeEvent,
    TlsIdentity, TlsSource, Verdict, credentials_warning, render_failures, render_warning, start,
};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on; a LAN address (or 0.0.0.0) for real phones
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8631")]
    bind: SocketAddr,
    /// The digest realm phones answer for
    #[arg(long, value_name = "R", default_value = crate::serve::DEFAULT_REALM)]
    realm: String,
    /// Seconds a nonce is good for before the phone gets stale=true
    #[arg(long, value_name = "S", default_value_t = 300)]
    nonce_lifetime: u64,
    /// Lock a client out after this many refused answers (off by default: a phone's MAC /
    /// MAC password attempt counts as one)
    #[arg(long, value_name = "N")]
    lockout: Option<u32>,
    /// How long a lockout lasts, in seconds
    #[arg(long, value_name = "S", default_value_t = 300, requires = "lockout")]
    lockout_seconds: u64,
    /// Serve HTTPS: with --cert/--key, or a self-signed certificate made on first use and kept
    /// beside the inventory
    #[arg(long)]
    tls: bool,
    /// Certificate (PEM) for --tls
    #[arg(long, value_name = "FILE", requires_all = ["tls", "key"])]
    cert: Option<PathBuf>,
    /// Private key (PEM) for --tls
    #[arg(long, value_name = "FILE", requires_all = ["tls", "cert"])]
    key: Option<PathBuf>,
    /// Also write one JSON object per request to this file (never a password or digest response)
    #[arg(long, value_name = "FILE")]
    log_json: Option<PathBuf>,
    /// Serve only this site's devices
    #[arg(long, value_name = "S")]
    site: Option<String>,
    /// Take HTTP Basic from devices whose model accepts it (DE series; the password then
    /// travels in clear, so use it with --tls or on a bench only)
    #[arg(long)]
    basic: bool,
    /// Follow the credential rollout (`provdesk rollout start`): print how many devices have
    /// switched at start and whenever one switches
    #[arg(long)]
    rollout: bool,
}

pub fn run(db: Option<PathBuf>, args: ServeArgs) -> anyhow::Result<bool> {
    let db = resolve_db_path(db)?;
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(async move {
            let tls = tls_identity(&args, &db)?;
            if let Some(identity) = &tls {
                let made = if identity.made_now { "made now, " } else { "" };
                say!(
                    "HTTPS with {} ({made}SHA-256 {})",
                    identity.cert_path.display(),
                    identity.fingerprint
                );
            }
            let config = ServeConfig {
                realm: args.realm,
                nonce_lifetime: Duration::from_secs(args.nonce_lifetime.max(1)),
                lockout_after: args.lockout,
                lockout_for: Duration::from_secs(args.lockout_seconds),
                tls,
                site: args.site.clone(),
                basic: args.basic,
            };
            let server = start(&db, args.bind, config).await?;
            let inventory = super::open_inventory(&db)?;
            let gaps = inventory.credential_gaps(args.site.as_deref())?;
            let failures = render_failures(&inventory, args.site.as_deref())?;
            drop(inventory);
            let site = args
                .site
                .map(|site| format!(" (site {site} only)"))
                .unwrap_or_default();
            say!("serving {}{site} on {}", db.display(), server.addr());
            say!("give phones the URL {}", server.url_pattern());
            for warning in credentials_warning(&gaps)
                .into_iter()
                .chain(render_warning(&failures))
            {
                eprintln!("warning: {warning}");
            }
            say!("press Ctrl-C to stop");
            let rollout = if args.rollout {
                Some(RolloutWatch::open(&db)?)
            } else {
                None
            };
            log_until_ctrl_c(server, &db, args.log_json, rollout).await
        })?;
    Ok(true)
}

/// The certificate for `--tls`: the given files, or the self-signed pair beside the inventory.
fn tls_identity(args: &ServeArgs, db: &std::path::Path) -> anyhow::Result<Option<TlsIdentity>> {
    if !args.tls {
        return Ok(None);
    }
    let source = match (&args.cert, &args.key) {
        (Some(cert), Some(key)) => TlsSource::Files {
            cert: cert.clone(),
            key: key.clone(),
        },
        _ => TlsSource::beside_inventory(db),
    };
    Ok(Some(TlsIdentity::load(&source, &[args.bind.ip()])?))
}

/// `--rollout`: the progress lines, printed again when they change.
struct RolloutWatch {
    inventory: Inventory,
    shown: Vec<String>,
}

impl RolloutWatch {
    fn open(db: &Path) -> anyhow::Result<Self> {
        let mut watch = Self {
            inventory: super::open_inventory(db)?,
            shown: Vec::new(),
        };
        let lines = watch.lines()?;
        if lines.is_empty() {
            say!("rollout: none is on (start one with `provdesk rollout start`)");
        }
        watch.show(lines)?;
        Ok(watch)
    }

    fn lines(&self) -> anyhow::Result<Vec<String>> {
        Ok(self
            .inventory
            .rollout_progress()?
            .iter()
            .map(RolloutProgress::line)
            .collect())
    }

    fn show(&mut self, lines: Vec<String>) -> anyhow::Result<()> {
        if lines != self.shown {
            for line in &lines {
                say!("rollout: {line}");
            }
            self.shown = lines;
        }
        Ok(())
    }

    fn refresh(&mut self) -> anyhow::Result<()> {
        let lines = self.lines()?;
        self.show(lines)
    }
}

/// Where each request goes: stdout, the phone diagnoses, `--log-json`, the rollout lines.
struct Printer {
    json: Option<JsonLog>,
    phones: PhoneBook,
    rollout: Option<RolloutWatch>,
    /// Read for which way each device's rollout goes, when a phone is served to credentials
    /// a rollout replaces: `provdesk rollout` may have started, cancelled or enforced one.
    inventory: Inventory,
}

impl Printer {
    fn print(&mut self, event: &ServeEvent) -> anyhow::Result<()> {
        say!("{}", event.line());
        if event.verdict
            == (Verdict::Served {
                credential: Credential::OldConfigured,
            })
        {
            self.phones
                .set_rollouts(self.inventory.rollout_directions()?);
        }
        if let Some(phone) = self.phones.record(event)
            && phone.diagnosis != PhoneDiagnosis::Served
        {
            say!("  phone {}: {}", phone.device, phone.diagnosis.explain());
        }
        if let Some(log) = self.json.as_mut() {
            log.write(event)?;
        }
        if let (Some(watch), Verdict::Served { .. }) = (self.rollout.as_mut(), &event.verdict) {
            watch.refresh()?;
        }
        Ok(())
    }
}

/// Prints every request until Ctrl-C; then stops accepting and still prints the requests
/// already answered, so that no answered request is missing from the log.
async fn log_until_ctrl_c(
    mut server: RunningServer,
    db: &Path,
    log_json: Option<PathBuf>,
    rollout: Option<RolloutWatch>,
) -> anyhow::Result<()> {
    let json = log_json
        .map(|path| JsonLog::open(&path))
        .transpose()
        .map_err(|e| anyhow::anyhow!("--log-json: {e}"))?;
    let mut printer = Printer {
        json,
        phones: PhoneBook::default(),
        rollout,
        inventory: super::open_inventory(db)?,
    };
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            event = server.next_event() => match event {
                Some(event) => printer.print(&event)?,
                None => return Ok(()),
            },
        }
    }
    server.stop().await;
    while let Some(event) = server.next_event().await {
        printer.print(&event)?;
    }
    Ok(())
}
