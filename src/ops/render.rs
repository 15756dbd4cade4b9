//! Render from the inventory: the chosen devices (or all of them) with the templates in use,
//! everything rendered and checked first, then staged beside the targets and put in place
//! together, so a failure writes nothing. Generated passwords are stored before the files go
//! in place, so a file is never written with a password the inventory does not know. After
//! the write, device files an earlier render left for devices not written this time are
//! found ([`stale`]), reported, and removed when asked. The htdigest file is merged, not
//! replaced: a render for one site keeps the lines of the users it does not write.

mod stale;

use std::path::{Path, PathBuf};

use thiserror::Error;

pub use stale::{Removed, StaleFile, Whose};

use super::Progress;
use crate::cancel::CancelFlag;
use crate::device::{Device, Mac};
use crate::inventory::{DeviceQuery, Inventory, InventoryError, TemplateStoreError};
use crate::secret::Secret;
use crate::templates::{
    BatchError, ExportError, RenderSettings, RenderedFile, htdigest_inside, merge_htdigest,
    render_set,
};

/// What to render and where.
#[derive(Debug, Clone, Default)]
pub struct RenderRequest {
    /// These devices; `None`: every device in the inventory, or of [`Self::site`].
    pub devices: Option<Vec<Mac>>,
    /// Without `devices`, only this site's devices: one customer's files, not every
    /// customer's in the folder that goes to its server.
    pub site: Option<String>,
    pub out: PathBuf,
    /// Also write an htdigest file here, for this realm.
    pub htdigest: Option<(PathBuf, String)>,
    pub settings: RenderSettings,
    /// Give each device a new strong digest password and store it in the inventory.
    pub generate_passwords: bool,
    /// Which device files of an earlier render that this one did not write to remove.
    pub prune: Prune,
}

/// Which stale files a render removes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Prune {
    /// None: they are listed.
    #[default]
    No,
    /// Those of devices gone from the inventory or written under another name now; another
    /// site's phone still in the inventory keeps its file (see [`Whose::Outside`]).
    Stale,
    /// Those too: for a folder that serves only this render's site, after phones left it.
    AlsoOutside,
}

impl Prune {
    fn takes(self, file: &StaleFile) -> bool {
        match self {
            Prune::No => false,
            Prune::Stale => file.removed_by_default(),
            Prune::AlsoOutside => true,
        }
    }
}

/// One file written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    pub file_name: String,
    pub mac: Mac,
    pub model: String,
    pub template: String,
}

/// The htdigest file written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenHtdigest {
    pub path: PathBuf,
    pub realm: String,
    pub users: usize,
    /// Users of the realm the file already held that this render did not write, kept: a
    /// render for one site or device leaves the other sites' phones their lines.
    pub kept: Vec<String>,
    /// Users of the realm the file held that no device in the inventory logs in as any more,
    /// dropped by a render of every device.
    pub dropped: Vec<String>,
    /// Devices without any credentials, so without a line in the file.
    pub without_credentials: Vec<Mac>,
    /// The file is inside the output folder, where the web server may serve it.
    pub inside_out: bool,
}

/// What a render wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderReport {
    pub out: PathBuf,
    pub files: Vec<WrittenFile>,
    pub htdigest: Option<WrittenHtdigest>,
    /// Devices that got a new digest password, now stored in the inventory.
    pub generated: usize,
    /// The files' notes (unconfirmed catalogue facts, files loaded by hand), each once.
    pub notes: Vec<String>,
    /// Device files of an earlier render in the folder that this render did not write: a web
    /// server would go on serving them. All of them, also those [`RenderRequest::prune`]
    /// leaves alone.
    pub stale: Vec<StaleFile>,
    /// With [`RenderRequest::prune`]: which of [`Self::stale`] were removed, which stayed.
    pub pruned: Option<Removed>,
}

/// Why nothing (or, for [`RenderFailure::Commit`], not every file) was written.
#[derive(Debug, Error)]
pub enum RenderFailure {
    #[error("the inventory holds no devices: add or import some first")]
    NoDevices,
    #[error("site {0} holds no devices; `provdesk site list` shows each site's count")]
    NoDevicesInSite(String),
    #[error("device {0} is not in the inventory; list devices with `provdesk devices`")]
    UnknownDevice(Mac),
    #[error(transparent)]
    Inventory(#[from] InventoryError),
    #[error(transparent)]
    Templates(#[from] TemplateStoreError),
    #[error(transparent)]
    Render(#[from] BatchError),
    #[error(transparent)]
    Write(#[from] ExportError),
    #[error(
        "{0}; the new passwords are already stored in the inventory, so render again to write the files that kept their old content"
    )]
    CommitAfterPasswords(ExportError),
    #[error(
        "could not read the htdigest file {path} to keep the lines of the users this render does not write: {error}; nothing was written: make it readable or choose another file"
    )]
    HtdigestUnreadable { path: String, error: String },
    #[error("cancelled before anything was written")]
    Cancelled,
}

/// Renders and writes the request's devices. Cancel is honoured up to the moment files start
/// going in place; after that the set is completed so the folder is never half old, half new.
pub fn render(
    inventory: &mut Inventory,
    request: &RenderRequest,
    progress: &mut dyn FnMut(Progress),
    cancel: &CancelFlag,
) -> Result<RenderReport, RenderFailure> {
    // No progress before the refusals: "Reading the devices… 0/0" over "the inventory holds
    // no devices" read as work begun.
    let devices = chosen_devices(inventory, request)?;
    if devices.is_empty() {
        return Err(match &request.site {
            Some(site) => RenderFailure::NoDevicesInSite(site.trim().to_string()),
            None => RenderFailure::NoDevices,
        });
    }
    let templates = inventory.template_set()?;
    stop_if(cancel)?;
    progress(Progress {
        stage: "Rendering and checking every file…",
        done: 0,
        total: devices.len(),
    });
    let realm = request.htdigest.as_ref().map(|(_, realm)| realm.as_str());
    let mut set = render_set(
        &templates,
        &devices,
        &request.settings,
        request.generate_passwords,
        realm,
    )?;
    stop_if(cancel)?;
    progress(Progress {
        stage: "Writing the files…",
        done: 0,
        total: set.files.len(),
    });
    let scoped = request.devices.is_some() || request.site.is_some();
    let merged = match (&request.htdigest, set.htdigest.as_mut()) {
        (Some((path, realm)), Some(htdigest)) => {
            let merged = merge_htdigest(&read_htdigest(path)?, &htdigest.text, realm, scoped);
            htdigest.text = merged.text.clone();
            Some(merged)
        }
        _ => None,
    };
    let htdigest_path = request.htdigest.as_ref().map(|(path, _)| path.as_path());
    let staged = set.stage(&request.out, htdigest_path)?;
    stop_if(cancel)?;
    if !set.generated.is_empty() {
        inventory.set_digest_credentials(&set.generated)?;
    }
    staged.commit().map_err(|error| {
        if set.generated.is_empty() {
            RenderFailure::Write(error)
        } else {
            RenderFailure::CommitAfterPasswords(error)
        }
    })?;
    let mut report = RenderReport {
        out: request.out.clone(),
        files: set
            .files
            .iter()
            .map(|file| WrittenFile {
                file_name: file.file_name.clone(),
                mac: file.mac,
                model: file.model.to_string(),
                template: file.template.to_string(),
            })
            .collect(),
        htdigest: request
            .htdigest
            .clone()
            .zip(set.htdigest.as_ref().zip(merged))
            .map(|((path, realm), (htdigest, merged))| WrittenHtdigest {
                inside_out: htdigest_inside(&path, &request.out),
                path,
                realm,
                users: htdigest.users,
                kept: merged.kept,
                dropped: merged.dropped,
                without_credentials: htdigest.without_credentials.clone(),
            }),
        generated: set.generated.len(),
        notes: distinct_notes(&set.files),
        stale: Vec::new(),
        pruned: None,
    };
    let rendered: Vec<Mac> = devices.iter().map(|device| device.mac).collect();
    look_for_stale(inventory, &mut report, &rendered, request.prune);
    Ok(report)
}

/// The htdigest file already at `path`, to merge into; empty when there is none yet.
fn read_htdigest(path: &Path) -> Result<Secret, RenderFailure> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Secret::new(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            Ok(Secret::new(String::new()))
        }
        Err(error) => Err(RenderFailure::HtdigestUnreadable {
            path: path.display().to_string(),
            error: error.to_string(),
        }),
    }
}

/// Fills in the report's stale files and whose each is (`rendered`: the devices this render
/// was for), removing those `prune` takes. The files are written by then, so a folder that
/// cannot be read becomes a note, not a failure.
fn look_for_stale(
    inventory: &Inventory,
    report: &mut RenderReport,
    rendered: &[Mac],
    prune: Prune,
) {
    let written: Vec<(String, Mac)> = report
        .files
        .iter()
        .map(|file| (file.file_name.clone(), file.mac))
        .collect();
    match stale::find(&report.out, &written) {
        Ok(mut found) => {
            for file in &mut found {
                file.whose = match inventory.device_by_mac(file.mac) {
                    Ok(Some(_)) if rendered.contains(&file.mac) => Whose::Renamed,
                    Ok(Some(device)) => Whose::Outside { site: device.site },
                    // Unreadable counts as another's: never removed on a guess.
                    Err(_) => Whose::Outside { site: None },
                    Ok(None) => Whose::Gone,
                };
            }
            report.stale = found;
        }
        Err(error) => report.notes.push(format!(
            "could not look for old device files in {}: {error}",
            report.out.display()
        )),
    }
    if prune != Prune::No {
        let taken: Vec<StaleFile> = report
            .stale
            .iter()
            .filter(|file| prune.takes(file))
            .cloned()
            .collect();
        report.pruned = Some(remove_stale(&report.out, &taken));
    }
}

/// Removes stale files a render reported (checked again one by one: see [`stale`]).
pub fn remove_stale(folder: &Path, files: &[StaleFile]) -> Removed {
    stale::remove(folder, files)
}

/// Every file's notes, each once, in the order the files first give them.
fn distinct_notes(files: &[RenderedFile]) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    for note in files.iter().flat_map(|file| &file.notes) {
        if !notes.contains(note) {
            notes.push(note.clone());
        }
    }
    notes
}

fn stop_if(cancel: &CancelFlag) -> Result<(), RenderFailure> {
    if cancel.is_cancelled() {
        Err(RenderFailure::Cancelled)
    } else {
        Ok(())
    }
}

fn chosen_devices(
    inventory: &Inventory,
    request: &RenderRequest,
) -> Result<Vec<Device>, RenderFailure> {
    let Some(macs) = &request.devices else {
        let query = DeviceQuery {
            site: request.site.as_ref().map(|site| site.trim().to_string()),
            ..DeviceQuery::default()
        };
        return Ok(inventory.query_devices(&query)?.devices);
    };
    macs.iter()
        .map(|&mac| {
            inventory
                .device_by_mac(mac)?
                .ok_or(RenderFailure::UnknownDevice(mac))
        })
        .collect()
}
