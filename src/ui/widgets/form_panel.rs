//! The form a panel keeps on its left (the test fetch's setup, the SIP test's account, the
//! redirect account): resizable, and scrolling when it is taller than the window.

/// Shows `contents` in the left form panel `id`, `width` wide to begin with.
pub fn form_panel(
    ui: &mut egui::Ui,
    id: &'static str,
    width: f32,
    contents: impl FnOnce(&mut egui::Ui),
) {
    egui::Panel::left(id)
        .resizable(true)
        .default_size(width)
        .min_size(260.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, contents);
        });
}
