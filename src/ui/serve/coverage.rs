//! While serving, the devices no phone can get its file for: without credentials, or with a
//! file that cannot be rendered. Asked again whenever the inventory or a template changes;
//! each warning is worded once when its answer comes, not every frame.

use crate::inventory::CredentialGaps;
use crate::serve::{RenderFailures, credentials_warning, render_warning};
use crate::ui::serve::job;
use crate::ui::worker::Worker;

#[derive(Default)]
pub struct Coverage {
    /// How many checks were asked for: the files of an older one, overtaken by a newer one,
    /// are not shown.
    checks: u64,
    /// The one site served, when only one is.
    site: Option<String>,
    credentials: Option<String>,
    files: Option<String>,
}

impl Coverage {
    pub fn ask(&mut self, worker: &Worker) {
        self.checks += 1;
        job::load_coverage(worker, self.checks, self.site.clone());
    }

    /// The one site served, when only one is.
    pub fn site(&self) -> Option<&str> {
        self.site.as_deref()
    }

    /// Serving starts for one site's devices, or every site's.
    pub fn serve_site(&mut self, site: Option<String>) {
        self.site = site;
    }

    pub fn credentials_checked(&mut self, gaps: &CredentialGaps) {
        self.credentials = credentials_warning(gaps);
    }

    /// Keeps the answer of the newest check.
    pub fn files_tried(&mut self, check: u64, failures: &RenderFailures) {
        if check == self.checks {
            self.files = render_warning(failures);
        }
    }

    pub fn warnings(&self) -> impl Iterator<Item = &String> {
        self.credentials.iter().chain(&self.files)
    }

    /// Serving stopped: nothing to warn about, and an answer still on its way is dropped.
    pub fn clear(&mut self) {
        self.credentials = None;
        self.files = None;
        self.checks += 1;
    }
}
