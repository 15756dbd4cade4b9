//! `provdesk redirect`: one call to the Gigaset redirect server (check, register, deregister,
//! list), with what the server says recorded in the inventory for devices it holds.

pub mod simulator;

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Subcommand};

use super::secret_from_env;
use crate::device::{Mac, mask_url_password};
use crate::inventory::{Inventory, RedirectUpdate, resolve_db_path};
use crate::redirect::{
    Account, AccountStore, CheckAnswer, DEFAULT_ENDPOINT, DeviceAnswer, GigasetClient,
    RedirectService, ResultCode,
};
use crate::secret::Secret;

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
    /// Seconds to wait for each answer
    #[arg(long, global = true, value_name = "S", default_value_t = 30.0)]
    timeout: f64,
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
        Ok(Account::new(endpoint, user, password))
    }

    pub fn timeout(&self) -> anyhow::Result<Duration> {
        if !(self.timeout > 0.0 && self.timeout.is_finite()) {
            anyhow::bail!("--timeout must be a positive number of seconds");
        }
        Ok(Duration::from_secs_f64(self.timeout))
    }

    pub fn client(&self, store: &AccountStore) -> anyhow::Result<GigasetClient> {
        Ok(GigasetClient::new(&self.account(store)?, self.timeout()?)?)
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

/// The MAC inside a MAC-ID or plain MAC, to find the device in the inventory.
fn mac_of(mac_id: &str) -> Option<Mac> {
    let text = mac_id.trim();
    Mac::parse(text.split_once('-').map_or(text, |(mac, _)| mac)).ok()
}

pub fn run(db: Option<PathBuf>, args: RedirectArgs) -> anyhow::Result<bool> {
    let (db_path, dir) = data_dir(db)?;
    let store = AccountStore::new(&dir);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(call(&db_path, &store, &args.server, args.command))
}

/// Records news about one device if the inventory holds it; says whether it did.
fn record(db: &Path, mac_id: &str, update: RedirectUpdate) -> anyhow::Result<bool> {
    let Some(mac) = mac_of(mac_id) else {
        return Ok(false);
    };
    let mut inventory = Inventory::open(db)?;
    Ok(inventory.record_redirect(&[(mac, update)])? == 1)
}

fn refused(code: &ResultCode) -> RedirectUpdate {
    RedirectUpdate::Failed {
        error: format!("{}: {code}", code.code()),
    }
}

async fn call(
    db: &Path,
    store: &AccountStore,
    server: &ServerArgs,
    command: RedirectCommand,
) -> anyhow::Result<bool> {
    let client = || server.client(store);
    match command {
        RedirectCommand::SaveAccount => {
            let account = server.account(store)?;
            let home = store.save(&account)?;
            say!(
                "saved the account {} for {}",
                account.user,
                account.endpoint
            );
            if let Some(warning) = home.warning() {
                eprintln!("provdesk: {warning}");
            }
            Ok(true)
        }
        RedirectCommand::Check { mac_id } => match client()?.check(mac_id.trim()).await? {
            CheckAnswer::Registered(remote) => {
                say!(
                    "{} is registered: provider {}, URL {}, since {}",
                    mac_id.trim(),
                    remote.provider,
                    mask_url_password(&remote.url),
                    remote.date
                );
                let date = Some(remote.date).filter(|d| !d.is_empty());
                record(
                    db,
                    &mac_id,
                    RedirectUpdate::Registered {
                        provider: remote.provider,
                        url: remote.url,
                        date,
                        mac_password: None,
                    },
                )?;
                Ok(true)
            }
            CheckAnswer::Refused(code @ ResultCode::MacNotFound(_)) => {
                say!("{} is not registered", mac_id.trim());
                record(db, &mac_id, RedirectUpdate::NotRegistered)?;
                eprintln!("provdesk: {}: {code}", mac_id.trim());
                Ok(false)
            }
            CheckAnswer::Refused(code) => {
                record(db, &mac_id, refused(&code))?;
                anyhow::bail!("{}: {code}", mac_id.trim())
            }
        },
        RedirectCommand::Register {
            mac_id,
            url,
            provider,
        } => {
            let (mac_id, url, provider) = (mac_id.trim(), url.trim(), provider.trim());
            match client()?.register(mac_id, url, provider).await? {
                DeviceAnswer::Ok { mac_password } => {
                    let has_password = mac_password.is_some();
                    let kept = record(
                        db,
                        mac_id,
                        RedirectUpdate::Registered {
                            provider: provider.to_string(),
                            url: url.to_string(),
                            date: None,
                            mac_password,
                        },
                    )?;
                    say!(
                        "registered {mac_id} with {provider}: {}",
                        mask_url_password(url)
                    );
                    match (has_password, kept) {
                        (true, true) => say!("its MAC password is kept in the inventory"),
                        (true, false) => eprintln!(
                            "provdesk: {mac_id} is not in the inventory, so its MAC password was not kept; add the device, then deregister and register it again (or read the password in the Gigaset web portal)"
                        ),
                        _ => {}
                    }
                    Ok(true)
                }
                DeviceAnswer::Refused(code) => {
                    record(db, mac_id, refused(&code))?;
                    anyhow::bail!("{mac_id}: {code}")
                }
            }
        }
        RedirectCommand::Deregister { mac_id } => {
            match client()?.deregister(mac_id.trim()).await? {
                DeviceAnswer::Ok { .. } => {
                    record(db, &mac_id, RedirectUpdate::NotRegistered)?;
                    say!("deregistered {}", mac_id.trim());
                    Ok(true)
                }
                DeviceAnswer::Refused(code) => {
                    record(db, &mac_id, refused(&code))?;
                    anyhow::bail!("{}: {code}", mac_id.trim())
                }
            }
        }
        RedirectCommand::List { providers } => {
            let devices = client()?.list(&providers).await?;
            for device in &devices {
                say!(
                    "{:<12}  {:<16}  {}  {}",
                    device.mac,
                    device.provider,
                    device.date,
                    mask_url_password(&device.url)
                );
            }
            say!("{} registered device(s)", devices.len());
            Ok(true)
        }
    }
}
