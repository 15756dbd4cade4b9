//! What the serve job and the Serve panel's inventory jobs tell the Serve panel.

use std::net::SocketAddr;

use crate::inventory::{RolloutDirection, RolloutPlan, RolloutProgress};

/// Which way each device in a rollout goes, by MAC.
pub type RolloutDirections = std::collections::BTreeMap<String, RolloutDirection>;

#[derive(Debug)]
pub enum ServePanelEvent {
    /// Listening; give phones `url_pattern`.
    Started {
        addr: SocketAddr,
        url_pattern: String,
    },
    /// One request, as the server logged it.
    Request(Box<crate::serve::ServeEvent>),
    /// The JSON log could not be written: serving goes on without it.
    LogFailed(String),
    /// The file picked for the JSON log.
    LogFile(crate::ui::widgets::answers::Picked),
    /// The server stopped; `error` when it could not start or failed.
    Stopped { error: Option<String> },
    /// A phone that asked but was not in the inventory was added (or why not).
    Added(Result<String, String>),
    /// The URL was given to devices or a site: what was done (or why not).
    UrlUsed(Result<String, String>),
    /// The credential rollout's progress per site, with which way each device's goes (the
    /// phones' diagnoses are said again by it).
    Rollout(Result<(Vec<RolloutProgress>, RolloutDirections), String>),
    /// The progress read again for the Enforce… question, with the devices not switched.
    EnforceFacts(Result<(Vec<RolloutProgress>, Vec<crate::device::Mac>), String>),
    /// What the rollout asked about would do, for its confirmation (or why it is refused).
    RolloutPlanned(Result<RolloutPlan, String>),
    /// A rollout was started, enforced or cancelled: what was done (or why not).
    RolloutChanged(Result<String, String>),
    /// Which devices served have no credentials to check a phone's answer against.
    Coverage(Result<crate::inventory::CredentialGaps, String>),
    /// Which devices' files cannot be rendered, as of the check numbered `check`.
    FilesTried {
        check: u64,
        failures: Result<crate::serve::RenderFailures, String>,
    },
}

impl ServePanelEvent {
    /// Whether the inventory's devices changed, so the other panels look again.
    pub fn changes_devices(&self) -> bool {
        matches!(
            self,
            ServePanelEvent::Added(Ok(_))
                | ServePanelEvent::UrlUsed(Ok(_))
                | ServePanelEvent::RolloutChanged(Ok(_))
        )
    }
}
