//! Where the Render… dialog writes unless told otherwise: a folder and an htdigest file of the
//! site's own, so rendering one customer never lands in another's folder (where its files
//! would look stale) or file. The folder of a site's last render is remembered for that site.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::ui::templates::events::{RenderPath, TemplatesEvent};
use crate::ui::widgets::dialog;
use crate::ui::widgets::file_dialog::{self, Dialog};
use crate::ui::worker::Worker;

/// The folder of the last render for each site (`None`: every device, or a device without a
/// site).
pub type Folders = BTreeMap<Option<String>, String>;

/// The folder a render for `site` starts in: that site's last one, else one of its own.
pub fn folder_for(site: Option<&str>, remembered: &Folders) -> String {
    if let Some(folder) = remembered.get(&site.map(str::to_string)) {
        return folder.clone();
    }
    let base = dialog::default_save_path("provdesk-configs");
    match site {
        Some(site) => PathBuf::from(base)
            .join(path_part(site))
            .display()
            .to_string(),
        None => base,
    }
}

/// The htdigest file a render for `site` starts with: one per site, like its folder.
pub fn htdigest_for(site: Option<&str>) -> String {
    match site {
        Some(site) => dialog::default_save_path(&format!("provdesk-{}.htdigest", path_part(site))),
        None => dialog::default_save_path("provdesk.htdigest"),
    }
}

/// A site's name made safe as one part of a path: no separators, no leading dot.
fn path_part(site: &str) -> String {
    let safe: String = site
        .trim()
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    let safe = safe.trim_start_matches('.').trim();
    if safe.is_empty() {
        "site".to_string()
    } else {
        safe.to_string()
    }
}

/// "Hotel Adler (29 devices)".
pub fn site_text(name: &str, devices: usize) -> String {
    format!("{name} ({})", crate::words::count(devices, "device"))
}

pub fn ask_path(worker: &Worker, which: RenderPath) {
    let dialog = match which {
        RenderPath::Folder => Dialog::Folder {
            title: "Render the configuration files into",
        },
        RenderPath::Htdigest => Dialog::Save {
            title: "Write the htdigest file",
            filter: ("htdigest", "htdigest"),
            suggested: "provdesk.htdigest".into(),
        },
    };
    file_dialog::ask(worker, dialog, move |picked| {
        TemplatesEvent::RenderPath(which, picked)
    });
}

/// A path field with Choose…; whether the user typed in it.
pub fn path_row(ui: &mut egui::Ui, label: &str, path: &mut String, choose: impl FnOnce()) -> bool {
    ui.horizontal(|ui| {
        let label = ui.label(label);
        let typed = ui
            .add(egui::TextEdit::singleline(path).desired_width(360.0))
            .labelled_by(label.id)
            .changed();
        if ui.button("Choose…").clicked() {
            choose();
        }
        typed
    })
    .inner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_site_gets_a_folder_of_its_own_unless_one_was_used_for_it() {
        let all = folder_for(None, &Folders::new());
        let hotel = folder_for(Some("Hotel Adler"), &Folders::new());
        assert_eq!(
            PathBuf::from(&hotel),
            PathBuf::from(&all).join("Hotel Adler")
        );
        let mut remembered = Folders::new();
        remembered.insert(Some("Hotel Adler".into()), "/srv/adler".into());
        assert_eq!(folder_for(Some("Hotel Adler"), &remembered), "/srv/adler");
        assert_eq!(
            folder_for(None, &remembered),
            all,
            "another site's is not taken"
        );
        assert!(htdigest_for(Some("Hotel Adler")).ends_with("provdesk-Hotel Adler.htdigest"));
    }

    #[test]
    fn a_site_name_never_leaves_the_folder() {
        assert_eq!(path_part("../etc/x"), "-etc-x");
        assert_eq!(path_part("A/B: C"), "A-B- C");
        assert_eq!(path_part(".."), "site");
        assert_eq!(path_part("  "), "site");
    }
}
