//! What comes back from the worker: each panel's own events under its own variant, so the app
//! routes by type and a failure always reaches the panel whose job failed.

use std::path::PathBuf;

use crate::ui::fetch::events::FetchEvent;
use crate::ui::import::events::ImportEvent;
use crate::ui::inventory::events::InventoryEvent;
use crate::ui::redirect::events::RedirectEvent;
use crate::ui::serve::events::ServePanelEvent;
use crate::ui::settings::events::SettingsEvent;
use crate::ui::sip::events::SipPanelEvent;
use crate::ui::templates::events::TemplatesEvent;

#[derive(Debug)]
pub enum Event {
    /// The inventory file is open.
    Opened {
        path: PathBuf,
        device_count: usize,
        /// What the open did about a file other users could read.
        file_mode_note: Option<crate::inventory::FileModeNote>,
    },
    /// The inventory cannot be used at all.
    OpenFailed(String),
    /// Another process (the CLI, a script, another window) changed the inventory: every view
    /// of it asks again. `audited` when the change was more than Serve noting the phones it
    /// saw (see [`crate::inventory::ChangedElsewhere`]).
    ChangedElsewhere {
        audited: bool,
    },
    Inventory(InventoryEvent),
    Import(ImportEvent),
    Templates(TemplatesEvent),
    Redirect(RedirectEvent),
    Fetch(FetchEvent),
    Serve(ServePanelEvent),
    Settings(SettingsEvent),
    Sip(SipPanelEvent),
}

macro_rules! panel_events {
    ($($variant:ident($event:ty)),*) => {$(
        impl From<$event> for Event {
            fn from(event: $event) -> Self {
                Event::$variant(event)
            }
        }
    )*};
}

panel_events!(
    Inventory(InventoryEvent),
    Import(ImportEvent),
    Templates(TemplatesEvent),
    Redirect(RedirectEvent),
    Fetch(FetchEvent),
    Serve(ServePanelEvent),
    Settings(SettingsEvent),
    Sip(SipPanelEvent)
);
