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
    modal(
        ui,
        id,
        width,
        (confirm_button, confirm_enabled, false),
        "Cancel",
        body,
    )
}

/// Like [`confirm`], with `dismiss` on the button that closes it: for a dialog whose action
/// is itself a cancel, where a second "Cancel" would read as the same.
pub fn confirm_or(
    ui: &egui::Ui,
    id: &str,
    width: f32,
    confirm_button: egui::Button<'_>,
    dismiss: &str,
    body: impl FnOnce(&mut egui::Ui),
) -> Option<bool> {
    modal(ui, id, width, (confirm_button, true, false), dismiss, body)
}

/// Like [`confirm`], and Enter confirms too: for a dialog that only writes where the user
/// said (export, render, save), not for one that destroys something.
pub fn confirm_on_enter(
    ui: &egui::Ui,
    id: &str,
    width: f32,
    confirm_button: egui::Button<'_>,
    confirm_enabled: bool,
    body: impl FnOnce(&mut egui::Ui),
) -> Option<bool> {
    modal(
        ui,
        id,
        width,
        (confirm_button, confirm_enabled, true),
        "Cancel",
        body,
    )
}

/// The modal; `confirm`: the button, whether it is enabled, whether Enter presses it;
/// `dismiss`: the other button's words.
fn modal(
    ui: &egui::Ui,
    id: &str,
    width: f32,
    (confirm_button, confirm_enabled, on_enter): (egui::Button<'_>, bool, bool),
    dismiss: &str,
    body: impl FnOnce(&mut egui::Ui),
) -> Option<bool> {
    let mut decision = None;
    let modal = egui::Modal::new(egui::Id::unique(id)).show(ui.ctx(), |ui| {
        ui.set_width(width);
        body(ui);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let enter = on_enter && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.add_enabled(confirm_enabled, confirm_button).clicked()
                || (enter && confirm_enabled)
            {
                decision = Some(true);
            }
            if ui.button(dismiss).clicked() {
                decision = Some(false);
            }
        });
    });
    if modal.should_close() && decision.is_none() {
        decision = Some(false);
    }
    decision
}

/// The confirm button of a dialog that destroys something: red, on both themes.
pub fn danger_button(ui: &egui::Ui, text: impl Into<String>) -> egui::Button<'static> {
    let colors = crate::ui::widgets::style::signal(ui.visuals());
    egui::Button::new(egui::RichText::new(text).strong().color(colors.on_danger))
        .fill(colors.danger)
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
