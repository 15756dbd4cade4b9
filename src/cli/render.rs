//! `provdesk render`: one configuration file per device, named as the device asks for it, and
//! optionally the htdigest file the web server checks the devices with.

use std::path::PathBuf;

use clap::Args;

use crate::device::Mac;
use crate::inventory::{DeviceQuery, Inventory};
use crate::templates::{RenderSettings, htdigest_inside, render_set};

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Render this device (MAC in any notation)
    #[arg(
        long,
        value_name = "MAC",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    device: Option<String>,
    /// Render every device in the inventory
    #[arg(long)]
    all: bool,
    /// Folder to write the files to (created if missing)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Also write an htdigest user file (user:realm:HA1) for the web server
    #[arg(long, value_name = "FILE", requires = "realm")]
    htdigest: Option<PathBuf>,
    /// The realm the web server announces, for --htdigest
    #[arg(long, value_name = "R", requires = "htdigest")]
    realm: Option<String>,
    /// Give each device a new strong digest password of its own and store it in the inventory
    #[arg(long)]
    generate_passwords: bool,
    /// A provider-level value for the templates, e.g. --set sip_domain=sip.example.com
    #[arg(long = "set", value_name = "NAME=VALUE")]
    settings: Vec<String>,
    /// The file version written to {{version}} (DDMMYYHHMM; default: now, UTC)
    #[arg(long, value_name = "V")]
    file_version: Option<String>,
}

pub fn run(inventory: &mut Inventory, args: RenderArgs) -> anyhow::Result<bool> {
    let mut settings = RenderSettings::default();
    for assignment in &args.settings {
        let (key, value) = assignment.split_once('=').ok_or_else(|| {
            anyhow::anyhow!(
                "--set {assignment}: write NAME=VALUE, e.g. --set sip_domain=sip.example.com"
            )
        })?;
        settings.set(key, value)?;
    }
    if let Some(version) = args.file_version {
        if version.len() != 10 || !version.bytes().all(|b| b.is_ascii_digit()) {
            anyhow::bail!(
                "--file-version {version}: write 10 digits DDMMYYHHMM, e.g. 2511261430; the device takes only a newer version"
            );
        }
        settings.version = version;
    }
    let devices = match &args.device {
        Some(mac) => {
            let mac = Mac::parse(mac)?;
            vec![inventory.device_by_mac(mac)?.ok_or_else(|| {
                anyhow::anyhow!(
                    "device {mac} is not in the inventory; list devices with `provdesk devices`"
                )
            })?]
        }
        None => inventory.query_devices(&DeviceQuery::default())?.devices,
    };
    if devices.is_empty() {
        eprintln!("provdesk: the inventory holds no devices; nothing to render");
        return Ok(false);
    }
    let templates = inventory.template_set()?;
    let set = match render_set(
        &templates,
        &devices,
        &settings,
        args.generate_passwords,
        args.realm.as_deref(),
    ) {
        Ok(set) => set,
        Err(error) => {
            eprintln!("provdesk: {error}");
            return Ok(false);
        }
    };
    if let Some(path) = &args.htdigest
        && htdigest_inside(path, &args.out)
    {
        eprintln!(
            "provdesk: note: {} is inside {}, so the web server may serve it; keep the htdigest file outside the document root",
            path.display(),
            args.out.display()
        );
    }
    let staged = set.stage(&args.out, args.htdigest.as_deref())?;
    if !set.generated.is_empty() {
        inventory.set_digest_credentials(&set.generated)?;
    }
    staged.commit().map_err(|error| {
        let stored = if set.generated.is_empty() {
            ""
        } else {
            "; the new passwords are already stored in the inventory, so render again to write the files that kept their old content"
        };
        anyhow::anyhow!("{error}{stored}")
    })?;
    for file in &set.files {
        say!("{}\t{}\t{}", file.file_name, file.model, file.template);
    }
    say!(
        "rendered {} file(s) to {}",
        set.files.len(),
        args.out.display()
    );
    if !set.generated.is_empty() {
        say!(
            "generated new digest passwords for {} device(s) and stored them in the inventory",
            set.generated.len()
        );
    }
    if let (Some(path), Some(htdigest)) = (&args.htdigest, &set.htdigest) {
        say!(
            "wrote {} with {} user(s) for realm \"{}\"",
            path.display(),
            htdigest.users,
            args.realm.as_deref().unwrap_or_default()
        );
        for mac in &htdigest.without_credentials {
            eprintln!(
                "provdesk: note: device {mac} has neither a MAC password nor digest credentials, so it has no line in {}",
                path.display()
            );
        }
    }
    Ok(true)
}
