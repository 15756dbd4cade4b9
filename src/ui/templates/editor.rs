//! The template editor: a monospace text field with XML highlighting, line numbers, and the
//! lines with problems marked. The highlighter is a small hand-written scanner rather than
//! syntect (egui_extras' syntax_highlighting), which would add a large dependency for five
//! colours; it only needs to be right for templates, not for all of XML.

use std::collections::BTreeSet;

use egui::text::{CCursor, CCursorRange, LayoutJob, TextFormat};
use egui::{Color32, FontId};

use crate::ui::widgets::style::{Syntax, syntax};

/// What a stretch of template text is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    /// `<`, `>`, `/`, `=` and `<?…?>` declarations.
    Markup,
    TagName,
    AttributeName,
    AttributeValue,
    Comment,
    /// `{{name}}`, wherever it stands.
    Variable,
}

/// The highlighter's colour for each kind of text.
fn color(palette: &Syntax, kind: Kind) -> Color32 {
    match kind {
        Kind::Text => palette.text,
        Kind::Markup => palette.markup,
        Kind::TagName => palette.tag,
        Kind::AttributeName => palette.attribute,
        Kind::AttributeValue => palette.value,
        Kind::Comment => palette.comment,
        Kind::Variable => palette.variable,
    }
}

/// Where the scanner is between characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    Comment,
    /// `<?…?>` or `<!…>`.
    Declaration,
    /// Just after `<` or `</`: the element's name.
    TagName,
    /// Inside a tag, between attributes.
    InTag,
    AttributeName,
    /// Inside a quoted attribute value, with its quote.
    Value(char),
}

/// The kind of each character of `text`, by byte range. Variables win over everything else,
/// since `{{…}}` is replaced before the XML is read.
fn classify(text: &str) -> Vec<(std::ops::Range<usize>, Kind)> {
    let mut runs: Vec<(std::ops::Range<usize>, Kind)> = Vec::new();
    let mut push = |range: std::ops::Range<usize>, kind: Kind| match runs.last_mut() {
        Some((last, last_kind)) if *last_kind == kind && last.end == range.start => {
            last.end = range.end;
        }
        _ => runs.push((range, kind)),
    };
    let mut state = State::Text;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with("{{") && state != State::Comment {
            let end = rest.find("}}").map_or(text.len(), |e| i + e + 2);
            push(i..end, Kind::Variable);
            i = end;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        let next = i + c.len_utf8();
        let (kind, after) = match state {
            State::Text if rest.starts_with("<!--") => {
                push(i..i + 4, Kind::Comment);
                i += 4;
                state = State::Comment;
                continue;
            }
            State::Text if rest.starts_with("<?") || rest.starts_with("<!") => {
                (Kind::Markup, State::Declaration)
            }
            State::Text if c == '<' => (Kind::Markup, State::TagName),
            State::Text => (Kind::Text, State::Text),
            State::Comment if rest.starts_with("-->") => {
                push(i..i + 3, Kind::Comment);
                i += 3;
                state = State::Text;
                continue;
            }
            State::Comment => (Kind::Comment, State::Comment),
            State::Declaration if c == '>' => (Kind::Markup, State::Text),
            State::Declaration => (Kind::Markup, State::Declaration),
            State::TagName if c == '/' => (Kind::Markup, State::TagName),
            State::TagName | State::InTag | State::AttributeName if c == '>' => {
                (Kind::Markup, State::Text)
            }
            State::TagName if c.is_whitespace() => (Kind::Text, State::InTag),
            State::TagName => (Kind::TagName, State::TagName),
            State::InTag | State::AttributeName if c == '"' || c == '\'' => {
                (Kind::AttributeValue, State::Value(c))
            }
            State::InTag | State::AttributeName if c == '=' || c == '/' => {
                (Kind::Markup, State::InTag)
            }
            State::InTag | State::AttributeName if c.is_whitespace() => (Kind::Text, State::InTag),
            State::InTag | State::AttributeName => (Kind::AttributeName, State::AttributeName),
            State::Value(quote) if c == quote => (Kind::AttributeValue, State::InTag),
            State::Value(quote) => (Kind::AttributeValue, State::Value(quote)),
        };
        push(i..next, kind);
        state = after;
        i = next;
    }
    runs
}

/// The highlighted text, with the lines in `problem_lines` (1-based) on a red background.
pub fn highlight(
    text: &str,
    visuals: &egui::Visuals,
    font: FontId,
    problem_lines: &BTreeSet<usize>,
) -> LayoutJob {
    let palette = syntax(visuals);
    let mut job = LayoutJob::default();
    let mut line = 1;
    for (range, kind) in classify(text) {
        // A run is split at line breaks, so each piece knows its line's background.
        let mut start = range.start;
        for piece in text[range.clone()].split_inclusive('\n') {
            let background = if problem_lines.contains(&line) {
                palette.problem_line
            } else {
                Color32::TRANSPARENT
            };
            let format = TextFormat {
                font_id: font.clone(),
                color: color(&palette, kind),
                background,
                italics: kind == Kind::Comment,
                ..TextFormat::default()
            };
            job.append(&text[start..start + piece.len()], 0.0, format);
            start += piece.len();
            if piece.ends_with('\n') {
                line += 1;
            }
        }
    }
    job
}

/// What the editor reports back each frame.
pub struct EditorOutput {
    pub changed: bool,
    /// The cursor, as a character index, while the editor has focus.
    pub cursor: Option<usize>,
}

/// The editor with its line-number gutter, labelled by `label` for screen readers (and tests).
/// `goto` puts the cursor at that character index and
/// focuses the editor (a click on a problem).
pub fn show(
    ui: &mut egui::Ui,
    id: egui::Id,
    label: egui::Id,
    text: &mut String,
    problem_lines: &BTreeSet<usize>,
    goto: Option<usize>,
) -> EditorOutput {
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    if let Some(index) = goto {
        let mut state = egui::TextEdit::load_state(ui.ctx(), id).unwrap_or_default();
        state
            .cursor
            .set_char_range(Some(CCursorRange::one(CCursor::new(index))));
        state.store(ui.ctx(), id);
        ui.memory_mut(|m| m.request_focus(id));
    }
    let visuals = ui.visuals().clone();
    let mut layouter = |ui: &egui::Ui, buffer: &dyn egui::TextBuffer, _wrap: f32| {
        let mut job = highlight(buffer.as_str(), &visuals, font.clone(), problem_lines);
        // Code is not wrapped: line numbers stay beside their lines.
        job.wrap.max_width = f32::INFINITY;
        ui.fonts_mut(|f| f.layout_job(job))
    };
    // The frame goes around the scrolled view, not around the text: a text wider than the
    // pane had its right edge out of sight, as if the editor ran out of the window.
    let frame_visuals = ui.visuals();
    let stroke = if ui.memory(|m| m.has_focus(id)) {
        frame_visuals.selection.stroke
    } else {
        frame_visuals.widgets.noninteractive.bg_stroke
    };
    egui::Frame::new()
        .fill(frame_visuals.text_edit_bg_color())
        .stroke(stroke)
        .corner_radius(frame_visuals.widgets.inactive.corner_radius)
        .inner_margin(egui::Margin::symmetric(4, 2))
        .show(ui, |ui| {
            let mut output = EditorOutput {
                changed: false,
                cursor: None,
            };
            egui::ScrollArea::both()
                .id_salt("template_editor_scroll")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.horizontal_top(|ui| {
                        gutter(ui, text, problem_lines, &font);
                        let edited = egui::TextEdit::multiline(text)
                            .id(id)
                            .code_editor()
                            .frame(egui::Frame::NONE)
                            // Grows with its longest line; the scroll area scrolls sideways.
                            .clip_text(false)
                            .desired_width(ui.available_width())
                            .min_size(ui.available_size())
                            .lock_focus(true)
                            .layouter(&mut layouter)
                            .show(ui);
                        let response = edited.response.response.labelled_by(label);
                        output.changed = response.changed();
                        if response.has_focus() {
                            output.cursor = edited.cursor_range.map(|range| range.primary.index.0);
                        }
                    });
                });
            output
        })
        .inner
}

/// Line numbers, right-aligned, the lines with problems in the error colour.
fn gutter(ui: &mut egui::Ui, text: &str, problem_lines: &BTreeSet<usize>, font: &FontId) {
    let lines = text.split('\n').count().max(1);
    let width = lines.to_string().len().max(2);
    let weak = ui.visuals().weak_text_color();
    let error = crate::ui::widgets::style::signal(ui.visuals()).error;
    let mut job = LayoutJob::default();
    for line in 1..=lines {
        let problem = problem_lines.contains(&line);
        let format = TextFormat {
            font_id: font.clone(),
            color: if problem { error } else { weak },
            ..TextFormat::default()
        };
        let end = if line < lines { "\n" } else { "" };
        job.append(&format!("{line:>width$}{end}"), 0.0, format);
    }
    // The same top margin as the text field's, so each number sits beside its line.
    ui.add_space(0.0);
    egui::Frame::new()
        .inner_margin(egui::Margin::symmetric(0, 2))
        .show(ui, |ui| {
            ui.add(egui::Label::new(job).selectable(false))
                .on_hover_text("Line numbers; lines with a problem are red");
        });
}

/// The character index of a 1-based line and column in `text`, clamped to the text.
pub fn char_index(text: &str, line: usize, column: usize) -> usize {
    let mut index = 0;
    for (number, content) in text.split('\n').enumerate() {
        let length = content.chars().count();
        if number + 1 == line {
            return index + column.saturating_sub(1).min(length);
        }
        index += length + 1;
    }
    text.chars().count()
}

/// Inserts `insert` at character `index` of `text`; returns the character index after it.
pub fn insert_at(text: &mut String, index: usize, insert: &str) -> usize {
    let byte = text
        .char_indices()
        .nth(index)
        .map_or(text.len(), |(byte, _)| byte);
    text.insert_str(byte, insert);
    index + insert.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, Kind)> {
        classify(text)
            .into_iter()
            .map(|(range, kind)| (&text[range], kind))
            .collect()
    }

    #[test]
    fn tags_attributes_values_and_variables_get_their_own_kinds() {
        assert_eq!(
            kinds(r#"<MAC_ADDRESS value="{{mac}}"/>"#),
            vec![
                ("<", Kind::Markup),
                ("MAC_ADDRESS", Kind::TagName),
                (" ", Kind::Text),
                ("value", Kind::AttributeName),
                ("=", Kind::Markup),
                ("\"", Kind::AttributeValue),
                ("{{mac}}", Kind::Variable),
                ("\"", Kind::AttributeValue),
                ("/>", Kind::Markup),
            ]
        );
        assert_eq!(
            kinds("<!-- {{x}} -->\n{{credentials}}"),
            vec![
                ("<!-- {{x}} -->", Kind::Comment),
                ("\n", Kind::Text),
                ("{{credentials}}", Kind::Variable),
            ]
        );
        assert_eq!(kinds("{{mac"), vec![("{{mac", Kind::Variable)]);
    }

    #[test]
    fn positions_become_character_indexes_and_inserts_land_there() {
        let text = "ab\nçd\nef";
        assert_eq!(char_index(text, 2, 2), 4);
        assert_eq!(char_index(text, 2, 99), 5, "clamped to the line");
        assert_eq!(char_index(text, 9, 1), 8, "clamped to the text");
        let mut text = text.to_string();
        assert_eq!(insert_at(&mut text, 4, "{{mac}}"), 11);
        assert_eq!(text, "ab\nç{{mac}}d\nef");
    }
}
