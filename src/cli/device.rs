//! `provdesk device add|set|rm|sip|site`: change one device, its SIP accounts, or the site of
//! several.

use clap::{Args, Subcommand};

use super::provisioning_args::ProvisioningArgs;
use crate::device::{
    DeviceDraft, Field, Mac, NewDevice, SipAccountDraft, find_model, oui_hint, sip_account_limit,
    url_file_warning,
};
use crate::inventory::{Inventory, move_lockout_warning};
use crate::secret::Secret;
use crate::words;

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Add a device to the inventory
    Add(Box<AddArgs>),
    /// Change a stored device's own values; options not given keep theirs, an empty value
    /// clears one (the device then inherits its site's)
    Set(Box<SetArgs>),
    /// Remove devices by their MACs (any notation), all or none
    Rm {
        /// The devices' MACs
        #[arg(required = true)]
        macs: Vec<String>,
    },
    /// Show a device's SIP accounts, or set (--account N and values) or remove one
    Sip(Box<SipArgs>),
    /// Put devices in a site (created if new), or with --none take them out of theirs
    Site {
        /// The devices' MACs (any notation)
        #[arg(required = true)]
        macs: Vec<String>,
        /// The site
        #[arg(
            long,
            value_name = "S",
            required_unless_present = "none",
            conflicts_with = "none"
        )]
        site: Option<String>,
        /// Take the devices out of their site
        #[arg(long)]
        none: bool,
        /// Move them even though phones holding their old site's credentials would be
        /// refused from their next fetch
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct SipArgs {
    /// The device's MAC
    mac: String,
    /// The account to set or remove (1 = the first); without it the accounts are shown
    #[arg(long, value_name = "N")]
    account: Option<u8>,
    /// Remove the account instead of setting it
    #[arg(long, requires = "account")]
    remove: bool,
    /// The extension (user part of the SIP address); needed for a new account
    #[arg(long, value_name = "U")]
    user: Option<String>,
    /// Authentication user, where it differs from the extension
    #[arg(long, value_name = "A")]
    auth_user: Option<String>,
    /// Name of an environment variable holding the account's password
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// Registrar host (default: the site's)
    #[arg(long, value_name = "HOST")]
    registrar: Option<String>,
    /// Registrar port (default: the site's, else 5060, 5061 for TLS)
    #[arg(long, value_name = "PORT")]
    port: Option<String>,
    /// udp, tcp or tls (default: the site's, else udp)
    #[arg(long, value_name = "T")]
    transport: Option<String>,
    #[arg(long, value_name = "NAME")]
    display_name: Option<String>,
    #[arg(long, value_name = "HOST")]
    outbound_proxy: Option<String>,
}

/// A device's own values, as `device add` and `device set` take them.
#[derive(Debug, Args)]
pub struct DeviceValues {
    /// MAC-ID from the label, e.g. 7C2F80820EC0-55DF
    #[arg(long, value_name = "ID")]
    mac_id: Option<String>,
    /// Model name or alias, e.g. "N510 IP PRO", Maxwell3
    #[arg(long, value_name = "M")]
    model: Option<String>,
    #[command(flatten)]
    provisioning: ProvisioningArgs,
    /// Name of an environment variable holding the MAC password from the redirect server
    #[arg(long, value_name = "VAR")]
    mac_password_env: Option<String>,
    /// Free-text notes
    #[arg(long, value_name = "TEXT")]
    notes: Option<String>,
}

impl DeviceValues {
    /// The values given, by field, secrets read from their variables; `None` where an option
    /// was not given.
    fn by_field(self) -> anyhow::Result<[(Field, Option<String>); 8]> {
        let secret = |var: Option<String>| var.map(|var| super::secret_from_env(&var)).transpose();
        let digest_password = self
            .provisioning
            .digest_password()?
            .map(|password| password.expose().to_string());
        Ok([
            (Field::MacId, self.mac_id),
            (Field::Model, self.model),
            (Field::Provider, self.provisioning.provider),
            (Field::Url, self.provisioning.url),
            (Field::DigestUsername, self.provisioning.digest_user),
            (Field::DigestPassword, digest_password),
            (Field::MacPassword, secret(self.mac_password_env)?),
            (Field::Notes, self.notes),
        ])
    }
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// MAC address in any common notation
    #[arg(long, value_name = "M")]
    mac: String,
    /// Site name; created if new
    #[arg(long, value_name = "S")]
    site: Option<String>,
    #[command(flatten)]
    values: DeviceValues,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The device's MAC (any notation)
    mac: String,
    #[command(flatten)]
    values: DeviceValues,
}

pub fn run(inventory: &mut Inventory, command: DeviceCommand) -> anyhow::Result<()> {
    match command {
        DeviceCommand::Add(args) => add(inventory, *args),
        DeviceCommand::Set(args) => set(inventory, *args),
        DeviceCommand::Rm { macs } => {
            let ids = ids_of(inventory, &macs)?;
            let removed: Vec<String> = inventory
                .delete_devices(&ids)?
                .iter()
                .map(|device| device.mac.macd())
                .collect();
            say!("removed {}", removed.join(", "));
            Ok(())
        }
        DeviceCommand::Sip(args) => sip(inventory, *args),
        DeviceCommand::Site {
            macs, site, force, ..
        } => set_site(inventory, &macs, site.as_deref(), force),
    }
}

/// The ids of the devices `macs` name, every one checked before anything changes: a command
/// over several devices changes all of them in one transaction, or none.
fn ids_of(inventory: &Inventory, macs: &[String]) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(macs.len());
    for text in macs {
        let mac = Mac::parse(text).map_err(|e| anyhow::anyhow!("{text}: {e}; nothing changed"))?;
        let device = inventory
            .device_by_mac(mac)?
            .ok_or_else(|| anyhow::anyhow!("{mac} is not in the inventory; nothing changed"))?;
        if !ids.contains(&device.id) {
            ids.push(device.id);
        }
    }
    Ok(ids)
}

/// Moves the devices; refuses without `force` when phones would lose the credentials they
/// hold, as `site set` does for a site's own change.
fn set_site(
    inventory: &mut Inventory,
    macs: &[String],
    site: Option<&str>,
    force: bool,
) -> anyhow::Result<()> {
    let ids = ids_of(inventory, macs)?;
    let locked = inventory.site_move_lockouts(&ids, site)?;
    if !locked.is_empty() && !force {
        anyhow::bail!(
            "nothing was moved: {}. Give {them} those credentials first with a rollout (`provdesk rollout start --mac MAC --user U --password-env VAR`, enforced once switched), then move {them}; or pass --force to move now",
            move_lockout_warning(&locked, site),
            them = words::agree(locked.len(), "it", "them"),
        );
    }
    let changed = words::count(inventory.set_site(&ids, site)?, "device");
    if !locked.is_empty() {
        say!("{}", move_lockout_warning(&locked, site));
    }
    match site {
        Some(site) => say!("moved {changed} to site {}", site.trim()),
        None => say!("took {changed} out of their site"),
    }
    Ok(())
}

/// Shows the accounts, or changes one and shows the result. The password is never printed.
fn sip(inventory: &mut Inventory, args: SipArgs) -> anyhow::Result<()> {
    let mac = Mac::parse(&args.mac)?;
    if let Some(index) = args.account {
        let mut accounts = inventory.stored_sip_accounts(&mac)?;
        let existing = accounts.iter().position(|a| a.index == index);
        if args.remove {
            let at = existing.ok_or_else(|| {
                anyhow::anyhow!("{mac} has no SIP account {index}; show its accounts with `provdesk device sip {mac}`")
            })?;
            accounts.remove(at);
        } else {
            let mut draft = existing
                .map(|at| SipAccountDraft::of(&accounts[at]))
                .unwrap_or_default();
            let given = [
                (&mut draft.user, args.user),
                (&mut draft.auth_user, args.auth_user),
                (&mut draft.registrar, args.registrar),
                (&mut draft.port, args.port),
                (&mut draft.transport, args.transport),
                (&mut draft.display_name, args.display_name),
                (&mut draft.outbound_proxy, args.outbound_proxy),
            ];
            for (field, value) in given {
                if let Some(value) = value {
                    *field = value;
                }
            }
            if let Some(var) = args.password_env {
                draft.password = Secret::new(super::secret_from_env(&var)?);
            }
            let model = inventory
                .device_by_mac(mac)?
                .and_then(|device| device.model)
                .and_then(|name| find_model(&name));
            let account = draft
                .validate(index, sip_account_limit(model))
                .map_err(|errors| {
                    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                    anyhow::anyhow!("SIP account not set:\n  {}", lines.join("\n  "))
                })?;
            match existing {
                Some(at) => accounts[at] = account,
                None => accounts.push(account),
            }
        }
        inventory.set_sip_accounts(&mac, &accounts)?;
    }
    let accounts = inventory.sip_accounts(&mac)?;
    if accounts.is_empty() {
        say!("{mac} has no SIP accounts");
    }
    for account in accounts {
        say!(
            "{}\tuser={}\tauth_user={}\tregistrar={}:{}/{}\tdisplay_name={}\toutbound_proxy={}\tpassword={}",
            account.index,
            account.user,
            account.auth_user.as_deref().unwrap_or(""),
            account.registrar.as_deref().unwrap_or("-"),
            account.port.map(|p| p.to_string()).unwrap_or_default(),
            account.transport.map(|t| t.as_str()).unwrap_or_default(),
            account.display_name.as_deref().unwrap_or(""),
            account.outbound_proxy.as_deref().unwrap_or(""),
            if account.password.is_some() {
                "set"
            } else {
                "none"
            },
        );
    }
    Ok(())
}

/// Edits the device the way its form in the window does: its stored values as a draft, the
/// given options written over them, then the same validation as `device add`. Names the
/// fields that changed, never their secret values.
fn set(inventory: &mut Inventory, args: SetArgs) -> anyhow::Result<()> {
    let mac = Mac::parse(&args.mac)?;
    let device = inventory.device_by_mac(mac)?.ok_or_else(|| {
        anyhow::anyhow!(
            "{mac} is not in the inventory; add it with `provdesk device add --mac {mac}`"
        )
    })?;
    let mut draft = device.to_draft();
    let given = args.values.by_field()?;
    if given.iter().all(|(_, value)| value.is_none()) {
        anyhow::bail!(
            "nothing to change for {mac}: give a value to set, e.g. --provider P or --url U (see `provdesk device set --help`)"
        );
    }
    let mut changed = Vec::new();
    for (field, value) in given {
        let Some(value) = value else { continue };
        let text = draft.field_mut(field);
        if text.trim() != value.trim() {
            changed.push(field.label());
        }
        *text = value;
    }
    if changed.is_empty() {
        say!("{mac} unchanged: it already has these values");
        return Ok(());
    }
    let edited = draft.validate().map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("{mac} not changed:\n  {}", lines.join("\n  "))
    })?;
    inventory.update_device(device.id, &edited)?;
    say!("updated {mac}: {}", changed.join(", "));
    if changed.contains(&Field::Url.label()) {
        warn_url_file(&edited);
    }
    Ok(())
}

fn add(inventory: &mut Inventory, args: AddArgs) -> anyhow::Result<()> {
    let mut draft = DeviceDraft {
        mac: args.mac,
        site: args.site.unwrap_or_default(),
        ..DeviceDraft::default()
    };
    for (field, value) in args.values.by_field()? {
        *draft.field_mut(field) = value.unwrap_or_default();
    }
    let device = draft.validate().map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("device not added:\n  {}", lines.join("\n  "))
    })?;
    let stored = inventory.add_device(&device)?;
    say!(
        "added {}{}",
        stored.mac,
        stored
            .model
            .as_deref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default()
    );
    // A hint, never a refusal: the MAC is the device's even when its prefix surprises.
    if let Some(warning) = oui_hint(device.mac).warning(device.mac, device.model) {
        eprintln!("warning: {warning}");
    }
    warn_url_file(&device);
    Ok(())
}

/// A hint, never a refusal: a URL whose file provdesk cannot make may name another server's.
fn warn_url_file(device: &NewDevice) {
    if let Some(warning) = device.url.as_ref().and_then(url_file_warning) {
        eprintln!("warning: {warning}");
    }
}
