//! Rendering a whole selection of devices as one set: every device rendered and checked before
//! anything is written, file names unique, the htdigest file built from the same devices, and
//! generated passwords handed back for the inventory to store in the same step.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::error::RenderError;
use super::export::{ExportError, Staged, stage};
use super::htdigest::{Htdigest, HtdigestProblem, generate_password, generated_username, htdigest};
use super::render::{RenderedFile, TemplateSet};
use super::settings::RenderSettings;
use crate::device::{Device, Mac, UrlCredentials};
use crate::secret::Secret;
use crate::sqlite_files::{not_to_be_written, resolved};

/// Why a set was not rendered. Nothing is written in any of these cases.
#[derive(Debug, Error)]
pub enum BatchError {
    #[error("{} could not be rendered, so nothing was written:\n{}", crate::words::count(.0.len(), "device"), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Render(Vec<RenderError>),
    #[error(
        "{name} would be written for two devices ({first} and {second}): give them provisioning URLs that name different files, e.g. %MACD.xml"
    )]
    DuplicateName {
        name: String,
        first: String,
        second: String,
    },
    #[error("htdigest file: {0}")]
    Htdigest(#[from] HtdigestProblem),
    #[error("the system's random generator failed, so no password was generated: {0}")]
    Random(getrandom::Error),
}

/// A rendered set, not yet written.
#[derive(Debug)]
pub struct RenderedSet {
    pub files: Vec<RenderedFile>,
    pub htdigest: Option<Htdigest>,
    /// New digest credentials per device, to be stored when the files are in place.
    pub generated: Vec<(Mac, String, Secret)>,
}

/// Renders `devices`; with `generate_passwords`, each device whose file can carry credentials
/// first gets a strong digest password of its own, keeping its user name when no other device of the set shares it (else
/// [`generated_username`]). With a `realm`, builds the
/// htdigest file for the same devices.
pub fn render_set(
    templates: &TemplateSet,
    devices: &[Device],
    settings: &RenderSettings,
    generate_passwords: bool,
    realm: Option<&str>,
) -> Result<RenderedSet, BatchError> {
    let mut generated = Vec::new();
    let mut updated: Vec<Device>;
    let devices = if generate_passwords {
        let mut owners: HashMap<&str, usize> = HashMap::new();
        for device in devices {
            if let Some(user) = device.effective_digest_username() {
                *owners.entry(user).or_default() += 1;
            }
        }
        updated = devices.to_vec();
        for device in updated.iter_mut().filter(|d| can_carry_credentials(d)) {
            let username = match device.effective_digest_username() {
                Some(user) if !user.is_empty() && owners.get(user) == Some(&1) => user.to_string(),
                _ => generated_username(device.mac),
            };
            let password = generate_password().map_err(BatchError::Random)?;
            device.digest_username = Some(username.clone());
            device.digest_password = Some(password.clone());
            generated.push((device.mac, username, password));
        }
        &updated[..]
    } else {
        devices
    };
    let mut files = Vec::with_capacity(devices.len());
    let mut errors = Vec::new();
    for device in devices {
        match templates.render(device, settings) {
            Ok(file) => files.push(file),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(BatchError::Render(errors));
    }
    let mut seen: HashMap<&str, Mac> = HashMap::with_capacity(files.len());
    for file in &files {
        if let Some(first) = seen.insert(&file.file_name, file.mac) {
            return Err(BatchError::DuplicateName {
                name: file.file_name.clone(),
                first: first.macd(),
                second: file.mac.macd(),
            });
        }
    }
    let htdigest = realm.map(|realm| htdigest(devices, realm)).transpose()?;
    Ok(RenderedSet {
        files,
        htdigest,
        generated,
    })
}

/// Whether the device's file can tell it digest credentials: in credential elements, or in the
/// URL the model reads them from. A password the device can never learn is not generated.
fn can_carry_credentials(device: &Device) -> bool {
    device.model_spec().is_some_and(|model| {
        model.credentials.is_some() || !matches!(model.url_credentials, UrlCredentials::No)
    })
}

impl RenderedSet {
    /// Writes every file (and the htdigest file, when there is one and a path for it) to
    /// temporary names; [`Staged::commit`] puts them in place. A file name (taken from a
    /// device's URL) that names the htdigest file or a database refuses the set first.
    pub fn stage(
        &self,
        out_dir: &Path,
        htdigest_path: Option<&Path>,
    ) -> Result<Staged, ExportError> {
        self.check_names(out_dir, htdigest_path)?;
        let files = self
            .files
            .iter()
            .map(|file| (out_dir.join(&file.file_name), file.bytes()));
        let htdigest: Option<(PathBuf, &[u8])> = match (htdigest_path, &self.htdigest) {
            (Some(path), Some(htdigest)) => {
                Some((path.to_path_buf(), htdigest.text.expose().as_bytes()))
            }
            _ => None,
        };
        stage(files.chain(htdigest))
    }

    /// The names come from the devices' URLs, not from the user's --out: a URL ending in the
    /// inventory's own name would have replaced it with a configuration file, and one ending in
    /// the htdigest file's name would have replaced the user list.
    fn check_names(&self, out_dir: &Path, htdigest_path: Option<&Path>) -> Result<(), ExportError> {
        let htdigest = htdigest_path.and_then(resolved);
        for file in &self.files {
            let path = out_dir.join(&file.file_name);
            if htdigest.is_some() && resolved(&path) == htdigest {
                return Err(ExportError::HtdigestName {
                    name: file.file_name.clone(),
                    mac: file.mac.macd(),
                });
            }
            if let Some(reason) = not_to_be_written(&path) {
                // The device's URL is what to change, not a file name the user typed.
                return Err(ExportError::Database {
                    path,
                    mac: file.mac.macd(),
                    reason: reason.trim_end_matches("; choose another file name"),
                });
            }
        }
        Ok(())
    }
}
