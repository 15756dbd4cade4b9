//! The window's sections, as the navigation lists them, with their icons and shortcuts.

use serde::{Deserialize, Serialize};

/// The sections of the left navigation, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Section {
    #[default]
    Inventory,
    Import,
    Templates,
    Redirect,
    Fetch,
    Serve,
    Settings,
    /// Last, so the sections before keep their Ctrl+digit.
    Sip,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Inventory,
        Section::Import,
        Section::Templates,
        Section::Redirect,
        Section::Fetch,
        Section::Serve,
        Section::Settings,
        Section::Sip,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Inventory => "Inventory",
            Section::Import => "Import",
            Section::Templates => "Templates",
            Section::Redirect => "Redirect",
            Section::Fetch => "Test fetch",
            Section::Serve => "Serve",
            Section::Settings => "Settings",
            Section::Sip => "SIP test",
        }
    }

    pub fn icon(self) -> &'static str {
        match self {
            Section::Inventory => "📋",
            Section::Import => "📥",
            Section::Templates => "📄",
            Section::Redirect => "🔀",
            Section::Fetch => "🔍",
            Section::Serve => "📡",
            Section::Settings => "⚙",
            Section::Sip => "📞",
        }
    }

    pub fn shortcut_key(self) -> egui::Key {
        match self {
            Section::Inventory => egui::Key::Num1,
            Section::Import => egui::Key::Num2,
            Section::Templates => egui::Key::Num3,
            Section::Redirect => egui::Key::Num4,
            Section::Fetch => egui::Key::Num5,
            Section::Serve => egui::Key::Num6,
            Section::Settings => egui::Key::Num7,
            Section::Sip => egui::Key::Num8,
        }
    }
}
