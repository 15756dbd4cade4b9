//! The Templates panel's right side: the variables a template may use (a click inserts one) and
//! a live preview of the template in the editor, rendered for an inventory device with its
//! passwords masked until the user reveals them.
//!
//! Masking renders a copy of the device whose passwords are a marker made of letters only, which
//! every escaping (XML attribute, `symb_item`, URL user info) leaves as it is, and then shows the
//! marker as dots. The real render runs too, so a password the model would refuse (too long)
//! shows its error even while masked; render errors never carry a secret.

use egui::RichText;

use crate::device::{ConfigFormat, Device};
use crate::secret::Secret;
use crate::templates::{Located, Refused, RenderSettings, Template, VARIABLES, default_for};
use crate::ui::templates::editor;
use crate::ui::templates::events::TemplatesEvent;
use crate::ui::widgets::answers::Found;
use crate::ui::widgets::device_picker::DevicePicker;
use crate::ui::widgets::fields::cut_with_own_hover;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;

/// Stands in for every password in a masked preview.
const MARKER: &str = "PROVDESKMASKEDSECRET";
/// What the user sees where a password is.
pub const MASK: &str = "••••••";

/// The preview's device and what it showed last.
pub struct Preview {
    device: Option<Box<Device>>,
    picker: DevicePicker,
    reveal: bool,
    /// Long lines wrap at the pane's edge instead of scrolling sideways: a value cut at the
    /// edge was read as the whole value.
    wrap: bool,
    /// (template text, reveal) the cached result was rendered for; `None` while nothing
    /// is rendered (no device, an invalid template, a device of another format).
    rendered_for: Option<(String, bool)>,
    result: Result<Shown, Refusal>,
}

/// Why the preview device's file cannot be rendered: the message, and its problems at the
/// template's lines for the editor's list.
#[derive(Debug, Default)]
struct Refusal {
    message: String,
    in_template: Vec<Located>,
}

/// A rendered preview: the file name, the (masked) text, and the render's notes.
struct Shown {
    file_name: String,
    text: String,
    notes: Vec<String>,
}

impl Default for Preview {
    fn default() -> Self {
        Self {
            device: None,
            picker: DevicePicker::new("template preview picker", |found| {
                TemplatesEvent::Found(found).into()
            }),
            reveal: false,
            wrap: false,
            rendered_for: None,
            result: Err(Refusal::default()),
        }
    }
}

impl Preview {
    pub fn device(&self) -> Option<&Device> {
        self.device.as_deref()
    }

    /// The picker's matches for the query it sent last.
    pub fn found(&mut self, found: Found) {
        self.picker.found(found);
    }

    /// Asks for devices matching the search (also when the panel is first shown).
    pub fn search(&mut self, worker: &Worker) {
        self.picker.search(worker);
    }

    fn choose(&mut self, device: Device) {
        self.device = Some(Box::new(device));
        self.reveal = false;
        self.rendered_for = None;
    }

    /// Renders the preview device's file from `template` when the text (or the reveal) changed:
    /// every frame, also while the pane is hidden, since the editor's problem list says when
    /// this file would be refused.
    pub fn refresh(&mut self, format: ConfigFormat, template: Option<&Template>) {
        let (Some(device), Some(template)) = (self.device.as_deref(), template) else {
            self.rendered_for = None;
            return;
        };
        if device
            .model_spec()
            .is_some_and(|m| m.config_format != format)
        {
            self.rendered_for = None;
            return;
        }
        let key = (template.source().to_string(), self.reveal);
        if self.rendered_for.as_ref() != Some(&key) {
            self.result = render_preview(template, device, self.reveal);
            self.rendered_for = Some(key);
        }
    }

    /// The preview device's MAC and the problems, at template lines, that keep its file from
    /// being rendered; `None` while it renders or nothing is previewed.
    pub fn refused(&self) -> Option<(String, &[Located])> {
        let device = self.device.as_deref()?;
        self.rendered_for.as_ref()?;
        match &self.result {
            Err(refusal) => Some((device.mac.macd(), &refusal.in_template)),
            Ok(_) => None,
        }
    }

    /// The preview section for `template` (`None` while the editor's text is invalid), as
    /// [`Preview::refresh`] rendered it.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        worker: &Worker,
        format: ConfigFormat,
        template: Option<&Template>,
    ) {
        self.header(ui);
        self.picker(ui, worker);
        // A new device or a click on Reveal shows at once, not a frame later.
        self.refresh(format, template);
        let Some(device) = self.device.as_deref() else {
            return;
        };
        if template.is_none() {
            ui.label(
                RichText::new("Fix the template's problems to see the preview.")
                    .color(signal(ui.visuals()).warning),
            );
            return;
        }
        if let Some(model) = device.model_spec()
            && model.config_format != format
        {
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "The {} reads the {} template, not this one: pick a device of a model listed on the left.",
                        model.name,
                        default_for(model.config_format).name
                    ))
                    .color(signal(ui.visuals()).warning),
                )
                .wrap(),
            );
            return;
        }
        if self.rendered_for.is_none() {
            return;
        }
        match &self.result {
            Ok(shown) => show_file(ui, shown, self.wrap),
            Err(refusal) => {
                ui.add(
                    egui::Label::new(
                        RichText::new(&refusal.message).color(signal(ui.visuals()).error),
                    )
                    .wrap(),
                );
            }
        }
    }

    /// "Preview", and for a device: Wrap lines and Reveal / Hide passwords.
    fn header(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Preview").strong());
            if self.device.is_some() {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let (text, hover) = if self.reveal {
                        ("Hide passwords", "Mask the passwords again")
                    } else {
                        ("Reveal", "Show the device's passwords in the preview")
                    };
                    if ui.small_button(text).on_hover_text(hover).clicked() {
                        self.reveal = !self.reveal;
                    }
                    ui.checkbox(&mut self.wrap, "Wrap lines").on_hover_text(
                        "Wrap long lines at the pane's edge instead of scrolling sideways",
                    );
                });
            }
        });
    }

    fn picker(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        if let Some(device) = &self.device {
            let mut change = false;
            ui.horizontal(|ui| {
                ui.label("For");
                ui.label(RichText::new(device.mac.macd()).monospace().strong());
                if let Some(model) = &device.model {
                    ui.label(RichText::new(model).weak());
                }
                change = ui
                    .small_button("Change")
                    .on_hover_text("Preview for another device")
                    .clicked();
            });
            if change {
                self.device = None;
                self.search(worker);
            }
            return;
        }
        let picked = self.picker.ui(
            ui,
            worker,
            "Preview device",
            "Preview the template for this device",
            "No device matches; add devices in the Inventory.",
        );
        if let Some(device) = picked {
            self.choose(device);
        }
    }
}

/// The rendered file: its name, its notes and its text, wrapped at the pane's edge when `wrap`.
fn show_file(ui: &mut egui::Ui, shown: &Shown, wrap: bool) {
    ui.label(RichText::new(&shown.file_name).monospace().small().weak())
        .on_hover_text("The file name the device asks for");
    for note in &shown.notes {
        ui.add(
            egui::Label::new(
                RichText::new(format!("Note: {note}"))
                    .small()
                    .color(signal(ui.visuals()).info),
            )
            .wrap(),
        );
    }
    let job = editor::highlight(
        &shown.text,
        ui.visuals(),
        egui::TextStyle::Monospace.resolve(ui.style()),
        &Default::default(),
    );
    let scroll = if wrap {
        egui::ScrollArea::vertical()
    } else {
        egui::ScrollArea::both()
    };
    scroll
        .id_salt("template_preview_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let label = egui::Label::new(job);
            ui.add(if wrap { label.wrap() } else { label.extend() });
        });
}

/// The rendered file's name, text and notes: masked unless `reveal`, or why it cannot be
/// rendered.
fn render_preview(template: &Template, device: &Device, reveal: bool) -> Result<Shown, Refusal> {
    let settings = RenderSettings::default();
    let refusal = |refused: Refused| Refusal {
        message: refused.error.to_string(),
        in_template: refused.in_template,
    };
    let real = template.render_placed(device, &settings).map_err(refusal)?;
    let text = if reveal {
        file_text(real.bytes(), template)
    } else {
        let masked = template
            .render_placed(&masked_copy(device), &settings)
            .map_err(refusal)?;
        file_text(masked.bytes(), template).replace(MARKER, MASK)
    };
    Ok(Shown {
        file_name: real.file_name,
        text,
        notes: real.notes,
    })
}

/// The device with every password it has replaced by the marker.
fn masked_copy(device: &Device) -> Device {
    let mut copy = device.clone();
    let mask = |secret: &mut Option<Secret>| {
        if secret.is_some() {
            *secret = Some(Secret::new(MARKER));
        }
    };
    mask(&mut copy.digest_password);
    mask(&mut copy.mac_password);
    mask(&mut copy.site_defaults.digest_password);
    for account in &mut copy.sip_accounts {
        mask(&mut account.password);
    }
    copy
}

/// The file's bytes as text, in the encoding its format is written in.
fn file_text(bytes: &[u8], template: &Template) -> String {
    template.format().spec().encoding.decode(bytes)
}

/// The variables sidebar. Returns the name of the variable the user clicked, to insert.
pub fn variables(ui: &mut egui::Ui) -> Option<&'static str> {
    let mut clicked = None;
    ui.label(RichText::new("Variables").strong());
    ui.label(
        RichText::new("Click one to insert it at the cursor.")
            .small()
            .weak(),
    );
    egui::ScrollArea::vertical()
        .id_salt("template_variables_scroll")
        .max_height(ui.available_height() * 0.42)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for spec in VARIABLES {
                ui.horizontal(|ui| {
                    let text = RichText::new(format!("{{{{{}}}}}", spec.name)).monospace();
                    if ui
                        .small_button(text)
                        .on_hover_text(format!("e.g. {}", spec.example))
                        .clicked()
                    {
                        clicked = Some(spec.name);
                    }
                    let mut description = spec.description.to_string();
                    if spec.secret {
                        description.push_str(" (masked in the preview)");
                    }
                    ui.add(cut_with_own_hover(RichText::new(&description).small()))
                        .on_hover_text(description);
                });
            }
        });
    clicked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::Mac;
    use crate::templates::find_default;

    fn device() -> Device {
        Device {
            mac_password: Some(Secret::new("2EE3EECC82C4")),
            model: Some("N720".into()),
            url: Some("https://prov.example.com/cfg/%MACD.xml".into()),
            digest_username: Some("provision".into()),
            digest_password: Some(Secret::new("s3cr&t<pw>")),
            ..Device::bare(1, Mac::parse("7C2F80820EC0").unwrap())
        }
    }

    #[test]
    fn the_preview_masks_every_escaped_password_until_revealed() {
        let default = find_default("provider-frame").unwrap();
        let template = Template::parse(
            default.name,
            default.format,
            &default
                .text
                .replace(
                    "{{credentials}}",
                    "{{credentials}}\n<S_URL class=\"string\" value=\"{{prov_base_auth}} {{digest_password}}\"/>",
                ),
            None,
        )
        .unwrap();
        let shown = render_preview(&template, &device(), false).unwrap();
        let masked = shown.text;
        assert_eq!(shown.file_name, "7C2F80820EC0.xml");
        assert!(!masked.contains("s3cr"), "{masked}");
        assert_eq!(masked.matches(MASK).count(), 3, "{masked}");
        let revealed = render_preview(&template, &device(), true).unwrap().text;
        assert!(revealed.contains("s3cr&amp;t&lt;pw&gt;"), "{revealed}");
        assert!(revealed.contains("s3cr%26t%3Cpw%3E@"), "{revealed}");
    }
}
