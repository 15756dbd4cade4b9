//! The question before a site's digest credentials change under devices that take them from
//! it: a phone learns new credentials only from a file fetched with the ones it holds, so a
//! plain save locks those phones out from their next fetch. *Start a rollout instead* (the
//! recommended answer) saves the site's other values and hands the new credentials to the
//! Serve panel's rollout form; *Change now* saves as typed; Cancel keeps the fields as typed.

use egui::RichText;

use crate::inventory::{Site, SiteDraft, lockout_warning};
use crate::secret::Secret;
use crate::ui::widgets::dialog;
use crate::ui::widgets::style::signal;

/// A save held back for the question: the draft as typed, the stored site it was loaded from
/// (what the save replaces), and how many devices the change reaches.
pub struct CredentialQuestion {
    pub draft: SiteDraft,
    pub base: Site,
    pub devices: usize,
}

/// A rollout for the Serve panel to prepare: the site and its new credentials.
pub struct RolloutHandoff {
    pub site: String,
    pub user: String,
    pub password: Secret,
}

/// What the user answered.
pub enum Answer {
    /// Save the draft without its credential change (when anything else changed), then
    /// prepare the rollout.
    Rollout {
        save: Option<SiteDraft>,
        handoff: RolloutHandoff,
    },
    ChangeNow(SiteDraft),
    Cancel,
}

impl CredentialQuestion {
    /// The rollout this change would be, when the draft has both a user name and a password
    /// (a rollout needs both).
    fn rollout(&self) -> Option<RolloutHandoff> {
        Some(RolloutHandoff {
            site: self.draft.name.trim().to_string(),
            user: self.draft.digest_username.clone()?,
            password: self.draft.digest_password.clone()?,
        })
    }

    /// The draft with the stored credentials, or `None` when nothing else changed either.
    fn other_values(&self) -> Option<SiteDraft> {
        let stored = self.base.to_draft();
        let kept = SiteDraft {
            digest_username: stored.digest_username.clone(),
            digest_password: stored.digest_password.clone(),
            ..self.draft.clone()
        };
        (kept != stored).then_some(kept)
    }

    /// Shows the question; `None` while it is open.
    pub fn ask(&self, ui: &egui::Ui) -> Option<Answer> {
        let mut answer = None;
        let rollout = self.rollout();
        let modal =
            egui::Modal::new(egui::Id::unique("site_credentials_question")).show(ui.ctx(), |ui| {
                ui.set_width(500.0);
                ui.heading(format!(
                    "Change the digest credentials of site {}?",
                    self.draft.name.trim()
                ));
                ui.add_space(4.0);
                ui.label(
                    RichText::new(format!("{}.", lockout_warning(self.devices)))
                        .color(signal(ui.visuals()).warning),
                );
                ui.label(
                    "A rollout changes them without that: the old ones are accepted until you \
                     enforce it, once the phones have fetched the new ones.",
                );
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    let instead = ui
                        .add_enabled(
                            rollout.is_some(),
                            egui::Button::new(
                                RichText::new("Start a rollout instead (recommended)").strong(),
                            ),
                        )
                        .on_hover_text("Save the other values, and prepare the rollout in Serve")
                        .on_disabled_hover_text("A rollout needs both a user name and a password");
                    if instead.clicked()
                        && let Some(handoff) = self.rollout()
                    {
                        answer = Some(Answer::Rollout {
                            save: self.other_values(),
                            handoff,
                        });
                    }
                    if ui.add(dialog::danger_button(ui, "Change now")).clicked() {
                        answer = Some(Answer::ChangeNow(self.draft.clone()));
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(Answer::Cancel);
                    }
                });
            });
        if modal.should_close() && answer.is_none() {
            answer = Some(Answer::Cancel);
        }
        answer
    }
}
