//! `provdesk site list|set`: sites and the defaults their devices inherit.

use clap::{Args, Subcommand};

use crate::device::ProvisioningUrl;
use crate::inventory::{Inventory, SiteDraft};
use crate::secret::Secret;

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
    /// Default provider for the site's devices
    #[arg(long, value_name = "P")]
    provider: Option<String>,
    /// Default provisioning URL pattern, e.g. https://prov.example.com/%MACD.xml
    #[arg(long, value_name = "U")]
    url: Option<String>,
    /// Default digest user name
    #[arg(long, value_name = "U")]
    digest_user: Option<String>,
    /// Name of an environment variable holding the default digest password
    #[arg(long, value_name = "VAR")]
    digest_password_env: Option<String>,
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
            if let Some(url) = &args.url {
                ProvisioningUrl::parse(url).map_err(|e| anyhow::anyhow!("--url: {e}"))?;
            }
            let digest_password = args
                .digest_password_env
                .map(|var| super::secret_from_env(&var).map(Secret::new))
                .transpose()?;
            // Options not given keep the site's current value.
            let current = inventory
                .sites()?
                .into_iter()
                .find(|s| s.name.eq_ignore_ascii_case(args.name.trim()));
            let site = inventory.save_site(&SiteDraft {
                name: args.name,
                provider: args
                    .provider
                    .or_else(|| current.as_ref().and_then(|s| s.provider.clone())),
                url_pattern: args
                    .url
                    .or_else(|| current.as_ref().and_then(|s| s.url_pattern.clone())),
                digest_username: args
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
