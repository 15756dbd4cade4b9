//! The dividers beside the Templates panel's editor (list | editor | variables and preview):
//! egui catches a panel's edge 3 px either side and draws it as a hairline, so it took several
//! tries to find. Here it catches 6 px either side and carries a grip; egui sets the resize
//! cursor while the pointer is over it.

/// How far either side of a divider the pointer catches it.
const GRAB_RADIUS: f32 = 6.0;

/// Runs `panels` (the resizable panels' `show`) with the wider catch; what follows keeps
/// egui's own.
pub(super) fn wider_grab<R>(ui: &mut egui::Ui, panels: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let before = ui.style().interaction.resize_grab_radius_side;
    ui.style_mut().interaction.resize_grab_radius_side = GRAB_RADIUS;
    let shown = panels(ui);
    ui.style_mut().interaction.resize_grab_radius_side = before;
    shown
}

/// A grip at the middle of the divider at `x` along `rect`: a small pill with three dots,
/// brighter under the pointer. Painted after the panels on both sides, so neither covers it.
pub(super) fn grip(ui: &egui::Ui, x: f32, rect: egui::Rect) {
    let centre = egui::pos2(x, rect.center().y);
    let hovered = ui.input(|i| i.pointer.hover_pos()).is_some_and(|pointer| {
        (pointer.x - x).abs() <= GRAB_RADIUS && rect.y_range().contains(pointer.y)
    });
    let visuals = ui.visuals();
    let widget = if hovered {
        &visuals.widgets.hovered
    } else {
        &visuals.widgets.inactive
    };
    let painter = ui.painter();
    painter.rect(
        egui::Rect::from_center_size(centre, egui::vec2(8.0, 34.0)),
        4.0,
        widget.bg_fill,
        visuals.widgets.noninteractive.bg_stroke,
        egui::StrokeKind::Inside,
    );
    for dy in [-9.0, 0.0, 9.0] {
        painter.circle_filled(centre + egui::vec2(0.0, dy), 1.6, widget.fg_stroke.color);
    }
}
