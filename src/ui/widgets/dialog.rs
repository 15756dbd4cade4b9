//! Confirmation dialogs: a modal with a body and a confirm / Cancel pair, and where files
//! are saved unless the user says otherwise.

/// Shows the modal. `Some(true)`: confirmed; `Some(false)`: cancelled, by the button, Esc or a
/// click outside; `None`: still open.
pub fn confirm(
    ui: &egui::Ui,
    id: &str,
    width: f32,
    confirm_button: egui::Button<'_>,
    confirm_enabled: bool,
    body: impl FnOnce(&mut egui::Ui),
) -> Option<bool> {
    let mut decision = None;
    let modal = egui::Modal::new(egui::Id::unique(id)).show(ui.ctx(), |ui| {
        ui.set_width(width);
        body(ui);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.add_enabled(confirm_enabled, confirm_button).clicked() {
                decision = Some(true);
            }
            if ui.button("Cancel").clicked() {
                decision = Some(false);
            }
        });
    });
    if modal.should_close() && decision.is_none() {
        decision = Some(false);
    }
    decision
}

/// Where a file called `name` is saved unless the user says otherwise: the documents (else
/// home) folder.
pub fn default_save_path(name: &str) -> String {
    let dirs = directories::UserDirs::new();
    let folder = dirs
        .as_ref()
        .and_then(|d| d.document_dir().map(std::path::Path::to_path_buf))
        .or_else(|| dirs.as_ref().map(|d| d.home_dir().to_path_buf()))
        .unwrap_or_default();
    folder.join(name).display().to_string()
}
