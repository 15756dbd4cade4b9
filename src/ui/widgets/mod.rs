//! Pieces every panel uses: fields, the left form panel, dialogs, the device picker, the error
//! banner, a test's verdict banner, the file dialogs, opening a folder in the file manager, the
//! status line and the design tokens.

pub mod answers;
pub mod banner;
pub mod device_picker;
pub mod dialog;
pub mod fields;
pub mod file_dialog;
pub mod finding;
pub mod form_panel;
pub mod open_folder;
pub mod status;
pub mod style;
