//! The design tokens: every colour and size a panel uses, with a value for the light and the
//! dark theme, and slightly larger text than egui's default, since installers read MACs off
//! this screen at arm's length on a laptop.

use egui::Color32;
use serde::{Deserialize, Serialize};

/// The look the user chose in Settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Theme {
    /// Follow the desktop's light or dark setting.
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    pub fn title(self) -> &'static str {
        match self {
            Theme::System => "Follow the system",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    fn preference(self) -> egui::ThemePreference {
        match self {
            Theme::System => egui::ThemePreference::System,
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// Sizes shared by every panel.
pub mod size {
    /// The left navigation's width.
    pub const NAVIGATION: f32 = 170.0;
    /// A table row.
    pub const ROW: f32 = 24.0;
    /// The status bar's height.
    pub const STATUS_BAR: f32 = 26.0;
    /// The text over a window while files are dragged over it.
    pub const DROP_TEXT: f32 = 24.0;
}

/// Sets the theme the user chose.
pub fn set_theme(ctx: &egui::Context, theme: Theme) {
    ctx.set_theme(theme.preference());
}

/// Sets the text sizes and spacing for both themes, and the theme.
pub fn apply(ctx: &egui::Context, theme: Theme) {
    set_theme(ctx, theme);
    ctx.all_styles_mut(|style| {
        use egui::{FontFamily, FontId, TextStyle};
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(20.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(14.0, FontFamily::Proportional)),
            (
                TextStyle::Monospace,
                FontId::new(13.5, FontFamily::Monospace),
            ),
            (
                TextStyle::Button,
                FontId::new(14.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(11.5, FontFamily::Proportional),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
    });
    ctx.style_mut_of(egui::Theme::Light, |style| {
        outline_light_widgets(&mut style.visuals);
        readable_text(&mut style.visuals);
    });
    ctx.style_mut_of(egui::Theme::Dark, |style| readable_text(&mut style.visuals));
}

/// Hints, captions and timings in egui's weak text colour measured 2.7:1 against the dark
/// panel and 2.9:1 against the light one: too faint to read in a lit room. These greys keep
/// weak text below body text and at least 4.5:1 (WCAG AA) on the panel and inside a verdict's
/// tinted banner, where a finding's code stands; the dark theme's body text is lifted so that
/// both fit. egui's light link blue read 2.8:1 on the panel, so links take the info blue.
fn readable_text(visuals: &mut egui::Visuals) {
    let (body, weak) = if visuals.dark_mode {
        (Color32::from_gray(180), Color32::from_gray(150))
    } else {
        (Color32::from_gray(60), Color32::from_gray(96))
    };
    visuals.widgets.noninteractive.fg_stroke.color = body;
    visuals.weak_text_color = Some(weak);
    if !visuals.dark_mode {
        visuals.hyperlink_color = signal(visuals).info;
    }
}

/// egui's light theme draws a text field white on the near-white panel with no border, and an
/// unchecked box barely darker than the panel: on a laptop in daylight neither can be seen.
/// A grey outline on every widget at rest makes fields, boxes and buttons findable.
fn outline_light_widgets(visuals: &mut egui::Visuals) {
    let outline = egui::Stroke::new(1.0, egui::Color32::from_gray(150));
    visuals.widgets.inactive.bg_stroke = outline;
    visuals.widgets.inactive.bg_fill = egui::Color32::from_gray(238);
}

/// Colours that say how something went: green, red, amber, blue. Darker on the light theme,
/// where the dark theme's tones are too pale to read as text. `danger` fills a button that
/// destroys something, with `on_danger` text on it.
#[derive(Debug, Clone, Copy)]
pub struct Signal {
    pub ok: egui::Color32,
    pub error: egui::Color32,
    pub warning: egui::Color32,
    pub info: egui::Color32,
    pub danger: egui::Color32,
    pub on_danger: egui::Color32,
    /// Dims the window under a message that covers it (dropping files).
    pub scrim: egui::Color32,
    pub on_scrim: egui::Color32,
}

/// How much of a signal colour tints the background of a finding's banner (see
/// [`crate::ui::widgets::finding`]), under an icon in the full colour.
pub const BANNER_TINT: f32 = 0.14;

pub fn signal(visuals: &egui::Visuals) -> Signal {
    if visuals.dark_mode {
        Signal {
            ok: Color32::from_rgb(0x4C, 0xB8, 0x6A),
            // 0xE85F5F read 4.3:1 in its own banner.
            error: Color32::from_rgb(0xF0, 0x70, 0x70),
            warning: Color32::from_rgb(0xE0, 0xA4, 0x38),
            info: Color32::from_rgb(0x5A, 0xA6, 0xF0),
            danger: Color32::from_rgb(0xB0, 0x2A, 0x2A),
            on_danger: Color32::WHITE,
            scrim: Color32::from_black_alpha(180),
            on_scrim: Color32::WHITE,
        }
    } else {
        Signal {
            // 0x1E7B3A read 5.0:1 on the panel and 4.1:1 in its own banner; this one reads
            // as strongly as the red and the amber (6.2:1 on the panel, 5.0:1 in the banner).
            ok: Color32::from_rgb(0x17, 0x6B, 0x31),
            error: Color32::from_rgb(0xB3, 0x26, 0x1E),
            // 0x945E00 read 5.1:1 on the panel and 4.2:1 in its own banner, and looked the
            // faintest text of the theme; this one reads as strongly as the red (6.2:1 on the
            // panel, 5.0:1 in the banner).
            warning: Color32::from_rgb(0x85, 0x52, 0x00),
            info: Color32::from_rgb(0x1F, 0x5F, 0xAD),
            danger: Color32::from_rgb(0xB3, 0x26, 0x1E),
            on_danger: Color32::WHITE,
            scrim: Color32::from_white_alpha(200),
            on_scrim: Color32::from_rgb(0x10, 0x10, 0x10),
        }
    }
}

/// The template editor's highlighting, readable on both themes: the dark theme's tones are
/// too pale on white. Every colour keeps 4.5:1 on the editor and on a problem line's red
/// tint, which is faint for that reason (the gutter's red number marks the line as well).
pub struct Syntax {
    pub text: Color32,
    pub markup: Color32,
    pub tag: Color32,
    pub attribute: Color32,
    pub value: Color32,
    pub comment: Color32,
    pub variable: Color32,
    pub problem_line: Color32,
}

pub fn syntax(visuals: &egui::Visuals) -> Syntax {
    let error = signal(visuals).error;
    if visuals.dark_mode {
        Syntax {
            text: visuals.text_color(),
            markup: Color32::from_gray(150),
            tag: Color32::from_rgb(0x5A, 0xA6, 0xF0),
            attribute: Color32::from_rgb(0xE0, 0xA4, 0x38),
            value: Color32::from_rgb(0x7C, 0xC4, 0x7E),
            comment: Color32::from_gray(140),
            variable: Color32::from_rgb(0xE0, 0x86, 0xF0),
            problem_line: error.gamma_multiply(0.18),
        }
    } else {
        Syntax {
            text: visuals.text_color(),
            markup: Color32::from_gray(88),
            tag: Color32::from_rgb(0x1F, 0x5F, 0xAD),
            attribute: signal(visuals).warning,
            value: signal(visuals).ok,
            comment: Color32::from_gray(96),
            variable: Color32::from_rgb(0x8B, 0x2B, 0xA8),
            problem_line: error.gamma_multiply(0.14),
        }
    }
}

/// A line diff's colours (Compare in the Templates panel): the sign in the signal's green or
/// red, the line on a tint of it that keeps body text readable on both themes.
#[derive(Debug, Clone, Copy)]
pub struct DiffColors {
    pub added: Color32,
    pub removed: Color32,
    pub added_line: Color32,
    pub removed_line: Color32,
    /// The line numbers and the hunk headers.
    pub margin: Color32,
}

pub fn diff(visuals: &egui::Visuals) -> DiffColors {
    let colors = signal(visuals);
    // A stronger tint on the dark theme, where a faint one vanishes into the panel.
    let tint = if visuals.dark_mode { 0.28 } else { 0.16 };
    DiffColors {
        added: colors.ok,
        removed: colors.error,
        added_line: colors.ok.gamma_multiply(tint),
        removed_line: colors.error.gamma_multiply(tint),
        margin: visuals.weak_text_color(),
    }
}

#[cfg(test)]
mod tests;
