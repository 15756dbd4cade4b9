//! `provdesk device add|rm`: change one device.

use clap::{Args, Subcommand};

use super::provisioning_args::ProvisioningArgs;
use crate::device::{DeviceDraft, Mac, oui_hint};
use crate::inventory::Inventory;
use crate::secret::Secret;

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Add a device to the inventory
    Add(Box<AddArgs>),
    /// Remove a device by its MAC (any notation)
    Rm {
        /// The device's MAC
        mac: String,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// MAC address in any common notation
    #[arg(long, value_name = "M")]
    mac: String,
    /// MAC-ID from the label, e.g. 7C2F80820EC0-55DF
    #[arg(long, value_name = "ID")]
    mac_id: Option<String>,
    /// Model name or alias, e.g. "N510 IP PRO", Maxwell3
    #[arg(long, value_name = "M")]
    model: Option<String>,
    /// Site name; created if new
    #[arg(long, value_name = "S")]
    site: Option<String>,
    #[command(flatten)]
    provisioning: ProvisioningArgs,
    /// Name of an environment variable holding the MAC password from the redirect server
    #[arg(long, value_name = "VAR")]
    mac_password_env: Option<String>,
    /// Free-text notes
    #[arg(long, value_name = "TEXT")]
    notes: Option<String>,
}

pub fn run(inventory: &mut Inventory, command: DeviceCommand) -> anyhow::Result<()> {
    match command {
        DeviceCommand::Add(args) => add(inventory, *args),
        DeviceCommand::Rm { mac } => {
            let mac = Mac::parse(&mac)?;
            let removed = inventory.delete_device_by_mac(mac)?;
            say!("removed {}", removed.mac);
            Ok(())
        }
    }
}

fn add(inventory: &mut Inventory, args: AddArgs) -> anyhow::Result<()> {
    let secret = |var: Option<String>| -> anyhow::Result<Secret> {
        Ok(var
            .map(|v| super::secret_from_env(&v))
            .transpose()?
            .map(Secret::new)
            .unwrap_or_default())
    };
    let draft = DeviceDraft {
        mac: args.mac,
        mac_id: args.mac_id.unwrap_or_default(),
        mac_password: secret(args.mac_password_env)?,
        model: args.model.unwrap_or_default(),
        site: args.site.unwrap_or_default(),
        digest_password: args.provisioning.digest_password()?.unwrap_or_default(),
        provider: args.provisioning.provider.unwrap_or_default(),
        url: args.provisioning.url.unwrap_or_default(),
        digest_username: args.provisioning.digest_user.unwrap_or_default(),
        notes: args.notes.unwrap_or_default(),
    };
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
    Ok(())
}
