//! The GUI face (eframe/egui). Panels hand the worker jobs that answer with the panel's own
//! events; the app routes those back by variant.

pub mod app;
mod chrome;
pub mod event;
pub mod fetch;
mod handoff;
pub mod import;
pub mod inventory;
mod quit;
pub mod redirect;
mod remember;
mod section;
pub mod serve;
pub mod settings;
pub mod sip;
mod startup;
pub mod templates;
mod widgets;
pub mod worker;

use std::path::PathBuf;

pub use app::ProvdeskApp;
pub use section::Section;

use crate::inventory::APP_ID;

/// Opens the main window on the inventory at `db_path`.
pub fn run(db_path: PathBuf) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("provdesk")
        .with_app_id(APP_ID)
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([900.0, 560.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon-256.png"))
    {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "provdesk",
        options,
        Box::new(move |cc| Ok(Box::new(ProvdeskApp::new(cc, db_path)?.timed_from(started)))),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}
