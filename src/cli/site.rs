//! `provdesk site list|set`: sites and the defaults their devices inherit.

use clap::{Args, Subcommand};

use super::provisioning_args::ProvisioningArgs;
use crate::device::ProvisioningUrl;
use crate::inventory::{Inventory, SiteDraft};

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// List sites with their defaults and device counts
    List,
    /// Create a site or replace its defaults
    Set(SetArgs),
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// Site name; options not given keep their current value
    name: String,
    #[command(flatten)]
    provisioning: ProvisioningArgs,
}

pub fn run(inventory: &mut Inventory, command: SiteCommand) -> anyhow::Result<()> {
    match command {
        SiteCommand::List => {
            for site in inventory.sites()? {
                say!(
                    "{}\t{} device(s)\tprovider={}\turl={}\tdigest_user={}\tdigest_password={}",
                    site.name,
                    site.device_count,
                    site.provider.unwrap_or_default(),
                    site.url_pattern
                        .as_deref()
                        .map(crate::device::mask_url_password)
                        .unwrap_or_default(),
                    site.digest_username.unwrap_or_default(),
                    site.digest_password
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                );
            }
            Ok(())
        }
        SiteCommand::Set(args) => {
            let SetArgs { name, provisioning } = args;
            if let Some(url) = &provisioning.url {
                ProvisioningUrl::parse(url).map_err(|e| anyhow::anyhow!("--url: {e}"))?;
            }
            let digest_password = provisioning.digest_password()?;
            // Options not given keep the site's current value.
            let current = inventory
                .sites()?
                .into_iter()
                .find(|s| s.name.eq_ignore_ascii_case(name.trim()));
            let site = inventory.save_site(&SiteDraft {
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
                notes: current.map(|s| s.notes).unwrap_or_default(),
            })?;
            say!("saved site {}", site.name);
            Ok(())
        }
    }
}
