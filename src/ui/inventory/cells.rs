//! One inventory row's cells: what each column shows of a device, and how.
//!
//! States (redirect, last fetch) are a coloured dot and a word, so a failed fetch does not
//! look like a good one. Times are "5 min ago": the inventory stores UTC, and the laptop's own
//! clock says how long ago without a time zone; the hover gives the exact time in UTC.

use chrono::{DateTime, Utc};
use egui::RichText;

use crate::device::Device;
use crate::fetch::Code;
use crate::printable::printable;
use crate::ui::widgets::style::signal;

fn cell(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>) -> egui::Response {
    ui.add(egui::Label::new(text).selectable(false))
}

/// One row's cells; `now` is the frame's, so every row's "how long ago" counts from it.
pub(super) fn cells(
    row: &mut egui_extras::TableRow<'_, '_>,
    device: &Device,
    weak: egui::Color32,
    now: DateTime<Utc>,
) {
    let text_or_dash = |value: Option<&str>| match value {
        Some(v) if !v.is_empty() => RichText::new(v),
        _ => RichText::new("—").color(weak),
    };
    row.col(|ui| {
        cell(ui, RichText::new(device.mac.macd()).monospace());
    });
    row.col(|ui| {
        let id = device.mac_id.as_ref().map(ToString::to_string);
        cell(ui, text_or_dash(id.as_deref()).monospace());
    });
    row.col(|ui| {
        cell(ui, text_or_dash(device.model.as_deref()));
    });
    row.col(|ui| {
        cell(ui, text_or_dash(device.site.as_deref()));
    });
    row.col(|ui| {
        let own = device.provider.is_some();
        let text = text_or_dash(device.effective_provider());
        let response = cell(ui, if own { text } else { text.italics() });
        if !own && device.effective_provider().is_some() {
            response.on_hover_text("Inherited from the site");
        }
    });
    row.col(|ui| {
        redirect_badge(ui, device.redirect.status.as_deref());
    });
    row.col(|ui| {
        fetch_badge(ui, device, now);
    });
    row.col(|ui| {
        let when = device.seen.at.as_deref().map(|at| ago(at, now));
        let response = cell(ui, text_or_dash(when.as_deref()));
        if let Some(at) = device.seen.at.as_deref() {
            let verdict = device.seen.verdict.as_deref().unwrap_or("—");
            response.on_hover_text(format!(
                "Last asked provdesk serve at {}; it answered: {verdict}",
                utc(at)
            ));
        }
    });
    row.col(|ui| {
        cell(ui, text_or_dash(device.seen.firmware.as_deref()));
    });
    row.col(|ui| {
        let response = cell(ui, text_or_dash(device.sip_test.status.as_deref()));
        if let Some(diagnosis) = device.sip_test.diagnosis.as_deref() {
            response.on_hover_text(printable(diagnosis, 200));
        }
    });
}

/// A dot and a word in one colour.
fn badge(ui: &mut egui::Ui, text: &str, color: egui::Color32) -> egui::Response {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
    ui.painter().circle_filled(rect.center(), 4.0, color);
    cell(ui, RichText::new(text).color(color))
}

fn dash(ui: &mut egui::Ui) {
    cell(ui, RichText::new("—").color(ui.visuals().weak_text_color()));
}

fn redirect_badge(ui: &mut egui::Ui, status: Option<&str>) {
    let colors = signal(ui.visuals());
    let (text, color) = match status {
        None | Some("") => return dash(ui),
        Some("registered") => ("registered", colors.ok),
        Some("not_registered") => ("not registered", colors.warning),
        Some(other) if other.contains("error") => (other, colors.error),
        Some(other) => (other, colors.warning),
    };
    badge(ui, text, color);
}

/// The last test fetch: how long ago, then "ok" in green for a file served whole (2xx) or its
/// code in red (the time first, so that a narrow column cuts the code, not the time); the
/// diagnosis on hover.
fn fetch_badge(ui: &mut egui::Ui, device: &Device, now: DateTime<Utc>) {
    let (Some(status), Some(at)) = (device.fetch.status.as_deref(), device.fetch.at.as_deref())
    else {
        return dash(ui);
    };
    let colors = signal(ui.visuals());
    // A 2xx whose file broke off is recorded with its status: the code says it failed.
    let incomplete = device.fetch.diagnosis.as_deref() == Some(Code::BodyIncomplete.as_str());
    let (word, color) = if incomplete {
        ("body incomplete".to_string(), colors.error)
    } else if status.starts_with('2') {
        ("ok".to_string(), colors.ok)
    } else {
        (printable(status, 40).replace('_', " "), colors.error)
    };
    let text = format!("{} · {word}", ago(at, now));
    let mut hover = format!("Last test fetch at {}: {}", utc(at), printable(status, 40));
    if let Some(diagnosis) = device.fetch.diagnosis.as_deref().filter(|d| !d.is_empty()) {
        hover.push('\n');
        hover.push_str(&printable(diagnosis, 300));
    }
    badge(ui, &text, color).on_hover_text(hover);
}

/// How long before `now` the stored UTC time `at` was: "just now", "5 min ago", "3 h ago",
/// "2 days ago", then the date. A time that does not parse, or lies ahead (another clock),
/// is shown as stored.
fn ago(at: &str, now: DateTime<Utc>) -> String {
    let Ok(then) = DateTime::parse_from_rfc3339(at) else {
        return utc(at);
    };
    let seconds = (now - then.with_timezone(&Utc)).num_seconds();
    match seconds {
        ..0 => utc(at),
        0..60 => "just now".to_string(),
        60..3_600 => format!("{} min ago", seconds / 60),
        3_600..86_400 => format!("{} h ago", seconds / 3_600),
        86_400..1_209_600 => format!("{} ago", crate::words::count(seconds / 86_400, "day")),
        _ => at.get(..10).unwrap_or(at).to_string(),
    }
}

/// `2026-12-06T14:50:12.345Z` as `2026-12-06 14:50:12 UTC`: the milliseconds say nothing
/// here.
fn utc(at: &str) -> String {
    format!("{} UTC", at.get(..19).unwrap_or(at).replacen('T', " ", 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_how_long_ago() {
        let now = DateTime::parse_from_rfc3339("2026-12-07T15:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let cases = [
            ("2026-12-07T14:59:30Z", "just now"),
            ("2026-12-07T14:54:59.5Z", "5 min ago"),
            ("2026-12-07T12:00:00Z", "3 h ago"),
            ("2026-12-06T14:00:00Z", "1 day ago"),
            ("2026-12-01T15:00:00Z", "6 days ago"),
            ("2026-10-01T15:00:00Z", "2026-10-01"),
            ("2026-12-07T16:00:00Z", "2026-12-07 16:00:00 UTC"),
            ("yesterday", "yesterday UTC"),
        ];
        for (at, expected) in cases {
            assert_eq!(ago(at, now), expected, "{at}");
        }
    }
}
