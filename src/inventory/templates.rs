//! The user's template versions, and the digest passwords a render generated: every save is a
//! new version, "reset to default" is a version too, and the newest version is the one in use.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use thiserror::Error;

use super::{Inventory, InventoryError, audit};
use crate::device::Mac;
use crate::secret::Secret;
use crate::templates::{
    DEFAULT_TEMPLATES, NoteError, RESET_NOTE, Template, TemplateErrors, TemplateSet, find_default,
    version_note,
};

/// What the Templates panel wrote on every save before versions had notes of their own: it
/// tells nothing apart, so it is not shown as a note.
const FORMER_PANEL_NOTE: &str = "saved in the Templates panel";

/// One saved version of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateVersion {
    pub name: String,
    pub version: u32,
    /// `None`: this version went back to the built-in template.
    pub body: Option<String>,
    /// The installer's note, [`RESET_NOTE`] on a reset, or empty.
    pub note: String,
    pub created_at: String,
}

impl TemplateVersion {
    /// Whether this version went back to the built-in template ("Reset to default").
    pub fn is_reset(&self) -> bool {
        self.body.is_none()
    }

    /// The note to show beside the version: the installer's own, empty for a reset (which is
    /// labelled as such) and for the fixed note older saves from the panel carry.
    pub fn shown_note(&self) -> &str {
        if self.is_reset() || self.note == FORMER_PANEL_NOTE {
            ""
        } else {
            &self.note
        }
    }

    /// The text this version put in use: its body, or the built-in template after a reset.
    pub fn text(&self) -> &str {
        match &self.body {
            Some(body) => body,
            None => find_default(&self.name).map_or("", |default| default.text),
        }
    }
}

#[derive(Debug, Error)]
pub enum TemplateStoreError {
    #[error("there is no template \"{name}\"; templates are: {known}")]
    Unknown { name: String, known: String },
    #[error("template \"{name}\" was not saved; fix these and save again:\n{errors}")]
    Invalid {
        name: String,
        errors: TemplateErrors,
    },
    #[error("template \"{name}\" was not saved: {error}")]
    Note { name: String, error: NoteError },
    #[error("template \"{name}\" has no version {version}; its versions are: {known}")]
    NoVersion {
        name: String,
        version: u32,
        known: String,
    },
    #[error(
        "template \"{name}\" was not saved: version {newest} was saved elsewhere (the CLI, a script or another window) after your edit started from {from}; load version {newest} or compare it with your edits, then save again"
    )]
    ChangedElsewhere {
        name: String,
        /// What the edit started from: "version N" or "the built-in template".
        from: String,
        newest: u32,
    },
    #[error(transparent)]
    Inventory(#[from] InventoryError),
}

impl From<rusqlite::Error> for TemplateStoreError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Inventory(InventoryError::Sqlite(error))
    }
}

fn known(name: &str) -> Result<&'static crate::templates::DefaultTemplate, TemplateStoreError> {
    find_default(name).ok_or_else(|| TemplateStoreError::Unknown {
        name: name.to_string(),
        known: DEFAULT_TEMPLATES
            .iter()
            .map(|t| t.name)
            .collect::<Vec<_>>()
            .join(", "),
    })
}

fn version_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<TemplateVersion> {
    Ok(TemplateVersion {
        name: row.get(0)?,
        version: row.get(1)?,
        body: row.get(2)?,
        note: row.get(3)?,
        created_at: row.get(4)?,
    })
}

const VERSION_COLUMNS: &str = "SELECT name, version, body, note, created_at FROM template_versions";

impl Inventory {
    /// Saves `body` as the next version of template `name`, after validating it for the
    /// template's format and trying it on a sample device of each model that reads it
    /// ([`Template::check_draft`]). An invalid template is not saved, nor one whose note is too
    /// long; the note is stored as one trimmed line ([`version_note`]).
    pub fn save_template_version(
        &mut self,
        name: &str,
        body: &str,
        note: &str,
    ) -> Result<TemplateVersion, TemplateStoreError> {
        self.save_checked(name, body, note, None)
    }

    /// Like [`Self::save_template_version`], over `base`, the version the editor's text started
    /// from (`None`: none was saved, the built-in template). Refused with
    /// [`TemplateStoreError::ChangedElsewhere`] when a newer version was saved meanwhile: the
    /// edit is built on older text, and saving it would silently undo what the CLI, a script
    /// or another window saved.
    pub fn save_template_version_over(
        &mut self,
        name: &str,
        body: &str,
        note: &str,
        base: Option<u32>,
    ) -> Result<TemplateVersion, TemplateStoreError> {
        self.save_checked(name, body, note, Some(base))
    }

    /// Validates and saves; `base`, when given, is the newest version the save expects.
    fn save_checked(
        &mut self,
        name: &str,
        body: &str,
        note: &str,
        base: Option<Option<u32>>,
    ) -> Result<TemplateVersion, TemplateStoreError> {
        let default = known(name)?;
        let note = version_note(note).map_err(|error| TemplateStoreError::Note {
            name: default.name.to_string(),
            error,
        })?;
        Template::check_draft(default.name, default.format, body).map_err(|errors| {
            TemplateStoreError::Invalid {
                name: default.name.to_string(),
                errors,
            }
        })?;
        self.insert_version(default.name, Some(body), &note, base)
    }

    /// Goes back to the built-in template, as a new version so the history keeps the old ones.
    pub fn reset_template(&mut self, name: &str) -> Result<TemplateVersion, TemplateStoreError> {
        let default = known(name)?;
        self.insert_version(default.name, None, RESET_NOTE, None)
    }

    fn insert_version(
        &mut self,
        name: &str,
        body: Option<&str>,
        note: &str,
        base: Option<Option<u32>>,
    ) -> Result<TemplateVersion, TemplateStoreError> {
        let tx = self.write()?;
        let newest: u32 = tx.query_row(
            "SELECT coalesce(max(version), 0) FROM template_versions WHERE name = ?1",
            [name],
            |row| row.get(0),
        )?;
        if let Some(base) = base
            && base.unwrap_or(0) != newest
        {
            return Err(TemplateStoreError::ChangedElsewhere {
                name: name.to_string(),
                from: base.map_or("the built-in template".to_string(), |v| {
                    format!("version {v}")
                }),
                newest,
            });
        }
        let version = newest + 1;
        tx.execute(
            "INSERT INTO template_versions (name, version, body, note) VALUES (?1, ?2, ?3, ?4)",
            params![name, version, body, note],
        )?;
        let action = if body.is_some() {
            "template.save"
        } else {
            "template.reset"
        };
        audit::record(&tx, action, name, &format!("version {version}"))?;
        let saved = tx.query_row(
            &format!("{VERSION_COLUMNS} WHERE name = ?1 AND version = ?2"),
            params![name, version],
            version_from_row,
        )?;
        tx.commit()?;
        Ok(saved)
    }

    /// Every version of template `name`, newest first.
    pub fn template_versions(
        &self,
        name: &str,
    ) -> Result<Vec<TemplateVersion>, TemplateStoreError> {
        let default = known(name)?;
        let mut stmt = self.conn.prepare(&format!(
            "{VERSION_COLUMNS} WHERE name = ?1 ORDER BY version DESC"
        ))?;
        let rows = stmt.query_map([default.name], version_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Version `version` of template `name`; an error that lists its versions when there is
    /// no such version.
    pub fn template_version(
        &self,
        name: &str,
        version: u32,
    ) -> Result<TemplateVersion, TemplateStoreError> {
        let default = known(name)?;
        let found = self
            .conn
            .query_row(
                &format!("{VERSION_COLUMNS} WHERE name = ?1 AND version = ?2"),
                params![default.name, version],
                version_from_row,
            )
            .optional()?;
        match found {
            Some(found) => Ok(found),
            None => {
                let versions = self.template_versions(default.name)?;
                let known = if versions.is_empty() {
                    "none yet, the built-in template is in use".to_string()
                } else {
                    versions
                        .iter()
                        .rev()
                        .map(|v| v.version.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                Err(TemplateStoreError::NoVersion {
                    name: default.name.to_string(),
                    version,
                    known,
                })
            }
        }
    }

    /// The newest version of template `name`; `None` when it was never saved.
    pub fn current_template_version(
        &self,
        name: &str,
    ) -> Result<Option<TemplateVersion>, TemplateStoreError> {
        let default = known(name)?;
        Ok(self
            .conn
            .query_row(
                &format!("{VERSION_COLUMNS} WHERE name = ?1 ORDER BY version DESC LIMIT 1"),
                [default.name],
                version_from_row,
            )
            .optional()?)
    }

    /// The template in use for each format: the newest saved version, or the built-in one. A
    /// saved version that no longer validates refuses only its own format's devices.
    pub fn template_set(&self) -> Result<TemplateSet, TemplateStoreError> {
        let mut set = TemplateSet::builtin();
        for default in DEFAULT_TEMPLATES {
            if let Some(TemplateVersion {
                version,
                body: Some(body),
                ..
            }) = self.current_template_version(default.name)?
            {
                set.replace(Template::stored(
                    default.name,
                    default.format,
                    &body,
                    version,
                ));
            }
        }
        Ok(set)
    }

    /// Stores generated digest credentials as the devices' own, all or none, with one audit
    /// entry per device that says the password changed, never what it is.
    pub fn set_digest_credentials(
        &mut self,
        changes: &[(Mac, String, Secret)],
    ) -> Result<(), InventoryError> {
        self.store_digest_credentials(changes, "device.digest_generated")
    }

    /// Stores the digest credentials a test fetch proved as the device's own, with an audit
    /// entry that says where they came from, never what the password is.
    pub fn keep_proven_credentials(
        &mut self,
        mac: Mac,
        username: &str,
        password: &Secret,
    ) -> Result<(), InventoryError> {
        let change = (mac, username.to_string(), password.clone());
        self.store_digest_credentials(std::slice::from_ref(&change), "device.digest_from_fetch")
    }

    /// Writes `changes` all or none, one audit entry of `action` per device.
    fn store_digest_credentials(
        &mut self,
        changes: &[(Mac, String, Secret)],
        action: &str,
    ) -> Result<(), InventoryError> {
        let tx = self.write()?;
        for (mac, username, password) in changes {
            let changed = tx
                .prepare_cached(
                    "UPDATE devices SET digest_username = ?1, digest_password = ?2,
                         updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE mac = ?3",
                )?
                .execute(params![username, password.expose(), mac.macd()])?;
            if changed == 0 {
                return Err(InventoryError::DeviceNotFound { mac: mac.macd() });
            }
            audit::record(
                &tx,
                action,
                &mac.macd(),
                &format!("digest_username={username} digest_password=changed"),
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}
