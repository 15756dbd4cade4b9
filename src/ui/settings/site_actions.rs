//! Renaming and deleting a site from the site editor. Rename is a small dialog (Enter renames,
//! Esc cancels). Delete first asks the inventory what its devices would lose, then confirms
//! with those facts, the ones `provdesk site rm` prints; like every destructive dialog, Enter
//! does not confirm it.

use egui::RichText;

use crate::inventory::{Site, SiteRemoval, site_name_problem};
use crate::ui::settings::jobs;
use crate::ui::widgets::dialog;
use crate::ui::widgets::fields::field_error;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;

#[derive(Default)]
pub struct SiteActions {
    rename: Option<Rename>,
    delete: Option<Delete>,
}

/// The rename dialog: the site, and the name typed so far.
struct Rename {
    id: i64,
    from: String,
    to: String,
    /// The field has had the focus once: the dialog opens ready to type.
    focused: bool,
}

enum Delete {
    /// The inventory is asked what deleting the site would do; the dialog opens with the answer.
    Asking(String),
    Confirming(SiteRemoval),
}

/// Why the site `id` cannot be called `to`, in words with what to do; `None` when it can. The
/// same rule as [`crate::inventory::Inventory::rename_site`], checked as the name is typed.
fn rename_problem(sites: &[Site], id: i64, to: &str) -> Option<String> {
    if let Some(problem) = site_name_problem(to) {
        return Some(format!("The name {problem}"));
    }
    sites
        .iter()
        .find(|site| site.id != id && site.name.eq_ignore_ascii_case(to.trim()))
        .map(|other| {
            format!(
                "Another site is called {} (names are compared ignoring case): pick another name",
                other.name
            )
        })
}

impl SiteActions {
    /// The Rename and Delete buttons for `site`, the stored site the editor shows; off without
    /// one. `typed`: the editor's name field, which the rename dialog starts from when it
    /// differs, so that correcting a name in the field and then choosing Rename keeps it.
    pub fn buttons(
        &mut self,
        ui: &mut egui::Ui,
        site: Option<&Site>,
        typed: &str,
        worker: &Worker,
    ) {
        let enabled = site.is_some() && self.rename.is_none() && self.delete.is_none();
        let none = "Pick a site first (Pick, or type its name)";
        let rename = ui
            .add_enabled(enabled, egui::Button::new("Rename site…"))
            .on_hover_text("Give the site another name; its devices and values stay with it")
            .on_disabled_hover_text(none);
        let delete = ui
            .add_enabled(enabled, egui::Button::new("Delete site…"))
            .on_hover_text("Delete the site; you see first what its devices lose")
            .on_disabled_hover_text(none);
        let Some(site) = site else {
            return;
        };
        if rename.clicked() {
            let typed = typed.trim();
            self.rename = Some(Rename {
                id: site.id,
                from: site.name.clone(),
                to: if typed.is_empty() { &site.name } else { typed }.to_string(),
                focused: false,
            });
        }
        if delete.clicked() {
            self.delete = Some(Delete::Asking(site.name.clone()));
            jobs::site_removal(worker, site.name.clone());
        }
    }

    /// The facts for the delete asked about: the confirmation opens with them.
    pub fn on_facts(&mut self, facts: SiteRemoval) {
        if matches!(&self.delete, Some(Delete::Asking(name)) if name.eq_ignore_ascii_case(&facts.site))
        {
            self.delete = Some(Delete::Confirming(facts));
        }
    }

    /// A job failed: a delete still waiting for its facts will not get them.
    pub fn on_failure(&mut self) {
        if matches!(self.delete, Some(Delete::Asking(_))) {
            self.delete = None;
        }
    }

    /// The open dialog, if any; `sites` for the rename's check that no other site has the name.
    pub fn dialogs(&mut self, ui: &egui::Ui, sites: &[Site], worker: &Worker) {
        self.rename_dialog(ui, sites, worker);
        self.delete_dialog(ui, worker);
    }

    fn rename_dialog(&mut self, ui: &egui::Ui, sites: &[Site], worker: &Worker) {
        let Some(rename) = self.rename.as_mut() else {
            return;
        };
        let problem = rename_problem(sites, rename.id, &rename.to);
        let ready = problem.is_none() && rename.to.trim() != rename.from;
        let button = egui::Button::new("Rename");
        let decision =
            dialog::confirm_on_enter(ui, "site_rename_dialog", 440.0, button, ready, |ui| {
                ui.heading(format!("Rename site {}", rename.from));
                ui.horizontal(|ui| {
                    let label = ui.label("New name");
                    let field = ui
                        .add(egui::TextEdit::singleline(&mut rename.to).desired_width(300.0))
                        .labelled_by(label.id);
                    if !std::mem::replace(&mut rename.focused, true) {
                        field.request_focus();
                    }
                });
                if let Some(problem) = &problem {
                    field_error(ui, problem);
                }
                ui.label(
                    RichText::new(
                        "Its devices and values stay with it; every site list shows the new name.",
                    )
                    .weak(),
                );
            });
        match decision {
            Some(true) => {
                let to = rename.to.trim().to_string();
                jobs::rename_site(worker, std::mem::take(&mut rename.from), to);
                self.rename = None;
            }
            Some(false) => self.rename = None,
            None => {}
        }
    }

    fn delete_dialog(&mut self, ui: &egui::Ui, worker: &Worker) {
        let Some(Delete::Confirming(facts)) = &self.delete else {
            return;
        };
        let button = dialog::danger_button(ui, format!("Delete {}", facts.site));
        let decision = dialog::confirm(ui, "site_delete_dialog", 460.0, button, true, |ui| {
            ui.heading(format!("Delete site {}?", facts.site));
            ui.add_space(4.0);
            let consequence = RichText::new(facts.consequence());
            if facts.inherited.is_empty() {
                ui.label(consequence);
            } else {
                ui.label(consequence.color(signal(ui.visuals()).warning));
            }
            if facts.devices > 0 {
                ui.add_space(4.0);
                ui.label(
                    RichText::new(
                        "Their own values stay. To keep the site's values for them, move them \
                         to another site first (Inventory: Set site…).",
                    )
                    .weak(),
                );
            }
        });
        match decision {
            Some(true) => {
                jobs::delete_site(worker, facts.site.clone());
                self.delete = None;
            }
            Some(false) => self.delete = None,
            None => {}
        }
    }
}
