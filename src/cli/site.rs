//! `provdesk site list|set|rename|rm`: sites and the defaults their devices inherit.

use clap::{Args, Subcommand};

use super::provisioning_args::ProvisioningArgs;
use crate::device::SipTransport;
use crate::inventory::{Inventory, Site, SiteDevices, SiteDraft, lockout_warning};
use crate::printable::printable;
use crate::words;

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// List sites with their defaults and device counts
    List,
    /// Create a site or replace its defaults
    Set(SetArgs),
    /// Rename a site; its devices and defaults stay with it
    Rename {
        /// The site's name now
        name: String,
        /// Its new name (no other site may have it, whatever the case)
        new: String,
    },
    /// Delete a site; refused while devices are in it, unless --force
    Rm {
        /// The site's name
        name: String,
        /// Delete it even with devices in it: they stay, without a site, and lose the values
        /// they inherit from it
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// Site name; options not given keep their current value
    name: String,
    #[command(flatten)]
    provisioning: ProvisioningArgs,
    /// Registrar of the site's SIP accounts, where an account names none
    #[arg(long, value_name = "HOST")]
    sip_registrar: Option<String>,
    /// Registrar port of the site's SIP accounts (default: 5060, 5061 for TLS)
    #[arg(long, value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    sip_port: Option<u16>,
    /// Transport of the site's SIP accounts: udp, tcp or tls
    #[arg(long, value_name = "T")]
    sip_transport: Option<SipTransport>,
    /// Change the digest credentials even though devices take them from the site: phones
    /// configured with the old ones are refused from their next fetch (`provdesk rollout start`
    /// changes them without that)
    #[arg(long)]
    force: bool,
}

pub fn run(inventory: &mut Inventory, command: SiteCommand) -> anyhow::Result<()> {
    match command {
        SiteCommand::List => list(inventory),
        SiteCommand::Set(args) => set(inventory, args),
        SiteCommand::Rename { name, new } => {
            let site = inventory.rename_site(&name, &new)?;
            say!(
                "renamed site {} to {} ({})",
                printable(name.trim(), 200),
                printable(&site.name, 200),
                words::count(site.device_count, "device")
            );
            Ok(())
        }
        SiteCommand::Rm { name, force } => {
            let devices = if force {
                SiteDevices::Release
            } else {
                SiteDevices::Refuse
            };
            let removed = inventory.delete_site(&name, devices)?;
            say!("removed site {}", printable(&removed.site, 200));
            if removed.devices > 0 {
                say!("{}", removed.outcome());
            }
            Ok(())
        }
    }
}

fn list(inventory: &Inventory) -> anyhow::Result<()> {
    for site in inventory.sites()? {
        let sip = sip_defaults(&site);
        // A value stored before values had limits may hold control characters.
        let shown = |text: Option<&str>| printable(text.unwrap_or_default(), 200);
        say!(
            "{}\t{}\tprovider={}\turl={}\tdigest_user={}\tdigest_password={}\tsip={}",
            shown(Some(&site.name)),
            words::count(site.device_count, "device"),
            shown(site.provider.as_deref()),
            shown(
                site.url_pattern
                    .as_deref()
                    .map(crate::device::mask_url_password)
                    .as_deref()
            ),
            shown(site.digest_username.as_deref()),
            site.digest_password
                .map(|p| p.to_string())
                .unwrap_or_default(),
            sip,
        );
    }
    Ok(())
}

fn set(inventory: &mut Inventory, args: SetArgs) -> anyhow::Result<()> {
    let SetArgs {
        name,
        provisioning,
        sip_registrar,
        sip_port,
        sip_transport,
        force,
    } = args;
    let digest_password = provisioning.digest_password()?;
    // Options not given keep the site's current value.
    let current = inventory
        .sites()?
        .into_iter()
        .find(|s| s.name.eq_ignore_ascii_case(name.trim()));
    let draft = SiteDraft {
        name,
        provider: provisioning
            .provider
            .or_else(|| current.as_ref().and_then(|s| s.provider.clone())),
        url_pattern: provisioning
            .url
            .or_else(|| current.as_ref().and_then(|s| s.url_pattern.clone())),
        digest_username: provisioning
            .digest_user
            .or_else(|| current.as_ref().and_then(|s| s.digest_username.clone())),
        digest_password: digest_password
            .or_else(|| current.as_ref().and_then(|s| s.digest_password.clone())),
        sip_registrar: sip_registrar
            .or_else(|| current.as_ref().and_then(|s| s.sip_registrar.clone())),
        sip_port: sip_port.or_else(|| current.as_ref().and_then(|s| s.sip_port)),
        sip_transport: sip_transport.or_else(|| current.as_ref().and_then(|s| s.sip_transport)),
        notes: current
            .as_ref()
            .map(|s| s.notes.clone())
            .unwrap_or_default(),
    };
    let locked_out = current.map_or(0, |site| site.credential_change(&draft));
    if locked_out > 0 && !force {
        anyhow::bail!(
            "site \"{}\" was not saved: {}. Change them with a rollout, which accepts the old ones until you enforce it: `provdesk rollout start --site \"{}\" --user \"{}\" --password-env {}`; or pass --force to change them now",
            printable(draft.name.trim(), 200),
            lockout_warning(locked_out),
            printable(draft.name.trim(), 200),
            draft.digest_username.as_deref().unwrap_or("U"),
            provisioning.digest_password_env.as_deref().unwrap_or("VAR"),
        );
    }
    let site = inventory.save_site(&draft)?;
    say!("saved site {}", printable(&site.name, 200));
    if locked_out > 0 {
        say!("{}", lockout_warning(locked_out));
    }
    Ok(())
}

/// `registrar:port/transport`, each part only where the site gives it; empty when none.
fn sip_defaults(site: &Site) -> String {
    let mut text = site.sip_registrar.clone().unwrap_or_default();
    if let Some(port) = site.sip_port {
        text.push_str(&format!(":{port}"));
    }
    if let Some(transport) = site.sip_transport {
        text.push_str(&format!("/{transport}"));
    }
    text
}
