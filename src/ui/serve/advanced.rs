//! The Serve panel's *Advanced* settings, what `provdesk serve` takes besides the address:
//! one site only (`--site`), lock-out (`--lockout`, `--lockout-seconds`), the nonce lifetime
//! (`--nonce-lifetime`) and a JSON log file (`--log-json`). Collapsed, since the defaults fit
//! most benches; kept between runs like the listen settings; applied at Start through the
//! same [`ServeConfig`] and [`crate::serve::JsonLog`] the command line uses.

use std::path::PathBuf;
use std::time::Duration;

use crate::inventory::Site;
use crate::serve::ServeConfig;
use crate::ui::remember::ServeSetting;
use crate::ui::serve::events::ServePanelEvent;
use crate::ui::widgets::file_dialog::{self, Dialog};
use crate::ui::worker::Worker;

/// The hover of a setting while serving: the server took it at Start.
pub const STOP_TO_CHANGE: &str = "Serving: stop to change it (the server took it at Start)";

/// The settings as typed.
pub struct Advanced {
    /// The site served alone; empty: every site.
    pub site: String,
    lockout: bool,
    lockout_after: String,
    lockout_seconds: String,
    nonce_lifetime: String,
    pub log_json: String,
}

/// What Start applies: the server's settings and the JSON log's file.
pub struct Applied {
    pub config: ServeConfig,
    pub log_json: Option<PathBuf>,
}

impl Advanced {
    pub fn new(setting: &ServeSetting) -> Self {
        Self {
            site: setting.site.clone(),
            lockout: setting.lockout,
            lockout_after: setting.lockout_after.clone(),
            lockout_seconds: setting.lockout_seconds.clone(),
            nonce_lifetime: setting.nonce_lifetime.clone(),
            log_json: setting.log_json.clone(),
        }
    }

    /// Writes what the next run starts with into `setting`.
    pub fn remember(&self, setting: &mut ServeSetting) {
        setting.site = self.site.clone();
        setting.lockout = self.lockout;
        setting.lockout_after = self.lockout_after.clone();
        setting.lockout_seconds = self.lockout_seconds.clone();
        setting.nonce_lifetime = self.nonce_lifetime.clone();
        setting.log_json = self.log_json.clone();
    }

    /// `config` with these settings, or what is wrong with one of them, to say before the
    /// server starts.
    pub fn apply(&self, config: ServeConfig) -> Result<Applied, String> {
        let seconds = |text: &str, what: &str| {
            text.trim()
                .parse::<u64>()
                .ok()
                .filter(|s| (1..=86_400).contains(s))
                .ok_or_else(|| {
                    format!(
                        "{what} \"{}\" is not a number of seconds: give one from 1 to 86400, e.g. 300.",
                        text.trim()
                    )
                })
        };
        let nonce_lifetime = Duration::from_secs(seconds(&self.nonce_lifetime, "Nonce lifetime")?);
        let (lockout_after, lockout_for) = if self.lockout {
            let after = self
                .lockout_after
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| {
                    format!(
                        "Lock-out after \"{}\" refused answers is not a count: give one from 1, e.g. 5.",
                        self.lockout_after.trim()
                    )
                })?;
            let length = seconds(&self.lockout_seconds, "Lock-out length")?;
            (Some(after), Duration::from_secs(length))
        } else {
            (None, config.lockout_for)
        };
        let site = self.site.trim();
        let log = self.log_json.trim();
        Ok(Applied {
            config: ServeConfig {
                nonce_lifetime,
                lockout_after,
                lockout_for,
                site: (!site.is_empty()).then(|| site.to_string()),
                ..config
            },
            log_json: (!log.is_empty()).then(|| PathBuf::from(log)),
        })
    }

    /// Whether Start applies something other than the defaults: a line under the URL says so
    /// while serving, so the status block keeps a row for it.
    pub fn differs(&self) -> bool {
        !self.set_apart().is_empty()
    }

    /// What differs from the defaults, for the collapsed header: settings out of sight still
    /// change what phones get.
    fn set_apart(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if !self.site.trim().is_empty() {
            parts.push(format!("site {} only", self.site.trim()));
        }
        if self.lockout {
            parts.push(format!("lock-out after {}", self.lockout_after.trim()));
        }
        if self.nonce_lifetime.trim() != ServeSetting::default().nonce_lifetime {
            parts.push(format!("nonces {} s", self.nonce_lifetime.trim()));
        }
        if !self.log_json.trim().is_empty() {
            parts.push("JSON log".to_string());
        }
        parts
    }

    /// The collapsed section; its fields are off while serving.
    pub fn ui(&mut self, ui: &mut egui::Ui, running: bool, sites: &[Site], worker: &Worker) {
        let apart = self.set_apart();
        let title = if apart.is_empty() {
            "Advanced".to_string()
        } else {
            format!("Advanced ({})", apart.join(", "))
        };
        egui::CollapsingHeader::new(title)
            .id_salt("serve_advanced")
            .default_open(false)
            .show(ui, |ui| {
                ui.add_enabled_ui(!running, |ui| {
                    egui::Grid::new("serve_advanced_grid")
                        .num_columns(2)
                        .spacing([12.0, 6.0])
                        .show(ui, |ui| {
                            self.site_row(ui, sites);
                            self.lockout_row(ui);
                            self.nonce_row(ui);
                            self.log_row(ui, worker);
                        });
                });
            });
    }

    fn site_row(&mut self, ui: &mut egui::Ui, sites: &[Site]) {
        let label = ui.label("Serve only site");
        let every = "every site";
        let shown = if self.site.trim().is_empty() {
            every.to_string()
        } else {
            self.site.clone()
        };
        egui::ComboBox::from_id_salt("serve_site_only")
            .selected_text(shown)
            .width(220.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.site, String::new(), every);
                for site in sites {
                    ui.selectable_value(&mut self.site, site.name.clone(), &site.name);
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text("The other sites' phones get 404 saying which site is served (--site)")
            .on_disabled_hover_text(STOP_TO_CHANGE);
        ui.end_row();
    }

    fn lockout_row(&mut self, ui: &mut egui::Ui) {
        ui.label("Lock-out");
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.lockout, "Lock a client out after")
                .on_hover_text(
                    "Off by default: a phone's MAC / MAC password attempt counts as one refused answer (--lockout)",
                )
                .on_disabled_hover_text(STOP_TO_CHANGE);
            let after = egui::TextEdit::singleline(&mut self.lockout_after).desired_width(36.0);
            let after = ui.add_enabled(self.lockout, after);
            let label = ui.label("refused answers, for");
            after
                .labelled_by(label.id)
                .on_disabled_hover_text(STOP_TO_CHANGE);
            let length = egui::TextEdit::singleline(&mut self.lockout_seconds).desired_width(48.0);
            let length = ui.add_enabled(self.lockout, length);
            let label = ui.label("seconds");
            length
                .labelled_by(label.id)
                .on_disabled_hover_text(STOP_TO_CHANGE);
        });
        ui.end_row();
    }

    fn nonce_row(&mut self, ui: &mut egui::Ui) {
        let label = ui.label("Nonce lifetime");
        ui.horizontal(|ui| {
            ui.add(egui::TextEdit::singleline(&mut self.nonce_lifetime).desired_width(48.0))
                .labelled_by(label.id)
                .on_hover_text(
                    "Seconds a nonce is good for before the phone gets stale=true; raise it for a phone in a stale-nonce loop (--nonce-lifetime)",
                )
                .on_disabled_hover_text(STOP_TO_CHANGE);
            ui.label("seconds");
        });
        ui.end_row();
    }

    fn log_row(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let label = ui.label("JSON log file");
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.log_json)
                    .desired_width(300.0)
                    .hint_text("none"),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "Also append one JSON object per request to this file: never a password or digest response (--log-json)",
            )
            .on_disabled_hover_text(STOP_TO_CHANGE);
            if ui
                .button("Choose…")
                .on_disabled_hover_text(STOP_TO_CHANGE)
                .clicked()
            {
                file_dialog::ask(
                    worker,
                    Dialog::Save {
                        title: "Log the requests as JSON lines",
                        filter: ("JSON lines", "jsonl"),
                        suggested: "serve-log.jsonl".into(),
                    },
                    ServePanelEvent::LogFile,
                );
            }
        });
        ui.end_row();
    }
}

/// What the settings applied at Start change from the defaults (`site Bench only · …`), for
/// the line under the URL and the status bar while serving; `None` when nothing does.
pub fn summary(applied: &Applied) -> Option<String> {
    let defaults = ServeConfig::default();
    let config = &applied.config;
    let mut parts = Vec::new();
    if let Some(site) = &config.site {
        parts.push(format!("site {site} only"));
    }
    if let Some(after) = config.lockout_after {
        parts.push(format!(
            "lock-out after {after} refused answers for {} s",
            config.lockout_for.as_secs()
        ));
    }
    if config.nonce_lifetime != defaults.nonce_lifetime {
        parts.push(format!(
            "nonces good for {} s",
            config.nonce_lifetime.as_secs()
        ));
    }
    if let Some(path) = &applied.log_json {
        parts.push(format!("JSON log {}", path.display()));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_start_applies_is_what_was_typed_and_a_wrong_number_is_said() {
        let mut advanced = Advanced::new(&ServeSetting::default());
        let applied = advanced.apply(ServeConfig::default()).unwrap();
        assert_eq!(applied.config.site, None);
        assert_eq!(applied.config.lockout_after, None);
        assert!(summary(&applied).is_none(), "the defaults say nothing");

        advanced.site = "Bench".into();
        advanced.lockout = true;
        advanced.nonce_lifetime = " 120 ".into();
        advanced.log_json = "/tmp/x.jsonl".into();
        let applied = advanced.apply(ServeConfig::default()).unwrap();
        assert_eq!(applied.config.site.as_deref(), Some("Bench"));
        assert_eq!(applied.config.lockout_after, Some(5));
        assert_eq!(applied.config.nonce_lifetime, Duration::from_secs(120));
        assert_eq!(applied.log_json, Some(PathBuf::from("/tmp/x.jsonl")));
        let said = summary(&applied).unwrap();
        assert!(said.contains("site Bench only"), "{said}");
        assert!(
            said.contains("lock-out after 5 refused answers for 300 s"),
            "{said}"
        );

        advanced.nonce_lifetime = "soon".into();
        let error = advanced.apply(ServeConfig::default()).err().unwrap();
        assert!(error.contains("Nonce lifetime \"soon\""), "{error}");
        advanced.nonce_lifetime = "300".into();
        advanced.lockout_after = "0".into();
        let error = advanced.apply(ServeConfig::default()).err().unwrap();
        assert!(error.contains("Lock-out after \"0\""), "{error}");
    }
}
