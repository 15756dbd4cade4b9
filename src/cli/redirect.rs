//! `provdesk redirect`: one call to the Gigaset redirect server (check, register, deregister,
//! list), with what the server says recorded in the inventory for devices it holds.

pub mod simulator;

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Subcommand};

use super::secret_from_env;
use crate::cancel::CancelFlag;
use crate::device::mask_url_password;
use crate::inventory::resolve_db_path;
use crate::ops::redirect::{Answer, DeviceCall, DeviceRequest, device_calls};
use crate::redirect::{
    Account, AccountStore, DEFAULT_ENDPOINT, GigasetClient, MAX_TIMEOUT, RedirectService,
    RemoteDevice, cleartext_warning,
};
use crate::secret::Secret;
use crate::words;

/// How to reach the redirect server; shared with `provdesk sync`.
#[derive(Debug, Args)]
pub struct ServerArgs {
    /// Redirect server endpoint [default: the saved account's, else https://prov.gigaset.net/apxml/rpc.do]
    #[arg(long, global = true, value_name = "URL")]
    server: Option<String>,
    /// Provisioner user name [default: the saved account's]
    #[arg(long, global = true, value_name = "U")]
    user: Option<String>,
    /// Environment variable holding the provisioner password [default: the keyring]
    #[arg(long, global = true, value_name = "VAR")]
    password_env: Option<String>,
    /// Seconds to wait for each answer (at most 3600)
    #[arg(long, global = true, value_name = "S", default_value_t = 30.0)]
    timeout: f64,
    /// Allow a plain http:// server on another machine (lab only: the provisioner password
    /// crosses the network in clear). http:// to this machine needs no switch.
    #[arg(long, global = true)]
    allow_http: bool,
}

impl ServerArgs {
    /// The account to use: options first, then the saved account. `--password-env` always
    /// wins over the keyring.
    pub fn account(&self, store: &AccountStore) -> anyhow::Result<Account> {
        let saved = store.load()?;
        let user = match (&self.user, &saved) {
            (Some(user), _) => user.clone(),
            (None, Some(saved)) => saved.user.clone(),
            (None, None) => anyhow::bail!(
                "no provisioner account: pass --user U --password-env VAR, or save one with `provdesk redirect --user U --password-env VAR save-account`"
            ),
        };
        let endpoint = self
            .server
            .clone()
            .or_else(|| saved.as_ref().map(|s| s.endpoint.clone()))
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string());
        let password = match &self.password_env {
            Some(var) => Secret::new(secret_from_env(var)?),
            None => store.password(&user)?.ok_or_else(|| {
                anyhow::anyhow!(
                    "no password stored for {user}: pass --password-env VAR, or save the account with `provdesk redirect --user {user} --password-env VAR save-account`"
                )
            })?,
        };
        Ok(Account::new(endpoint, user, password).allowing_http(self.allow_http))
    }

    /// The `--timeout` as a duration: more than zero, at most [`MAX_TIMEOUT`].
    pub fn timeout(&self) -> anyhow::Result<Duration> {
        match Duration::try_from_secs_f64(self.timeout) {
            Ok(timeout) if !timeout.is_zero() && timeout <= MAX_TIMEOUT => Ok(timeout),
            _ => anyhow::bail!(
                "--timeout {} is not a usable number of seconds: give more than 0 and at most {}, e.g. --timeout 30",
                self.timeout,
                MAX_TIMEOUT.as_secs()
            ),
        }
    }

    /// The client, warning on stderr when the password goes to another machine in clear.
    pub fn client(&self, store: &AccountStore) -> anyhow::Result<GigasetClient> {
        let timeout = self.timeout()?;
        let account = self.account(store)?;
        let client = GigasetClient::new(&account, timeout)?;
        if let Some(warning) = cleartext_warning(&account) {
            eprintln!("provdesk: warning: {warning}");
        }
        Ok(client)
    }
}

#[derive(Debug, Args)]
pub struct RedirectArgs {
    #[command(flatten)]
    server: ServerArgs,
    #[command(subcommand)]
    command: RedirectCommand,
}

#[derive(Debug, Subcommand)]
pub enum RedirectCommand {
    /// Ask whether a device is registered, and where to (exit 0 only when it is)
    Check {
        /// MAC-ID (7C2F80820EC0-55DF), or the plain MAC of a device without one
        mac_id: String,
    },
    /// Register a device; its MAC password is kept in the inventory
    Register {
        mac_id: String,
        /// Provisioning URL pattern, e.g. http://p.example/%MACD.xml
        url: String,
        provider: String,
    },
    /// Remove a device's registration
    Deregister { mac_id: String },
    /// List the registrations of these providers (all of the account's when none is given)
    List { providers: Vec<String> },
    /// Save --server, --user and the password from --password-env as the account to use
    SaveAccount,
}

/// The data folder: where the inventory lives, and the account file beside it.
pub fn data_dir(db: Option<PathBuf>) -> anyhow::Result<(PathBuf, PathBuf)> {
    let db = resolve_db_path(db)?;
    let dir = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Ok((db, dir))
}

pub fn run(db: Option<PathBuf>, args: RedirectArgs) -> anyhow::Result<bool> {
    let (db_path, dir) = data_dir(db)?;
    let store = AccountStore::new(&dir);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(call(&db_path, &store, &args.server, args.command))
}

async fn call(
    db: &Path,
    store: &AccountStore,
    server: &ServerArgs,
    command: RedirectCommand,
) -> anyhow::Result<bool> {
    let client = || server.client(store);
    let (mac_id, call) = match command {
        RedirectCommand::SaveAccount => {
            let account = server.account(store)?;
            let home = store.save(&account)?;
            say!(
                "saved the account {} for {}",
                account.user,
                mask_url_password(&account.endpoint)
            );
            if let (Some(warning), Some(why)) = (home.warning(), home.why()) {
                eprintln!("provdesk: {warning} (the keyring said: {why})");
            }
            return Ok(true);
        }
        RedirectCommand::List { providers } => {
            let devices = client()?.list(&providers).await?;
            for device in devices.iter().map(RemoteDevice::shown) {
                say!(
                    "{:<12}  {:<16}  {}  {}",
                    device.mac,
                    device.provider,
                    device.date,
                    device.url
                );
            }
            say!("{} registered", words::count(devices.len(), "device"));
            return Ok(true);
        }
        RedirectCommand::Check { mac_id } => (mac_id, DeviceCall::Check),
        RedirectCommand::Register {
            mac_id,
            url,
            provider,
        } => (
            mac_id,
            DeviceCall::Register {
                url: url.trim().to_string(),
                provider: provider.trim().to_string(),
            },
        ),
        RedirectCommand::Deregister { mac_id } => (mac_id, DeviceCall::Deregister),
    };
    let is_check = call == DeviceCall::Check;
    let request = DeviceRequest {
        mac_id: mac_id.trim().to_string(),
        call,
    };
    let client = client()?;
    let mut inventory = super::open_inventory(db)?;
    let outcomes = device_calls(
        &client,
        &mut inventory,
        vec![request],
        &mut |_| {},
        &CancelFlag::default(),
    )
    .await?;
    let mut ok = true;
    for outcome in &outcomes {
        if outcome.succeeded() {
            say!("{} {}", outcome.mac_id, outcome.sentence());
        } else {
            eprintln!("provdesk: {}: {}", outcome.mac_id, outcome.sentence());
        }
        // A check answers a question: exit 0 only when the device is registered.
        ok &= if is_check {
            matches!(outcome.answer, Answer::Registered { .. })
        } else {
            outcome.succeeded()
        };
    }
    Ok(ok)
}
