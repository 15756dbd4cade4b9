//! The provisioning options a device and a site share (`device add`, `site set`): the site's
//! are the defaults its devices inherit, so both take them the same way.

use clap::Args;

use crate::secret::Secret;

#[derive(Debug, Args)]
pub struct ProvisioningArgs {
    /// Provider name as registered with the redirect server (for a site: its devices' default)
    #[arg(long, value_name = "P")]
    pub provider: Option<String>,
    /// Provisioning URL pattern, e.g. https://prov.example.com/%MACD.xml
    #[arg(long, value_name = "U")]
    pub url: Option<String>,
    /// Digest user name the device is configured with (for a site: its devices' default)
    #[arg(long, value_name = "U")]
    pub digest_user: Option<String>,
    /// Name of an environment variable holding the digest password
    #[arg(long, value_name = "VAR")]
    pub digest_password_env: Option<String>,
}

impl ProvisioningArgs {
    /// The digest password from the variable named by `--digest-password-env`, if given.
    pub fn digest_password(&self) -> anyhow::Result<Option<Secret>> {
        self.digest_password_env
            .as_deref()
            .map(|var| super::secret_from_env(var).map(Secret::new))
            .transpose()
    }
}
