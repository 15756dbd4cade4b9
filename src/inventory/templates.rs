//! The user's template versions, and the digest passwords a render generated: every save of a
//! text other than the one in use is a new version, "reset to default" is a version too, and the
//! newest version is the one in use.

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

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// A new version, now in use.
    Saved(TemplateVersion),
    /// The text is the one in use already, so no version was made.
    Unchanged(Unchanged),
}

/// A save of the text already in use: which version that text is. A note alone makes no
/// version either: the list would show two versions with one text, and Compare or Restore
/// between them would tell nothing apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchanged {
    pub name: String,
    /// The version in use; `None`: none was saved, the built-in template is in use.
    pub version: Option<u32>,
    /// Whether that version went back to the built-in template.
    pub reset: bool,
}

impl Unchanged {
    /// The template `name` whose newest version (number and body, `None` body: a reset) is
    /// `newest`, `None` when none was saved.
    fn of(name: &str, newest: Option<&(u32, Option<String>)>) -> Self {
        Self {
            name: name.to_string(),
            version: newest.map(|(version, _)| *version),
            reset: newest.is_some_and(|(_, body)| body.is_none()),
        }
    }

    /// What a reset that made no version says, in the window and the CLI alike.
    pub fn reset_words(&self) -> String {
        let which = match (self.version, self.reset) {
            (None, _) => String::new(),
            (Some(version), true) => format!(" since version {version}"),
            (Some(version), false) => format!(": version {version} has its text"),
        };
        format!(
            "no change: {} already uses the built-in template{which}, so no version was made",
            self.name
        )
    }

    /// "version 2", "version 3 (the built-in template)" or "the built-in template".
    pub fn in_use(&self) -> String {
        match (self.version, self.reset) {
            (Some(version), false) => format!("version {version}"),
            (Some(version), true) => format!("version {version} (the built-in template)"),
            (None, _) => "the built-in template".to_string(),
        }
    }
}

/// The newest version's number and body (`None` body: a reset); `None` when none was saved.
fn newest_version(
    tx: &rusqlite::Transaction<'_>,
    name: &str,
) -> rusqlite::Result<Option<(u32, Option<String>)>> {
    tx.query_row(
        "SELECT version, body FROM template_versions WHERE name = ?1 ORDER BY version DESC LIMIT 1",
        [name],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()
}

impl Inventory {
    /// Saves `body` as the next version of template `name`, after validating it for the
    /// template's format and trying it on a sample device of each model that reads it
    /// ([`Template::check_draft`]). An invalid template is not saved, nor one whose note is too
    /// long; the note is stored as one trimmed line ([`version_note`]). The text in use saved
    /// again makes no version ([`SaveOutcome::Unchanged`]), whatever its note.
    pub fn save_template_version(
        &mut self,
        name: &str,
        body: &str,
        note: &str,
    ) -> Result<SaveOutcome, TemplateStoreError> {
        self.save_checked(name, body, note, None)
    }

    /// Like [`Self::save_template_version`], over `base`, the version the editor's text started
    /// from (`None`: none was saved, the built-in template). Refused with
    /// [`TemplateStoreError::ChangedElsewhere`] when a newer version was saved meanwhile: the
    /// edit is built on older text, and saving it would silently undo what the CLI, a script
    /// or another window saved. Text equal to the newer version's is [`SaveOutcome::Unchanged`]:
    /// nothing would be undone.
    pub fn save_template_version_over(
        &mut self,
        name: &str,
        body: &str,
        note: &str,
        base: Option<u32>,
    ) -> Result<SaveOutcome, TemplateStoreError> {
        self.save_checked(name, body, note, Some(base))
    }

    /// Validates and saves; `base`, when given, is the newest version the save expects.
    fn save_checked(
        &mut self,
        name: &str,
        body: &str,
        note: &str,
        base: Option<Option<u32>>,
    ) -> Result<SaveOutcome, TemplateStoreError> {
        let default = known(name)?;
        let name = default.name;
        let note = version_note(note).map_err(|error| TemplateStoreError::Note {
            name: name.to_string(),
            error,
        })?;
        Template::check_draft(name, default.format, body).map_err(|errors| {
            TemplateStoreError::Invalid {
                name: name.to_string(),
                errors,
            }
        })?;
        let tx = self.write()?;
        let newest = newest_version(&tx, name)?;
        let in_use = newest.as_ref().and_then(|(_, body)| body.as_deref());
        if body == in_use.unwrap_or(default.text) {
            return Ok(SaveOutcome::Unchanged(Unchanged::of(name, newest.as_ref())));
        }
        let newest = newest.map_or(0, |(version, _)| version);
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
        insert_version(tx, name, Some(body), &note, newest + 1).map(SaveOutcome::Saved)
    }

    /// Goes back to the built-in template, as a new version so the history keeps the old ones.
    /// When the text in use is the built-in one already (none saved, a reset, or a version
    /// whose text is the built-in's) nothing would render differently, so no version is made
    /// ([`SaveOutcome::Unchanged`]), as for a save of the text in use: a "reset to default"
    /// over the built-in template only lengthens the history with a version that changes
    /// nothing.
    pub fn reset_template(&mut self, name: &str) -> Result<SaveOutcome, TemplateStoreError> {
        let default = known(name)?;
        let tx = self.write()?;
        let newest = newest_version(&tx, default.name)?;
        let in_use = newest.as_ref().and_then(|(_, body)| body.as_deref());
        if in_use.unwrap_or(default.text) == default.text {
            return Ok(SaveOutcome::Unchanged(Unchanged::of(
                default.name,
                newest.as_ref(),
            )));
        }
        let newest = newest.map_or(0, |(version, _)| version);
        insert_version(tx, default.name, None, RESET_NOTE, newest + 1).map(SaveOutcome::Saved)
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

/// Writes `body` (`None`: a reset) as version `version` of `name`, with its audit entry, and
/// commits.
fn insert_version(
    tx: rusqlite::Transaction<'_>,
    name: &str,
    body: Option<&str>,
    note: &str,
    version: u32,
) -> Result<TemplateVersion, TemplateStoreError> {
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
