//! The contrast of every colour the design tokens give text, measured as WCAG does.

use super::*;

/// WCAG's relative luminance of an opaque colour.
fn luminance(colour: Color32) -> f64 {
    let linear = |channel: u8| {
        let c = f64::from(channel) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(colour.r()) + 0.7152 * linear(colour.g()) + 0.0722 * linear(colour.b())
}

fn contrast(a: Color32, b: Color32) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// A premultiplied tint laid over an opaque background, as the painter blends it.
fn over(tint: Color32, background: Color32) -> Color32 {
    let keep = 1.0 - f32::from(tint.a()) / 255.0;
    let blend = |t: u8, b: u8| (f32::from(t) + f32::from(b) * keep).round().min(255.0) as u8;
    Color32::from_rgb(
        blend(tint.r(), background.r()),
        blend(tint.g(), background.g()),
        blend(tint.b(), background.b()),
    )
}

#[test]
fn diff_lines_keep_body_text_readable_and_their_signs_visible_in_both_themes() {
    let ctx = egui::Context::default();
    apply(&ctx, Theme::Dark);
    for theme in [egui::Theme::Dark, egui::Theme::Light] {
        let visuals = ctx.style_of(theme).visuals.clone();
        let colors = diff(&visuals);
        for (line, sign) in [
            (colors.added_line, colors.added),
            (colors.removed_line, colors.removed),
        ] {
            let background = over(line, visuals.window_fill);
            let text = contrast(visuals.text_color(), background);
            assert!(text >= 4.5, "{theme:?}: text on a diff line {text:.2}:1");
            let sign = contrast(sign, background);
            assert!(sign >= 3.0, "{theme:?}: sign on a diff line {sign:.2}:1");
        }
    }
}

/// Every background a coloured text stands on in `visuals`: the panel, a dialog, a
/// striped table row, the template editor (plain and on a problem line) and the banner of
/// each signal (see [`crate::ui::widgets::finding`]).
fn backgrounds(visuals: &egui::Visuals) -> Vec<(String, Color32)> {
    let panel = visuals.panel_fill;
    let editor = visuals.text_edit_bg_color();
    let mut places = vec![
        ("the panel".to_string(), panel),
        ("a dialog".to_string(), visuals.window_fill),
        (
            "a striped row".to_string(),
            over(visuals.faint_bg_color, panel),
        ),
    ];
    let colours = signal(visuals);
    for (name, colour) in [
        ("ok", colours.ok),
        ("warning", colours.warning),
        ("error", colours.error),
        ("info", colours.info),
    ] {
        let banner = over(colour.gamma_multiply(BANNER_TINT), panel);
        places.push((format!("the {name} banner"), banner));
    }
    places.push(("the template editor".to_string(), editor));
    let problem = over(syntax(visuals).problem_line, editor);
    places.push(("a problem line".to_string(), problem));
    places
}

/// Each coloured text and the places (by name, from [`backgrounds`]) it stands on: a
/// signal on the panels, dialogs, rows and its own banner; weak text there and in every
/// banner (a finding's code); the editor's colours in the editor and on a problem line.
fn coloured_texts(visuals: &egui::Visuals) -> Vec<(&'static str, Color32, Vec<String>)> {
    let common = ["the panel", "a dialog", "a striped row"].map(String::from);
    let with = |extra: &[&str]| {
        let mut places = common.to_vec();
        places.extend(extra.iter().map(|place| place.to_string()));
        places
    };
    let colours = signal(visuals);
    let code = syntax(visuals);
    let editor = ["the template editor", "a problem line"]
        .map(String::from)
        .to_vec();
    let banners = [
        "the ok banner",
        "the warning banner",
        "the error banner",
        "the info banner",
    ];
    vec![
        ("ok", colours.ok, with(&["the ok banner"])),
        ("warning", colours.warning, with(&["the warning banner"])),
        (
            "error",
            colours.error,
            with(&["the error banner", "the template editor", "a problem line"]),
        ),
        ("info", colours.info, with(&["the info banner"])),
        ("a link", visuals.hyperlink_color, with(&[])),
        ("body text", visuals.text_color(), with(&banners)),
        ("weak text", visuals.weak_text_color(), {
            let mut places = with(&banners);
            places.push("the template editor".to_string());
            places
        }),
        ("the editor's text", code.text, editor.clone()),
        ("the editor's markup", code.markup, editor.clone()),
        ("the editor's tags", code.tag, editor.clone()),
        ("the editor's attributes", code.attribute, editor.clone()),
        ("the editor's values", code.value, editor.clone()),
        ("the editor's comments", code.comment, editor.clone()),
        ("the editor's variables", code.variable, editor),
    ]
}

/// Every coloured text ("wrong password…", "⚠ Listening on this computer only", a test's
/// verdict, a hint, the template editor's highlighting) needs WCAG AA's 4.5:1 wherever it
/// stands, in both themes. The light theme's green and the editor's amber attributes fell
/// short; the dark theme's colours, which pass, stay as they were.
#[test]
fn coloured_text_is_readable_on_every_background_it_stands_on_in_both_themes() {
    let ctx = egui::Context::default();
    apply(&ctx, Theme::Dark);
    let mut failures = Vec::new();
    for theme in [egui::Theme::Dark, egui::Theme::Light] {
        let visuals = ctx.style_of(theme).visuals.clone();
        let backgrounds = backgrounds(&visuals);
        for (text, colour, places) in coloured_texts(&visuals) {
            for place in places {
                let Some((_, background)) = backgrounds.iter().find(|(name, _)| *name == place)
                else {
                    failures.push(format!("{theme:?}: no background called {place}"));
                    continue;
                };
                let ratio = contrast(colour, *background);
                if ratio < 4.5 {
                    failures.push(format!("{theme:?}: {text} on {place} {ratio:.2}:1"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "too faint:\n{}", failures.join("\n"));
    let dark = ctx.style_of(egui::Theme::Dark).visuals.clone();
    assert_eq!(signal(&dark).warning, Color32::from_rgb(0xE0, 0xA4, 0x38));
    assert_eq!(signal(&dark).ok, Color32::from_rgb(0x4C, 0xB8, 0x6A));
    let light = ctx.style_of(egui::Theme::Light).visuals.clone();
    assert_eq!(syntax(&light).attribute, signal(&light).warning);
}

#[test]
fn weak_text_is_readable_and_weaker_than_body_text_in_both_themes() {
    let ctx = egui::Context::default();
    apply(&ctx, Theme::Dark);
    for theme in [egui::Theme::Dark, egui::Theme::Light] {
        let visuals = ctx.style_of(theme).visuals.clone();
        let panel = visuals.panel_fill;
        let weak = contrast(visuals.weak_text_color(), panel);
        let body = contrast(visuals.text_color(), panel);
        assert!(weak >= 4.5, "{theme:?}: weak text {weak:.2}:1");
        assert!(
            body > weak + 1.5,
            "{theme:?}: body {body:.2}:1, weak {weak:.2}:1"
        );
    }
}
