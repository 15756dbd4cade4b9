//! What the Serve panel's actions can be for: the devices selected in the Inventory, or one
//! site's. One picker, shared by *Use for…* and the credential rollout.

use egui::RichText;

use crate::device::names_this_computer;
use crate::inventory::Site;
use crate::ui::serve::job::Chosen;
use crate::ui::widgets::dialog;
use crate::ui::widgets::style::signal;
use crate::words;

/// What the app hands the panel each frame.
pub struct ServeContext<'a> {
    pub sites: &'a [Site],
    /// The ids of the devices selected in the Inventory.
    pub selected: Vec<i64>,
}

/// A pick in the combo: the selection, or a site by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pick {
    #[default]
    Selected,
    Site(usize),
}

impl Pick {
    /// The devices picked, or `None` when there are none to act on.
    pub fn chosen(self, context: &ServeContext<'_>) -> Option<Chosen> {
        match self {
            Pick::Selected if !context.selected.is_empty() => {
                Some(Chosen::Devices(context.selected.clone()))
            }
            Pick::Selected => None,
            Pick::Site(index) => context
                .sites
                .get(index)
                .map(|site| Chosen::Site(site.name.clone())),
        }
    }

    fn text(self, context: &ServeContext<'_>) -> String {
        match self {
            Pick::Selected => match context.selected.len() {
                0 => "the devices selected in the Inventory (none yet)".to_string(),
                count => format!(
                    "the {} selected in the Inventory",
                    words::count(count, "device")
                ),
            },
            Pick::Site(index) => context.sites.get(index).map_or_else(String::new, |site| {
                format!(
                    "site {} ({})",
                    site.name,
                    words::count(site.device_count, "device")
                )
            }),
        }
    }
}

/// The combo box, labelled `label` for screen readers and tests. `only`: the one site that
/// may be picked (the server serves it alone, so the URL is no use to any other), picked.
pub fn picker(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    pick: &mut Pick,
    context: &ServeContext<'_>,
    only: Option<&str>,
) {
    if let Pick::Site(index) = *pick
        && index >= context.sites.len()
    {
        *pick = Pick::Selected;
    }
    let allowed = |index: usize| {
        only.is_none_or(|only| {
            context
                .sites
                .get(index)
                .is_some_and(|site| site.name == only)
        })
    };
    if let Some(index) = (0..context.sites.len()).find(|&index| only.is_some() && allowed(index)) {
        *pick = Pick::Site(index);
    }
    // Nothing selected: the first site is the likelier target than no devices at all.
    if *pick == Pick::Selected && context.selected.is_empty() && !context.sites.is_empty() {
        *pick = Pick::Site(0);
    }
    let label = ui.label(label);
    egui::ComboBox::from_id_salt(id)
        .selected_text(pick.text(context))
        .width(260.0)
        .show_ui(ui, |ui| {
            if only.is_none() {
                ui.selectable_value(pick, Pick::Selected, Pick::Selected.text(context));
            }
            for index in (0..context.sites.len()).filter(|&index| allowed(index)) {
                ui.selectable_value(pick, Pick::Site(index), Pick::Site(index).text(context));
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(only.map_or_else(String::new, |only| {
            format!("Only site {only} is served: the other sites' phones get 404 from this URL")
        }));
}

/// Asks before *Use this URL* replaces what the devices or the site ask now: it changes the
/// inventory, and a URL that worked is easy to lose. `Some(true)`: go ahead.
pub fn confirm_use_url(
    ui: &egui::Ui,
    chosen: &Chosen,
    pattern: &str,
    context: &ServeContext<'_>,
) -> Option<bool> {
    let button = egui::Button::new("Yes, use it");
    dialog::confirm(ui, "serve_use_url", 520.0, button, true, |ui| {
        ui.heading("Use this laptop's URL?");
        ui.label(RichText::new(pattern).monospace());
        if names_this_computer(pattern) {
            ui.label(
                RichText::new(
                    "⚠ This address is this laptop only: a phone given it asks itself. Keep it for trying the server here; for real phones, stop and listen on the local network.",
                )
                .color(signal(ui.visuals()).warning),
            );
        }
        ui.add_space(6.0);
        match chosen {
            Chosen::Devices(ids) => {
                ui.label(format!(
                    "The {} selected in the Inventory {} it as {} own provisioning URL; the \
                     URL {} now is replaced.",
                    words::count(ids.len(), "device"),
                    words::agree(ids.len(), "gets", "get"),
                    words::agree(ids.len(), "its", "their"),
                    words::agree(ids.len(), "it has", "each has")
                ));
            }
            Chosen::Site(name) => {
                let site = context.sites.iter().find(|site| &site.name == name);
                ui.label(format!(
                    "Site {name} hands it out to its devices that have no URL of their own ({} \
                     in the site).",
                    words::count(site.map_or(0, |site| site.device_count), "device")
                ));
                if let Some(old) = site.and_then(|site| site.url_pattern.as_deref()) {
                    ui.label(format!(
                        "It replaces the site's URL now: {}",
                        crate::device::mask_url_password(old)
                    ));
                }
            }
        }
        ui.label(
            RichText::new("To go back, set the old URL again in Settings or the device form.")
                .weak(),
        );
    })
}
