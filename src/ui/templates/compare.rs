//! The Compare window: a template version against the editor's text or against the version
//! before it, as coloured line hunks. The diff is the core's ([`hunks`]); it is computed again
//! only when one of the two texts changed, so typing in the editor with the window open
//! costs nothing until the text differs.

use egui::RichText;
use egui::text::{LayoutJob, TextFormat};

use super::TemplatesPanel;
use crate::templates::{DEFAULT_TEMPLATES, Hunk, LineKind, hunks};
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::{DiffColors, diff, signal};

/// Unchanged lines shown around each change.
const CONTEXT: usize = 3;

/// What the chosen version is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Against {
    /// The editor's text, saved or not: "what would my edits change?"
    Editor,
    /// The version before it (the built-in template before the first): "what did it change?"
    Previous,
}

pub(super) struct Compare {
    index: usize,
    version: u32,
    against: Against,
    /// The old and new text the hunks were computed from.
    computed: Option<(String, String, Vec<Hunk>)>,
}

impl Compare {
    pub(super) fn new(index: usize, version: u32) -> Self {
        Self {
            index,
            version,
            against: Against::Editor,
            computed: None,
        }
    }

    /// The hunks from `old` to `new`, computed when either changed.
    fn hunks(&mut self, old: &str, new: &str) -> &[Hunk] {
        let stale = !matches!(&self.computed, Some((o, n, _)) if o == old && n == new);
        if stale {
            self.computed = Some((old.to_string(), new.to_string(), hunks(old, new, CONTEXT)));
        }
        self.computed.as_ref().map_or(&[], |(_, _, found)| found)
    }
}

/// The two sides of a comparison: labels and texts, old first.
struct Sides {
    old_label: String,
    old: String,
    new_label: String,
    new: String,
    /// The label of the version before, for its button.
    previous_label: String,
}

impl TemplatesPanel {
    fn sides(&self, compare: &Compare) -> Option<Sides> {
        let default = DEFAULT_TEMPLATES.get(compare.index)?;
        let (version, previous) = self.version_and_previous(compare.index, compare.version)?;
        let this = format!("v{}", version.version);
        let (previous_label, previous_text) = match previous {
            Some(previous) => (format!("v{}", previous.version), previous.text()),
            None => ("built-in".to_string(), default.text),
        };
        Some(match compare.against {
            Against::Editor => Sides {
                old_label: this,
                old: version.text().to_string(),
                new_label: "editor".to_string(),
                new: self.drafts.get(compare.index)?.text.clone(),
                previous_label,
            },
            Against::Previous => Sides {
                old_label: previous_label.clone(),
                old: previous_text.to_string(),
                new_label: this,
                new: version.text().to_string(),
                previous_label,
            },
        })
    }

    /// The Compare window while it is open; its Restore button restores as the list's does, and
    /// closes the window once the version is in the editor.
    pub(super) fn compare_window(&mut self, ui: &mut egui::Ui, status: &mut StatusLine) {
        let Some(mut compare) = self.versions.compare.take() else {
            return;
        };
        let Some(sides) = self.sides(&compare) else {
            // The version is gone (another inventory opened): nothing to compare.
            return;
        };
        let name = DEFAULT_TEMPLATES.get(compare.index).map_or("", |d| d.name);
        let mut open = true;
        let mut restore = false;
        let mut close = false;
        egui::Window::new(format!("Compare {name} v{}", compare.version))
            .id(egui::Id::unique("template_compare"))
            .open(&mut open)
            .collapsible(false)
            .default_width(680.0)
            .min_width(420.0)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(ui.ctx().content_rect().center_top() + egui::vec2(0.0, 80.0))
            .show(ui.ctx(), |ui| {
                against_choice(ui, &mut compare.against, &sides.previous_label);
                let colors = diff(ui.visuals());
                legend(ui, &sides, &colors);
                let found = compare.hunks(&sides.old, &sides.new);
                summary(ui, found, &sides);
                ui.separator();
                let bottom = ui.spacing().interact_size.y + 16.0;
                egui::ScrollArea::both()
                    .id_salt("template_compare_lines")
                    .max_height((ui.available_height() - bottom).max(120.0))
                    .auto_shrink([false, true])
                    .show(ui, |ui| lines(ui, found, &colors));
                ui.separator();
                ui.horizontal(|ui| {
                    restore = ui
                        .button(format!("Restore v{}", compare.version))
                        .on_hover_text("Load this version into the editor; saving it makes a new version on top")
                        .clicked();
                    close = ui.button("Close").clicked();
                });
            });
        if restore {
            self.restore(compare.index, compare.version, status);
        }
        // Once restored the window has done its job, and its Restore would do nothing more.
        // While Restore asks about unsaved edits it stays, and goes if they are discarded.
        let restored = restore && self.versions.ask_restore.is_none();
        if open && !close && !restored {
            self.versions.compare = Some(compare);
        }
    }
}

fn against_choice(ui: &mut egui::Ui, against: &mut Against, previous: &str) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Compare with:");
        ui.selectable_value(against, Against::Editor, "the editor's text")
            .on_hover_text("What saving the editor's text would change");
        ui.selectable_value(
            against,
            Against::Previous,
            format!("the version before ({previous})"),
        )
        .on_hover_text("What this version changed");
    });
}

fn legend(ui: &mut egui::Ui, sides: &Sides, colors: &DiffColors) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!("- only in {}", sides.old_label))
                .monospace()
                .color(colors.removed),
        );
        ui.label(
            RichText::new(format!("+ only in {}", sides.new_label))
                .monospace()
                .color(colors.added),
        );
    });
}

fn summary(ui: &mut egui::Ui, found: &[Hunk], sides: &Sides) {
    if found.is_empty() {
        ui.label(
            RichText::new(format!(
                "✔ {} and {} have the same text.",
                sides.old_label, sides.new_label
            ))
            .color(signal(ui.visuals()).ok),
        );
        return;
    }
    let added: usize = found.iter().map(Hunk::added).sum();
    let removed: usize = found.iter().map(Hunk::removed).sum();
    ui.label(format!(
        "{} added, {} removed, in {}.",
        crate::words::count(added, "line"),
        crate::words::count(removed, "line"),
        crate::words::count(found.len(), "place")
    ));
}

/// The hunks' lines: old and new line numbers, the sign, the text, on the line's tint.
fn lines(ui: &mut egui::Ui, found: &[Hunk], colors: &DiffColors) {
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let text_color = ui.visuals().text_color();
    let width = ui.available_width();
    for hunk in found {
        let start = hunk.lines.first().and_then(|l| l.new_line.or(l.old_line));
        ui.label(
            RichText::new(format!("from line {}:", start.unwrap_or(1)))
                .small()
                .color(colors.margin),
        );
        for line in &hunk.lines {
            let (sign, sign_color, fill) = match line.kind {
                LineKind::Same => (' ', colors.margin, egui::Color32::TRANSPARENT),
                LineKind::Added => ('+', colors.added, colors.added_line),
                LineKind::Removed => ('-', colors.removed, colors.removed_line),
            };
            let number = |n: Option<usize>| n.map_or(String::new(), |n| n.to_string());
            let mut job = LayoutJob::default();
            let format = |color| TextFormat::simple(font.clone(), color);
            let margin = format!("{:>4} {:>4} ", number(line.old_line), number(line.new_line));
            job.append(&margin, 0.0, format(colors.margin));
            job.append(&format!("{sign} "), 0.0, format(sign_color));
            job.append(&line.text, 0.0, format(text_color));
            if line.no_newline {
                job.append("  (no newline at end of file)", 0.0, format(colors.margin));
            }
            job.wrap.max_width = f32::INFINITY;
            egui::Frame::new().fill(fill).show(ui, |ui| {
                ui.set_min_width(width);
                ui.add(egui::Label::new(job).extend());
            });
        }
    }
}
