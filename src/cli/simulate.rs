//! `provdesk simulate provisioning`: a local digest provisioning server with fault modes, to
//! try a phone or the test fetch against a server whose behaviour is known.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args, Subcommand};

use crate::cli::live::print_until_ctrl_c;
use crate::digest::{Algorithm, Qop};
use crate::secret::Secret;
use crate::sim::provisioning::{Fault, LoggedRequest, ProvisioningSim, SimConfig, SimTls, SimUser};

#[derive(Debug, Subcommand)]
pub enum SimulateCommand {
    /// Serve configuration files behind HTTP digest, optionally with a fault, until Ctrl+C
    Provisioning(Box<ProvisioningArgs>),
    /// Serve a Gigaset redirect server (autoprov.* XML-RPC) until Ctrl+C
    Redirect(super::redirect::simulator::RedirectSimArgs),
}

#[derive(Debug, Args)]
pub struct ProvisioningArgs {
    /// Address to listen on; port 0 picks a free port (the URL printed shows it)
    #[arg(long, value_name = "ADDR")]
    bind: SocketAddr,
    /// What to get wrong on purpose; lockout=N locks a client out after N rejections
    #[arg(long, value_name = "F", default_value = "none", value_parser = parse_fault)]
    fault: Fault,
    /// Realm named in the challenges
    #[arg(long, value_name = "R", default_value = "provdesk-sim")]
    realm: String,
    /// Digest algorithm to offer, one challenge each, in the order given [default: MD5]
    #[arg(long = "algorithm", value_name = "A", value_parser = parse_algorithm)]
    algorithms: Vec<Algorithm>,
    /// qop to offer: auth, auth-int, "auth,auth-int", or none (RFC 2069)
    #[arg(long, value_name = "Q", default_value = "auth")]
    qop: String,
    /// A user name; each --user takes the password from the --password-env in the same place
    #[arg(long = "user", value_name = "NAME")]
    users: Vec<String>,
    /// Name of an environment variable holding the password of the matching --user
    #[arg(long = "password-env", value_name = "VAR")]
    password_envs: Vec<String>,
    /// Users from an htdigest file (user:realm:md5-ha1 lines)
    #[arg(long, value_name = "FILE")]
    htdigest: Option<PathBuf>,
    /// Serve the files of this folder
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Serve a local file at a request path, e.g. /7C2F80820EC0.xml=./n510.xml
    #[arg(long = "file", value_name = "PATH=FILE")]
    files: Vec<String>,
    /// Serve HTTPS; without --cert/--key, with the public test certificate for 127.0.0.1
    /// and localhost (clients trust tests/data/tls/ca.pem)
    #[arg(long)]
    tls: bool,
    /// Server certificate chain (PEM)
    #[arg(long, value_name = "FILE", requires_all = ["tls", "key"])]
    cert: Option<PathBuf>,
    /// Server private key (PEM)
    #[arg(long, value_name = "FILE", requires_all = ["tls", "cert"])]
    key: Option<PathBuf>,
    /// Require client certificates signed by this CA (PEM)
    #[arg(long, value_name = "FILE", requires = "tls")]
    client_ca: Option<PathBuf>,
    /// Seconds a nonce stays fresh before a correct answer is told stale=true (at least 1:
    /// with 0 every answer would be stale)
    #[arg(long, value_name = "SECS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..))]
    nonce_lifetime: u64,
}

fn parse_fault(name: &str) -> Result<Fault, String> {
    Fault::parse(name).ok_or_else(|| format!("known faults: {}", Fault::names().join(", ")))
}

fn parse_algorithm(name: &str) -> Result<Algorithm, String> {
    Algorithm::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Algorithm::ALL.iter().map(|a| a.name()).collect();
        format!("known algorithms: {}", names.join(", "))
    })
}

pub fn run(command: SimulateCommand) -> anyhow::Result<()> {
    match command {
        SimulateCommand::Provisioning(args) => {
            let bind = args.bind;
            let config = config(*args)?;
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
                .block_on(serve(bind, config))
        }
        SimulateCommand::Redirect(args) => super::redirect::simulator::run(args),
    }
}

fn config(args: ProvisioningArgs) -> anyhow::Result<SimConfig> {
    let qop = match args.qop.trim() {
        "none" => Vec::new(),
        list => list
            .split(',')
            .map(|name| {
                Qop::parse(name)
                    .ok_or_else(|| anyhow::anyhow!("--qop {name:?}: use auth, auth-int or none"))
            })
            .collect::<anyhow::Result<_>>()?,
    };
    if args.users.len() != args.password_envs.len() {
        anyhow::bail!(
            "each --user needs its --password-env ({} users, {} variables)",
            args.users.len(),
            args.password_envs.len()
        );
    }
    let mut users = Vec::new();
    for (name, var) in args.users.into_iter().zip(&args.password_envs) {
        users.push(SimUser::password(
            name,
            Secret::new(super::secret_from_env(var)?),
        ));
    }
    if let Some(path) = &args.htdigest {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        users.extend(SimUser::load_htdigest(&text).with_context(|| path.display().to_string())?);
    }
    let mut files = BTreeMap::new();
    for spec in &args.files {
        let (path, local) = spec
            .split_once('=')
            .filter(|(path, _)| path.starts_with('/'))
            .ok_or_else(|| anyhow::anyhow!("--file {spec:?}: expected /request/path=local-file"))?;
        let body = std::fs::read(local).with_context(|| format!("cannot read {local}"))?;
        files.insert(path.to_string(), body);
    }
    let tls = if args.tls {
        let mut tls = match (&args.cert, &args.key) {
            (Some(cert), Some(key)) => SimTls {
                cert_chain_pem: read(cert)?,
                key_pem: Secret::new(read(key)?),
                client_ca_pem: None,
            },
            _ => SimTls::test_pair(),
        };
        tls.client_ca_pem = args.client_ca.as_ref().map(read).transpose()?;
        Some(tls)
    } else {
        None
    };
    Ok(SimConfig {
        realm: args.realm,
        algorithms: if args.algorithms.is_empty() {
            vec![Algorithm::Md5]
        } else {
            args.algorithms
        },
        qop,
        users,
        files,
        dir: args.dir,
        nonce_lifetime: Duration::from_secs(args.nonce_lifetime),
        fault: args.fault,
        tls,
    })
}

fn read(path: &PathBuf) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Serves until Ctrl+C, printing the URL first (so scripts can read the port) and then one
/// line per request.
async fn serve(bind: SocketAddr, config: SimConfig) -> anyhow::Result<()> {
    let fault = config.fault;
    let no_users = config.users.is_empty();
    let paths: Vec<String> = config.files.keys().cloned().collect();
    let dir = config.dir.clone();
    let sim = ProvisioningSim::start(bind, config)
        .await
        .with_context(|| format!("cannot serve on {bind}"))?;
    let requests = sim.subscribe();
    if sim.addr().ip().is_unspecified() {
        // The URL names this machine; say that other machines reach it too.
        say!(
            "listening on every interface, port {}; from this machine: {}",
            sim.addr().port(),
            sim.url("/")
        );
    } else {
        say!("listening on {}", sim.url("/"));
    }
    say!("fault: {fault} ({})", fault.describe());
    for path in &paths {
        say!("serving {}", sim.url(path));
    }
    if let Some(dir) = dir {
        say!("serving the files of {}", dir.display());
    }
    if no_users {
        eprintln!(
            "provdesk: no users, so every answer is rejected; add --user NAME --password-env VAR or --htdigest FILE"
        );
    }
    print_until_ctrl_c(requests, "requests", request_line).await?;
    sim.shutdown().await;
    Ok(())
}

/// `127.0.0.1:50312 GET /a.xml 401 no credentials`, plus the client certificate's name and the
/// phone its User-Agent names (`[N510 IP PRO 42.245.00.000.000]`).
fn request_line(request: &LoggedRequest) -> String {
    let status = request
        .status
        .map_or_else(|| "(no answer)".to_string(), |s| s.to_string());
    let certificate = request
        .client_cert_cn
        .as_ref()
        .map(|cn| format!(" [client certificate CN={cn}]"))
        .unwrap_or_default();
    let phone = request
        .phone()
        .map(|phone| {
            let firmware = phone.firmware.as_deref().unwrap_or("firmware unknown");
            format!(" [{} {firmware}]", phone.model.name)
        })
        .unwrap_or_default();
    format!(
        "{} {} {} {status} {}{certificate}{phone}",
        request.peer, request.method, request.target, request.why
    )
}
