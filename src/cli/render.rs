//! `provdesk render`: one configuration file per device, named as the device asks for it, and
//! optionally the htdigest file the web server checks the devices with.

use std::path::PathBuf;

use clap::{ArgGroup, Args};

use super::progress::Progress;
use crate::cancel::CancelFlag;
use crate::device::Mac;
use crate::inventory::Inventory;
use crate::ops::render::{
    Prune, RenderFailure, RenderReport, RenderRequest, StaleFile, Whose, render,
};
use crate::templates::RenderSettings;
use crate::words;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["device", "site", "all"])))]
pub struct RenderArgs {
    /// Render this device (MAC in any notation)
    #[arg(long, value_name = "MAC")]
    device: Option<String>,
    /// Render every device of this site
    #[arg(long, value_name = "S")]
    site: Option<String>,
    /// Render every device in the inventory
    #[arg(long)]
    all: bool,
    /// Folder to write the files to (created if missing)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Also write an htdigest user file (user:realm:HA1) for the web server
    #[arg(long, value_name = "FILE")]
    htdigest: Option<PathBuf>,
    /// The realm the web server announces, for --htdigest (default: the one `serve` announces,
    /// provdesk)
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
    /// Remove the device files an earlier render left in --out for devices gone from the
    /// inventory or now written under another name (named as this render names its files,
    /// with another MAC); without it they are listed. Files of devices of other sites, still in
    /// the inventory, stay: the folder may serve them too
    #[arg(long)]
    prune: bool,
    /// Like --prune, and also remove the files of devices in the inventory this render was not
    /// for (other sites'): for a folder that serves only this site, after phones left it
    #[arg(long, conflicts_with = "prune")]
    prune_all: bool,
    /// Show no progress
    #[arg(long, short)]
    quiet: bool,
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
    let request = RenderRequest {
        devices: args
            .device
            .as_deref()
            .map(Mac::parse)
            .transpose()?
            .map(|mac| vec![mac]),
        site: args.site,
        out: args.out,
        htdigest: args.htdigest.map(|path| {
            let realm = args
                .realm
                .unwrap_or_else(|| crate::serve::DEFAULT_REALM.to_string());
            (path, realm)
        }),
        settings,
        generate_passwords: args.generate_passwords,
        prune: if args.prune_all {
            Prune::AlsoOutside
        } else if args.prune {
            Prune::Stale
        } else {
            Prune::No
        },
    };
    let mut progress = Progress::new(args.quiet);
    let rendered = render(
        inventory,
        &request,
        &mut |step| progress.show(step.stage, step.done, step.total),
        &CancelFlag::default(),
    );
    progress.finish();
    let report = match rendered {
        Ok(report) => report,
        Err(error @ (RenderFailure::NoDevices | RenderFailure::Render(_))) => {
            eprintln!("provdesk: {error}");
            return Ok(false);
        }
        Err(error) => return Err(error.into()),
    };
    print_report(&report)?;
    Ok(true)
}

fn print_report(report: &RenderReport) -> anyhow::Result<()> {
    for file in &report.files {
        say!("{}\t{}\t{}", file.file_name, file.model, file.template);
    }
    say!(
        "rendered {} to {}",
        words::count(report.files.len(), "file"),
        report.out.display()
    );
    for note in &report.notes {
        eprintln!("provdesk: note: {note}");
    }
    print_stale(report)?;
    if report.generated > 0 {
        say!(
            "generated new digest passwords for {} and stored them in the inventory",
            words::count(report.generated, "device")
        );
    }
    if let Some(htdigest) = &report.htdigest {
        say!(
            "wrote {} with {} for realm \"{}\"",
            htdigest.path.display(),
            words::count(htdigest.users, "user"),
            htdigest.realm
        );
        if !htdigest.kept.is_empty() {
            say!(
                "kept the lines of {} this render does not write in {} (devices outside this render)",
                words::count(htdigest.kept.len(), "other user"),
                htdigest.path.display()
            );
        }
        if !htdigest.dropped.is_empty() {
            eprintln!(
                "provdesk: note: dropped {} from {} that no device in the inventory logs in as any more: {}",
                words::count(htdigest.dropped.len(), "user"),
                htdigest.path.display(),
                htdigest.dropped.join(", ")
            );
        }
        if htdigest.inside_out {
            eprintln!(
                "provdesk: note: {} is inside {}, so the web server may serve it; keep the htdigest file outside the document root",
                htdigest.path.display(),
                report.out.display()
            );
        }
        for mac in &htdigest.without_credentials {
            eprintln!(
                "provdesk: note: device {} has neither a MAC password nor digest credentials, so it has no line in {}",
                mac.macd(),
                htdigest.path.display()
            );
        }
    }
    Ok(())
}

/// The device files of an earlier render: removed (with --prune), or listed with the flag that
/// removes them, since a web server serving the folder would go on serving them. Files of
/// devices outside this render are only named, with their site: they may be current.
fn print_stale(report: &RenderReport) -> anyhow::Result<()> {
    let out = report.out.display();
    let removed: &[String] = report.pruned.as_ref().map_or(&[], |p| &p.removed);
    if let Some(pruned) = &report.pruned {
        for name in &pruned.removed {
            say!("removed {name} (an earlier render's file, not written now)");
        }
        for (name, why) in &pruned.failed {
            eprintln!("provdesk: could not remove {name} from {out}: {why}; remove it by hand");
        }
    }
    let left: Vec<&StaleFile> = report
        .stale
        .iter()
        .filter(|file| !removed.contains(&file.file_name))
        .filter(|file| report.pruned.is_none() || !file.removed_by_default())
        .collect();
    for file in &left {
        eprintln!(
            "provdesk: note: {out} still holds {} ({})",
            file.file_name,
            whose(&file.whose)
        );
    }
    let (old, outside): (Vec<&StaleFile>, Vec<&StaleFile>) =
        left.iter().partition(|file| file.removed_by_default());
    if !old.is_empty() {
        let count = old.len();
        let them = words::agree(count, "it", "them");
        eprintln!(
            "provdesk: note: {} from an earlier render {} still in {out}, where a web server would go on serving {them}: render again with --prune to remove {them}",
            words::count(count, "device file"),
            words::agree(count, "is", "are")
        );
    }
    if !outside.is_empty() {
        let count = outside.len();
        let them = words::agree(count, "it", "them");
        eprintln!(
            "provdesk: note: {} of devices this render was not for {} left alone, since {out} may serve {them} too; if {} of phones that left, --prune-all removes {them} as well",
            words::count(count, "file"),
            words::agree(count, "is", "are"),
            words::agree(count, "it is", "they are"),
        );
    }
    Ok(())
}

fn whose(whose: &Whose) -> String {
    match whose {
        Whose::Gone => "its device is no longer in the inventory".to_string(),
        Whose::Renamed => "its device was rendered now under another name".to_string(),
        Whose::Outside { site: Some(site) } => {
            format!("a device of site {site}, in the inventory, not in this render")
        }
        Whose::Outside { site: None } => {
            "a device without a site, in the inventory, not in this render".to_string()
        }
    }
}
