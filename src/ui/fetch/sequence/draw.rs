//! How the sequence is painted: the lane headers and lifelines, each arrow with its two labels
//! and its selection tint, and the ring with the seconds waited while an answer is awaited. Geometry and colours for
//! one frame live in [`Canvas`], so a row is drawn from the same numbers as its neighbours.

use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{Color32, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2, pos2, vec2};

use super::{HEADER_HEIGHT, Lanes, Part, ROW_HEIGHT, is_cut, is_stale, millis, status_color};
use crate::fetch::Step;
use crate::ui::widgets::style::{Signal, signal};

const ARROW_HEAD: f32 = 9.0;

/// One frame's painter, colours and lane positions.
pub(super) struct Canvas {
    painter: egui::Painter,
    visuals: egui::Visuals,
    colors: Signal,
    text: Color32,
    weak: Color32,
    device_x: f32,
    server_x: f32,
    label_width: f32,
}

impl Canvas {
    /// Draws the lane headers and their lifelines over `rect`.
    pub(super) fn new(ui: &mut egui::Ui, rect: Rect, lanes: &Lanes<'_>) -> Self {
        let painter = ui.painter_at(rect);
        let visuals = ui.visuals().clone();
        let colors = signal(&visuals);
        let text = visuals.text_color();
        let weak = visuals.weak_text_color();

        let device_box = lane_header(ui, rect, "Device", lanes.device, true);
        let server_box = lane_header(ui, rect, "Server", lanes.server, false);
        let device_x = device_box.center().x;
        let server_x = server_box.center().x;
        let lifeline = Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color);
        for x in [device_x, server_x] {
            dashed_vertical(
                &painter,
                x,
                rect.top() + HEADER_HEIGHT,
                rect.bottom(),
                lifeline,
            );
        }
        Self {
            painter,
            visuals,
            colors,
            text,
            weak,
            device_x,
            server_x,
            label_width: (server_x - device_x - 24.0).max(60.0),
        }
    }

    /// A tint and an outline, not a solid fill: the arrow keeps its status colour.
    pub(super) fn highlight(&self, row_rect: Rect, response: &egui::Response, is_selected: bool) {
        let (painter, visuals) = (&self.painter, &self.visuals);
        if is_selected {
            painter.rect(
                row_rect.shrink(1.0),
                4.0,
                visuals.selection.bg_fill.gamma_multiply(0.3),
                Stroke::new(1.0, visuals.selection.bg_fill),
                StrokeKind::Inside,
            );
        } else if response.hovered() {
            painter.rect_filled(
                row_rect.shrink(1.0),
                4.0,
                visuals.widgets.hovered.weak_bg_fill,
            );
        }
        if response.has_focus() {
            painter.rect_stroke(
                row_rect.shrink(1.0),
                4.0,
                visuals.selection.stroke,
                StrokeKind::Inside,
            );
        }
    }

    /// The arrow (or the cross of a transport error) across the row, with its labels.
    pub(super) fn arrow(&self, row_rect: Rect, step: &Step, part: Part, is_selected: bool) {
        let (painter, device_x, server_x) = (&self.painter, self.device_x, self.server_x);
        let line_y = row_rect.top() + ROW_HEIGHT * 0.5;
        let (color, above, below) = arrow_look(step, part, &self.colors, self.text, self.weak);
        let stroke_width = if is_selected { 2.5 } else { 1.6 };
        let above = painter.layout_job(single_line(above, self.label_width));
        let below = painter.layout_job(single_line(below, self.label_width));
        // Requests read from the device's side, responses from the server's.
        let (left_aligned, x) = match (part, &step.error) {
            (Part::Response, Some(_)) => {
                cross(painter, pos2(server_x, line_y), color);
                (false, server_x - 16.0)
            }
            (Part::Request, _) => {
                arrow_line(
                    painter,
                    device_x,
                    server_x,
                    line_y,
                    Stroke::new(stroke_width, color),
                );
                (true, device_x + 10.0)
            }
            (Part::Response, None) => {
                arrow_line(
                    painter,
                    server_x,
                    device_x,
                    line_y,
                    Stroke::new(stroke_width, color),
                );
                (false, server_x - 10.0)
            }
        };
        let place = |width: f32| if left_aligned { x } else { x - width };
        painter.galley(
            pos2(place(above.size().x), line_y - above.size().y - 3.0),
            above,
            color,
        );
        painter.galley(pos2(place(below.size().x), line_y + 4.0), below, self.weak);
    }

    /// A ring on the server's lane at `y` with the seconds waited so far. Repainted when the
    /// next whole second is due, not every frame: a fetch may wait a minute or more.
    pub(super) fn waiting(&self, ui: &mut egui::Ui, row_rect: Rect, y: f32, elapsed: f64) {
        let center = pos2(self.server_x, y);
        let seconds = elapsed.max(0.0).floor();
        // The ring grows and shrinks with each second, so a waiting run still looks alive.
        let radius = if (seconds as u64).is_multiple_of(2) {
            4.0
        } else {
            6.5
        };
        self.painter
            .circle_stroke(center, radius, Stroke::new(1.5, self.colors.info));
        let text = format!("waiting for the answer… {seconds} s");
        self.painter.text(
            center - vec2(14.0, 0.0),
            egui::Align2::RIGHT_CENTER,
            &text,
            FontId::proportional(12.5),
            self.weak,
        );
        ui.interact(
            row_rect,
            ui.scope_id().with("fetch_waiting"),
            Sense::hover(),
        )
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
        let next_second = 1.0 - (elapsed.max(0.0) - seconds);
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(next_second.max(0.05)));
    }
}

/// A lane's title box at the top: "Device" over the model, "Server" over host:port. Also an
/// accessible label, "Device (N510 IP PRO)".
fn lane_header(ui: &mut egui::Ui, rect: Rect, title: &str, detail: &str, left: bool) -> Rect {
    let visuals = ui.visuals().clone();
    let painter = ui.painter_at(rect);
    let max_width = rect.width() * 0.42;
    let title_galley = painter.layout_no_wrap(
        title.to_string(),
        FontId::proportional(14.0),
        visuals.strong_text_color(),
    );
    let detail_galley = painter.layout_job(single_line(
        LayoutJob::simple_singleline(
            detail.to_string(),
            FontId::proportional(12.5),
            visuals.text_color(),
        ),
        max_width - 16.0,
    ));
    let box_width = title_galley.size().x.max(detail_galley.size().x) + 20.0;
    let box_size = vec2(box_width, HEADER_HEIGHT - 8.0);
    let margin = 8.0;
    let min = if left {
        pos2(rect.left() + margin, rect.top() + 2.0)
    } else {
        pos2(rect.right() - margin - box_width, rect.top() + 2.0)
    };
    let header = Rect::from_min_size(min, box_size);
    painter.rect(
        header,
        6.0,
        visuals.widgets.noninteractive.weak_bg_fill,
        visuals.widgets.noninteractive.bg_stroke,
        StrokeKind::Inside,
    );
    let title_pos = pos2(
        header.center().x - title_galley.size().x / 2.0,
        header.top() + 3.0,
    );
    let detail_pos = pos2(
        header.center().x - detail_galley.size().x / 2.0,
        header.bottom() - detail_galley.size().y - 3.0,
    );
    painter.galley(title_pos, title_galley, visuals.strong_text_color());
    painter.galley(detail_pos, detail_galley, visuals.text_color());
    let name = format!("{title} ({detail})");
    ui.interact(header, ui.scope_id().with(("lane", left)), Sense::hover())
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &name));
    header
}

/// An arrow's colour and its two labels: above the line the request line or the status,
/// below it the rung or the timing, after "body cut" where the body did not arrive whole.
fn arrow_look(
    step: &Step,
    part: Part,
    colors: &Signal,
    text: Color32,
    weak: Color32,
) -> (Color32, LayoutJob, LayoutJob) {
    let number = step.request.step + 1;
    let mut above = LayoutJob::default();
    let quiet = TextFormat::simple(FontId::proportional(12.0), weak);
    let below = |line: String| LayoutJob::single_section(line, quiet.clone());
    match part {
        Part::Request => {
            above.append(&format!("{number}  "), 0.0, quiet.clone());
            above.append(
                &format!("{} {}", step.request.method, step.request.target),
                0.0,
                TextFormat::simple(FontId::monospace(12.5), text),
            );
            (
                text,
                above,
                below(step.request.attempt.describe().to_string()),
            )
        }
        Part::Response => {
            let color = status_color(step, colors);
            let status = TextFormat::simple(FontId::proportional(13.5), color);
            match (&step.response, &step.error) {
                (Some(response), _) => {
                    let stale = if is_stale(step) {
                        " · stale nonce"
                    } else {
                        ""
                    };
                    above.append(
                        &format!("{} {}{stale}", response.status, response.reason),
                        0.0,
                        status,
                    );
                    let timing =
                        format!("{} · {} bytes", millis(response.total), response.body_size);
                    if !is_cut(step) {
                        return (color, above, below(timing));
                    }
                    let mut under = LayoutJob::default();
                    let cut = TextFormat::simple(FontId::proportional(12.0), color);
                    under.append("body cut", 0.0, cut);
                    under.append(&format!(" · {timing}"), 0.0, quiet.clone());
                    (color, above, under)
                }
                (None, Some((kind, message))) => {
                    above.append(&format!("✖ {message}"), 0.0, status);
                    (
                        color,
                        above,
                        below(format!("no response: {}", kind.words())),
                    )
                }
                (None, None) => (color, above, below(String::new())),
            }
        }
    }
}

/// One line, cut with "…" at `width`.
fn single_line(mut job: LayoutJob, width: f32) -> LayoutJob {
    job.wrap = TextWrapping::truncate_at_width(width.max(20.0));
    job
}

fn arrow_line(painter: &egui::Painter, from_x: f32, to_x: f32, y: f32, stroke: Stroke) {
    let direction = (to_x - from_x).signum();
    let tip = pos2(to_x - direction * 2.0, y);
    let base = tip.x - direction * ARROW_HEAD;
    painter.line_segment([pos2(from_x + direction * 2.0, y), pos2(base, y)], stroke);
    painter.add(egui::Shape::convex_polygon(
        vec![
            tip,
            pos2(base, y - ARROW_HEAD * 0.5),
            pos2(base, y + ARROW_HEAD * 0.5),
        ],
        stroke.color,
        Stroke::NONE,
    ));
}

fn cross(painter: &egui::Painter, center: Pos2, color: Color32) {
    let d = Vec2::splat(7.0);
    let stroke = Stroke::new(3.0, color);
    painter.line_segment([center - d, center + d], stroke);
    painter.line_segment([center + vec2(-d.x, d.y), center + vec2(d.x, -d.y)], stroke);
}

fn dashed_vertical(painter: &egui::Painter, x: f32, top: f32, bottom: f32, stroke: Stroke) {
    if bottom > top {
        painter.add(egui::Shape::dashed_line(
            &[pos2(x, top), pos2(x, bottom)],
            stroke,
            5.0,
            4.0,
        ));
    }
}
