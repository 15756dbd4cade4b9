//! Helpers the integration tests share: real servers, the simulator, the app under egui_kittest,
//! label photos, sample devices and a site.

pub mod cli;
pub mod gui;
pub mod hostile;
pub mod labels;
pub mod rollout;
pub mod servers;
pub mod sim;
pub mod sites;
pub mod template_panel;
pub mod templates;
