//! The window around the panels: the navigation, the status bar, the overlay while files are
//! dragged over the window, and what shows when the inventory cannot be opened.

use std::time::{Duration, Instant};

use egui::RichText;

use crate::ui::app::ProvdeskApp;
use crate::ui::section::Section;
use crate::ui::widgets::status::{FRESH_FOR, Message, Severity};
use crate::ui::widgets::style::{signal, size};
use crate::words;

impl ProvdeskApp {
    pub(super) fn navigation(&mut self, ui: &mut egui::Ui) {
        ui.add_space(10.0);
        ui.label(RichText::new("provdesk").heading().strong());
        ui.label(RichText::new("Gigaset provisioning").small().weak());
        ui.add_space(14.0);
        for section in Section::ALL {
            let selected = self.section == section;
            let unseen = self.status.unseen(section);
            let text = RichText::new(format!("{}  {}", section.icon(), section.title())).size(15.0);
            let response = ui
                .add(
                    egui::Button::selectable(selected, text)
                        .min_size(egui::vec2(ui.available_width(), 30.0)),
                )
                .on_hover_text(format!(
                    "{} (Ctrl+{}){}",
                    section.title(),
                    Section::ALL.iter().position(|s| *s == section).unwrap_or(0) + 1,
                    unseen.map_or(String::new(), |severity| format!(
                        ": {}",
                        unseen_words(severity)
                    ))
                ));
            if response.clicked() {
                self.section = section;
            }
            if let Some(severity) = unseen {
                Self::unseen_mark(ui, response.rect, section, severity);
            }
        }
    }

    /// The dot on a panel's navigation entry while it has an error or a result not yet seen.
    fn unseen_mark(ui: &mut egui::Ui, entry: egui::Rect, section: Section, severity: Severity) {
        let colors = signal(ui.visuals());
        let color = match severity {
            Severity::Error => colors.error,
            Severity::Info => colors.info,
        };
        let centre = egui::pos2(entry.right() - 12.0, entry.center().y);
        ui.painter().circle_filled(centre, 4.5, color);
        let label = format!("{} has {}", section.title(), unseen_words(severity));
        let rect = egui::Rect::from_center_size(centre, egui::vec2(12.0, 12.0));
        ui.interact(
            rect,
            ui.scope_id().with(("unseen", section)),
            egui::Sense::hover(),
        )
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
    }

    /// The counts, the messages and the inventory file. The file's name is placed first, at
    /// the right, and each message gets an equal share of the room left, cut short with "…"
    /// and its whole text on hover: a long reason would otherwise run off the window and
    /// take the others with it.
    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui) {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if let Some(path) = &self.status.db_path {
                ui.add(
                    egui::Label::new(RichText::new(path.display().to_string()).small().weak())
                        .truncate(),
                )
                .on_hover_text("Inventory file");
                ui.separator();
            }
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                self.counts(ui);
                ui.separator();
                self.messages(ui);
            });
        });
    }

    fn counts(&self, ui: &mut egui::Ui) {
        if self.inventory.loading() {
            ui.add(egui::Spinner::new().size(12.0));
        }
        let shown = self.inventory.shown_count();
        let total = self.inventory.inventory_total();
        let selected = self.inventory.selected_count();
        let mut counts = if shown == total {
            words::count(total, "device")
        } else {
            format!("{shown} of {} shown", words::count(total, "device"))
        };
        if selected > 0 {
            counts.push_str(&format!(" · {selected} selected"));
        }
        ui.label(counts);
    }

    fn messages(&mut self, ui: &mut egui::Ui) {
        let now = Instant::now();
        let count = self.status.shown().count();
        let gaps = count.saturating_sub(1) as f32 * (ui.spacing().item_spacing.x * 2.0 + 1.0);
        let share = ((ui.available_width() - gaps) / count.max(1) as f32).max(40.0);
        let height = ui.available_height();
        let mut open = None;
        for (index, message) in self.status.shown().enumerate() {
            if index > 0 {
                ui.separator();
            }
            let on_screen = self.status.on_screen();
            let clicked = ui
                .allocate_ui(egui::vec2(share, height), |ui| {
                    Self::message(ui, message, on_screen, now)
                })
                .inner;
            if clicked {
                open = Some(message.from);
            }
        }
        if let Some(section) = open {
            self.section = section;
        }
    }

    /// One message of the bar; another panel's starts with that panel's name, is dimmed, and
    /// opens the panel when clicked or pressed. Returns whether it was.
    fn message(ui: &mut egui::Ui, message: &Message, on_screen: Section, now: Instant) -> bool {
        let fresh = message.fresh(now);
        let elsewhere = message.from != on_screen;
        let mut text = message.shown(now);
        let title = message.from.title();
        // "SIP test finished: …" names its panel already.
        let named = text
            .get(..title.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(title));
        if elsewhere && !named {
            text = format!("{title}: {text}");
        }
        let text = match message.severity {
            Severity::Error => RichText::new(text).color(signal(ui.visuals()).error),
            Severity::Info if fresh && !elsewhere => RichText::new(text),
            Severity::Info => RichText::new(text).weak(),
        };
        // Repaint when it stops being news, and each minute for its age.
        let age = now.saturating_duration_since(message.at);
        let next = if fresh {
            FRESH_FOR - age
        } else {
            Duration::from_secs(60 - age.as_secs() % 60)
        };
        ui.ctx().request_repaint_after(next);
        if !elsewhere {
            // Cut short, a label shows its whole text on hover by itself.
            ui.add(egui::Label::new(text.clone()).truncate());
            return false;
        }
        ui.add(
            egui::Button::new(text.clone())
                .frame_when_inactive(false)
                .truncate(),
        )
        .on_hover_ui(|ui| {
            ui.label(text);
            ui.label(
                RichText::new(format!(
                    "Said by {}: click to open it",
                    message.from.title()
                ))
                .weak(),
            );
        })
        .clicked()
    }

    /// Says what dropping files will do while they hover over the window.
    pub(super) fn drop_overlay(ui: &mut egui::Ui) {
        let colors = signal(ui.visuals());
        let screen = ui.ctx().content_rect();
        let painter = ui.ctx().layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("drop_overlay"),
        ));
        painter.rect_filled(screen, 0.0, colors.scrim);
        painter.text(
            screen.center(),
            egui::Align2::CENTER_CENTER,
            "Drop to import: CSV, scanner text or label photos",
            egui::FontId::proportional(size::DROP_TEXT),
            colors.on_scrim,
        );
    }

    pub(super) fn open_error(ui: &mut egui::Ui, error: &str) {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.heading("The inventory could not be opened");
            ui.add_space(8.0);
            ui.colored_label(signal(ui.visuals()).error, error);
            ui.add_space(8.0);
            ui.label("Start provdesk with --db PATH (or set PROVDESK_DB) to use another file.");
        });
    }
}

/// What a panel's mark in the navigation stands for.
fn unseen_words(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "an error not yet seen",
        Severity::Info => "a result not yet seen",
    }
}
