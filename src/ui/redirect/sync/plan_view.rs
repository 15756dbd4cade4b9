//! The plan as the dry run left it: a line of counts per action, then one coloured row per
//! device, the devices the server could not answer for last and in red.

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder, TableRow};

use crate::redirect::{Action, PlanItem, SyncPlan};
use crate::ui::widgets::style::{Signal, signal};
use crate::words;

/// The colour of an action: register green, update amber, deregister red, unchanged grey.
fn action_color(action: Action, colors: &Signal, weak: Color32) -> Color32 {
    match action {
        Action::Register => colors.ok,
        Action::Update => colors.warning,
        Action::Deregister => colors.error,
        Action::Unchanged => weak,
    }
}

pub(super) fn show(
    ui: &mut egui::Ui,
    plan: &SyncPlan,
    warnings: &[String],
    deregister_unknown: bool,
) {
    let colors = signal(ui.visuals());
    let weak = ui.visuals().weak_text_color();
    summary(ui, plan, deregister_unknown, &colors, weak);
    for warning in warnings {
        ui.label(RichText::new(format!("⚠ {warning}")).color(colors.warning));
    }
    table(ui, plan, &colors, weak);
}

/// The counts, the devices left out, and what to do when the server holds registrations the
/// plan leaves alone.
fn summary(
    ui: &mut egui::Ui,
    plan: &SyncPlan,
    deregister_unknown: bool,
    colors: &Signal,
    weak: Color32,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Plan:").strong());
        for action in [
            Action::Register,
            Action::Update,
            Action::Deregister,
            Action::Unchanged,
        ] {
            let count = plan.count(action);
            let text = match action {
                Action::Unchanged => format!("{count} unchanged"),
                other => format!("{count} to {}", other.name()),
            };
            ui.label(RichText::new(text).color(action_color(action, colors, weak)));
        }
        // Beside the counts, or "21 to register" reads as every device of the inventory.
        if let Some(counted) = plan.left_out.counted() {
            ui.label(RichText::new(counted).color(colors.warning).strong())
                .on_hover_text("In the inventory but not in the plan: the warnings below say why");
        }
    });
    if plan.remote_only > 0 && !deregister_unknown {
        ui.label(
            RichText::new(format!(
                "{} on the server {} not in the inventory; tick \"Include deregister\" and Plan again to remove {}.",
                words::count(plan.remote_only, "registration"),
                words::agree(plan.remote_only, "is", "are"),
                words::agree(plan.remote_only, "it", "them")
            ))
            .small(),
        );
    }
    if !plan.has_changes() {
        let text = if plan.left_out.devices == 0 {
            "The server already says what the inventory says."
        } else {
            "The server already says what the inventory says of the devices in the plan."
        };
        ui.label(RichText::new(text).color(colors.ok));
    }
}

fn table(ui: &mut egui::Ui, plan: &SyncPlan, colors: &Signal, weak: Color32) {
    let rows = plan.items.len();
    TableBuilder::new(ui)
        .id_salt("redirect_plan")
        .striped(true)
        .resizable(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(90.0))
        .column(Column::initial(170.0))
        .column(Column::initial(100.0).clip(true))
        .column(Column::initial(230.0).clip(true))
        .column(Column::remainder().at_least(160.0).clip(true))
        .auto_shrink([false, false])
        .header(22.0, |mut header| {
            for title in ["Action", "MAC-ID", "Provider", "URL", "On the server now"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, rows, |mut row| {
                let index = row.index();
                if let Some(item) = plan.items.get(index) {
                    item_row(&mut row, item, colors, weak);
                }
            });
        });
}

fn item_row(row: &mut TableRow<'_, '_>, item: &PlanItem, colors: &Signal, weak: Color32) {
    let color = action_color(item.action, colors, weak);
    row.col(|ui| {
        ui.label(RichText::new(item.action.name()).color(color).strong());
    });
    let (mac_id, provider, url) = item.shown();
    row.col(|ui| {
        ui.label(RichText::new(mac_id).monospace().color(color));
    });
    row.col(|ui| {
        ui.label(provider);
    });
    row.col(|ui| {
        ui.label(&url).on_hover_text(url);
    });
    row.col(|ui| {
        let now = match (&item.remote, item.action) {
            (None, _) => "not registered".to_string(),
            (Some(_), Action::Unchanged) => "the same".to_string(),
            (Some(r), _) => {
                let r = r.shown();
                format!("{} {}", r.provider, r.url)
            }
        };
        ui.label(RichText::new(&now).color(weak)).on_hover_text(now);
    });
}
