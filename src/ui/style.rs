//! The look: a calm dark theme with slightly larger text than egui's default, since installers
//! read MACs off this screen at arm's length on a laptop.

pub fn apply(ctx: &egui::Context) {
    ctx.set_theme(egui::ThemePreference::Dark);
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
}

/// Colours that say how something went: green, red, amber, blue. Darker on the light theme,
/// where the dark theme's tones are too pale to read as text.
#[derive(Debug, Clone, Copy)]
pub struct Signal {
    pub ok: egui::Color32,
    pub error: egui::Color32,
    pub warning: egui::Color32,
    pub info: egui::Color32,
}

pub fn signal(visuals: &egui::Visuals) -> Signal {
    use egui::Color32;
    if visuals.dark_mode {
        Signal {
            ok: Color32::from_rgb(0x4C, 0xB8, 0x6A),
            error: Color32::from_rgb(0xE8, 0x5F, 0x5F),
            warning: Color32::from_rgb(0xE0, 0xA4, 0x38),
            info: Color32::from_rgb(0x5A, 0xA6, 0xF0),
        }
    } else {
        Signal {
            ok: Color32::from_rgb(0x1E, 0x7B, 0x3A),
            error: Color32::from_rgb(0xB3, 0x26, 0x1E),
            warning: Color32::from_rgb(0x94, 0x5E, 0x00),
            info: Color32::from_rgb(0x1F, 0x5F, 0xAD),
        }
    }
}
