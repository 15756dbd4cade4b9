//! provdesk: a desktop provisioning manager for Gigaset DECT/IP phones.
//!
//! The library is the core (device model, inventory) plus two faces over it: the GUI in [`ui`]
//! and the CLI in [`cli`]. The core modules never import a face.

pub mod cli;
pub mod device;
pub mod digest;
pub mod fetch;
pub mod inventory;
pub mod labels;
pub mod redirect;
pub mod secret;
pub mod sim;
pub mod templates;
pub mod ui;
