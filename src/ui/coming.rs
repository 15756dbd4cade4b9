//! Panels whose issue has not landed yet say what they will do, so the navigation is honest.

use egui::RichText;

use super::app::Section;

fn plan(section: Section) -> (&'static str, &'static [&'static str]) {
    match section {
        Section::Redirect => (
            "Gigaset redirect server",
            &[
                "Register, check and deregister devices at prov.gigaset.net",
                "A sync plan that shows what will change before it changes",
                "MAC passwords kept in the inventory for the test fetch",
            ],
        ),
        Section::Inventory
        | Section::Import
        | Section::Templates
        | Section::Fetch
        | Section::Settings => ("", &[]),
    }
}

pub fn ui(ui: &mut egui::Ui, section: Section) {
    let (title, items) = plan(section);
    ui.add_space(24.0);
    ui.heading(title);
    ui.label(RichText::new("Coming in a later release. It will offer:").weak());
    ui.add_space(8.0);
    for item in items {
        ui.label(format!("•  {item}"));
    }
}
