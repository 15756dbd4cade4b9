//! The sequence view: the device on the left, the server on the right, one arrow per request
//! and per response, drawn as the events arrive. Each arrow is also an accessible button
//! ("Request 2: GET /cfg/… with MAC / MAC password") so it can be clicked, tabbed to and found
//! by tests; Up/Down in the panel move the selection.

use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{Color32, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2, pos2, vec2};

use crate::fetch::{Step, Transcript};
use crate::ui::widgets::style::{Signal, signal};

/// Which half of a step an arrow shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Request,
    /// The response, or the transport error in its place.
    Response,
}

/// One arrow of the sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrow {
    pub step: usize,
    pub part: Part,
}

/// The arrows of a transcript, in order: every request, and every response or error so far.
pub fn arrows(transcript: &Transcript) -> Vec<Arrow> {
    transcript
        .steps
        .iter()
        .enumerate()
        .flat_map(|(step, s)| {
            let answered = s.response.is_some() || s.error.is_some();
            std::iter::once(Arrow {
                step,
                part: Part::Request,
            })
            .chain(answered.then_some(Arrow {
                step,
                part: Part::Response,
            }))
        })
        .collect()
}

const HEADER_HEIGHT: f32 = 48.0;
const ROW_HEIGHT: f32 = 52.0;
const ARROW_HEAD: f32 = 9.0;

/// What the lanes are called.
pub struct Lanes<'a> {
    pub device: &'a str,
    pub server: &'a str,
}

/// Draws the sequence; a click on an arrow selects it. `waiting`: a request is out and its
/// answer has not come, shown as a pulse on the server's lane. `reveal_selected`: scroll the
/// selected arrow into view (it was chosen by keyboard or is the newest).
pub fn show(
    ui: &mut egui::Ui,
    transcript: &Transcript,
    lanes: &Lanes<'_>,
    waiting: bool,
    selected: &mut Option<Arrow>,
    reveal_selected: bool,
) {
    let arrows = arrows(transcript);
    let rows = arrows.len() + usize::from(waiting);
    let width = ui.available_width().max(320.0);
    let height = HEADER_HEIGHT + ROW_HEIGHT * rows as f32 + 16.0;
    let (rect, _) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
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

    let label_width = (server_x - device_x - 24.0).max(60.0);
    for (row, arrow) in arrows.iter().enumerate() {
        let row_rect = Rect::from_min_size(
            pos2(
                rect.left(),
                rect.top() + HEADER_HEIGHT + ROW_HEIGHT * row as f32,
            ),
            vec2(width, ROW_HEIGHT),
        );
        let Some(step) = transcript.steps.get(arrow.step) else {
            continue;
        };
        let response = ui.interact(
            row_rect,
            ui.scope_id()
                .with(("fetch_arrow", arrow.step, arrow.part == Part::Request)),
            Sense::click(),
        );
        let is_selected = *selected == Some(*arrow);
        let name = accessible_name(step, arrow.part);
        response.widget_info(|| {
            egui::WidgetInfo::selected(egui::Role::Button, true, is_selected, &name)
        });
        // A tint and an outline, not a solid fill: the arrow keeps its status colour.
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
        let line_y = row_rect.top() + ROW_HEIGHT * 0.5;
        let (color, above, below) = arrow_look(step, arrow.part, &colors, text, weak);
        let stroke_width = if is_selected { 2.5 } else { 1.6 };
        let above = painter.layout_job(single_line(above, label_width));
        let below = painter.layout_job(single_line(below, label_width));
        // Requests read from the device's side, responses from the server's.
        let (left_aligned, x) = match (arrow.part, &step.error) {
            (Part::Response, Some(_)) => {
                cross(&painter, pos2(server_x, line_y), color);
                (false, server_x - 16.0)
            }
            (Part::Request, _) => {
                arrow_line(
                    &painter,
                    device_x,
                    server_x,
                    line_y,
                    Stroke::new(stroke_width, color),
                );
                (true, device_x + 10.0)
            }
            (Part::Response, None) => {
                arrow_line(
                    &painter,
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
        painter.galley(pos2(place(below.size().x), line_y + 4.0), below, weak);
        let response = response.on_hover_text(format!("{name}\nClick for the details"));
        if response.clicked() {
            *selected = Some(*arrow);
        }
        if response.gained_focus() {
            *selected = Some(*arrow);
        }
        if is_selected && reveal_selected {
            response.scroll_to_me(None);
        }
    }
    if waiting {
        let top = rect.top() + HEADER_HEIGHT + ROW_HEIGHT * arrows.len() as f32;
        let center = pos2(server_x, top + ROW_HEIGHT * 0.5);
        let t = ui.input(|i| i.time) as f32;
        let radius = 4.0 + 3.0 * (t * 4.0).sin().abs();
        painter.circle_stroke(center, radius, Stroke::new(1.5, colors.info));
        painter.text(
            center - vec2(14.0, 0.0),
            egui::Align2::RIGHT_CENTER,
            "waiting for the answer…",
            FontId::proportional(12.5),
            weak,
        );
        ui.ctx().request_repaint();
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

/// What a screen reader (and a test) calls an arrow.
pub fn accessible_name(step: &Step, part: Part) -> String {
    let number = step.request.step + 1;
    match part {
        Part::Request => format!(
            "Request {number}: {} {} with {}",
            step.request.method,
            step.request.target,
            step.request.attempt.describe()
        ),
        Part::Response => match (&step.response, &step.error) {
            (Some(response), _) => {
                let stale = if is_stale(step) { " (stale nonce)" } else { "" };
                format!(
                    "Response {number}: {} {}{stale}",
                    response.status, response.reason
                )
            }
            (None, Some((_, message))) => format!("Request {number} failed: {message}"),
            (None, None) => format!("Response {number}: waiting"),
        },
    }
}

/// A 401 whose chosen challenge says `stale=true`: right credentials, expired nonce.
pub fn is_stale(step: &Step) -> bool {
    step.status() == Some(401)
        && step
            .chosen_challenge()
            .and_then(|c| c.digest.as_ref())
            .is_some_and(|d| d.stale)
}

/// The colour of a response: 2xx green, 3xx blue, stale 401 amber, other errors red.
pub fn status_color(step: &Step, colors: &Signal) -> Color32 {
    match step.status() {
        Some(200..=299) => colors.ok,
        Some(300..=399) => colors.info,
        Some(401) if is_stale(step) => colors.warning,
        _ => colors.error,
    }
}

/// An arrow's colour and its two labels: above the line the request line or the status,
/// below it the rung or the timing.
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
                    (color, above, below(timing))
                }
                (None, Some((kind, message))) => {
                    above.append(&format!("✖ {message}"), 0.0, status);
                    (color, above, below(format!("no response ({kind:?})")))
                }
                (None, None) => (color, above, below(String::new())),
            }
        }
    }
}

pub fn millis(duration: std::time::Duration) -> String {
    let ms = duration.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        format!("{ms:.1} ms")
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
