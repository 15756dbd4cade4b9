//! Serving the phones from the laptop: each inventory device gets its configuration file,
//! rendered from the current templates and inventory at the moment it asks (no stale files on
//! disk), behind HTTP digest as Gigaset phones expect it, and every request becomes one
//! [`ServeEvent`] saying who asked, which device and phone it was, which credentials it
//! presented (the user only) and why it got what it got.
//!
//! The accept loop is the simulators' ([`crate::sim::ServerHandle`]); the simulators stay
//! simulators, this serves real phones.

mod addresses;
mod connection;
mod coverage;
mod event;
mod gate;
mod handler;
mod json_log;
mod lockout;
mod phones;
mod replay;
mod resolve;
mod stall;
mod tls;
mod url_hint;

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::mpsc;

pub use addresses::{ListenChoice, listen_choices};
pub use coverage::{
    CoverageError, RenderFailures, credentials_warning, render_failures, render_warning,
};
pub use event::{ServeEvent, Verdict};
pub use gate::{Credential, Refusal};
pub use json_log::{JsonLog, JsonLogError};
pub use phones::{Phone, PhoneBook, PhoneDiagnosis};
pub use resolve::{FOLDER_FILE, Target, resolve};
pub use tls::{TlsIdentity, TlsSource};
pub use url_hint::UrlCredentialsHint;

use crate::inventory::{Inventory, InventoryError};
use crate::sim::ServerHandle;
use gate::Gate;
use handler::Shared;
use lockout::Lockout;

/// Connections one client address may hold open at once: a quarter of what the server serves
/// at once, so fifty phones booting together behind one NAT router still fit, and whatever
/// one machine on the LAN does, the rest stay free for the other phones.
pub const CONNECTIONS_PER_CLIENT: usize = crate::sim::MAX_CONNECTIONS / 4;

/// Events waiting for their reader at most; a request waits for room rather than lose its line.
const EVENT_BACKLOG: usize = 4096;

/// The digest realm when the user names none: the one default of Serve (panel and `provdesk
/// serve`) and of the Render dialog's htdigest realm, so that files rendered for a web server
/// and the server on this laptop agree on the realm the phones answer for. The simulator keeps
/// a realm of its own (`provdesk-sim`), so a fetch shows which of the two answered.
pub const DEFAULT_REALM: &str = "provdesk";

/// How the server answers.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub realm: String,
    /// How long a nonce is good for; then the phone gets `stale=true` and answers again.
    pub nonce_lifetime: Duration,
    /// Lock a client out after this many refused answers (off by default: a phone's
    /// deliberate MAC / MAC password attempt counts as one).
    pub lockout_after: Option<u32>,
    pub lockout_for: Duration,
    /// HTTPS with this certificate; plain HTTP when `None`.
    pub tls: Option<TlsIdentity>,
    /// Serve only the devices of this site; the others get `404` saying so.
    pub site: Option<String>,
    /// Take HTTP Basic from devices whose model accepts it (off by default: Basic sends the
    /// password in clear).
    pub basic: bool,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            realm: DEFAULT_REALM.into(),
            nonce_lifetime: Duration::from_secs(300),
            lockout_after: None,
            lockout_for: Duration::from_secs(300),
            tls: None,
            site: None,
            basic: false,
        }
    }
}

/// A running server.
pub struct RunningServer {
    addr: SocketAddr,
    https: bool,
    handle: ServerHandle,
    events: mpsc::Receiver<ServeEvent>,
}

impl RunningServer {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL to give phones (and the redirect server): `http://ADDR/%MACD.xml`, where ADDR
    /// is the LAN address when the server listens on every interface.
    pub fn url_pattern(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}/%MACD.xml", addresses::reachable(self.addr))
    }

    /// The next request's event; `None` once the server has stopped.
    pub async fn next_event(&mut self) -> Option<ServeEvent> {
        self.events.recv().await
    }

    /// An event already waiting, without waiting for one.
    pub fn try_event(&mut self) -> Option<ServeEvent> {
        self.events.try_recv().ok()
    }

    /// Stops accepting and closes every connection; the events already logged can still be
    /// read, then [`next_event`](Self::next_event) gives `None`.
    pub async fn stop(&mut self) {
        self.handle.shutdown().await;
    }

    pub async fn shutdown(mut self) {
        self.stop().await;
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Inventory(#[from] InventoryError),
    #[error("cannot listen on {addr}: {source}; pick another port or address")]
    Bind { addr: SocketAddr, source: io::Error },
    #[error("HTTPS: {0}")]
    Tls(io::Error),
    /// Serving one site that is not (or no longer) in the inventory would turn every phone
    /// away with 404 while the server looks fine.
    #[error(
        "no site named \"{site}\" in the inventory ({}): pick one of them to serve alone, or serve every site",
        known_sites(.known)
    )]
    UnknownSite { site: String, known: Vec<String> },
}

fn known_sites(known: &[String]) -> String {
    if known.is_empty() {
        "it has no sites".to_string()
    } else {
        format!("sites: {}", known.join(", "))
    }
}

/// Opens the inventory at `db` and serves its devices on `bind`.
pub async fn start(
    db: &Path,
    bind: SocketAddr,
    config: ServeConfig,
) -> Result<RunningServer, ServeError> {
    let inventory = Inventory::open(db)?;
    if let Some(site) = &config.site {
        let known: Vec<String> = inventory.sites()?.into_iter().map(|s| s.name).collect();
        if !known
            .iter()
            .any(|name| name.eq_ignore_ascii_case(site.trim()))
        {
            return Err(ServeError::UnknownSite {
                site: site.trim().to_string(),
                known,
            });
        }
    }
    let acceptor = config
        .tls
        .as_ref()
        .map(TlsIdentity::acceptor)
        .transpose()
        .map_err(ServeError::Tls)?;
    let listener = TcpListener::bind(bind)
        .await
        .map_err(|source| ServeError::Bind { addr: bind, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { addr: bind, source })?;
    let (sender, events) = mpsc::channel(EVENT_BACKLOG);
    let shared = Arc::new(Shared {
        inventory: Mutex::new(inventory),
        gate: Gate::new(config.realm, config.nonce_lifetime, config.basic),
        lockout: config
            .lockout_after
            .map(|after| Mutex::new(Lockout::new(after, config.lockout_for))),
        events: sender,
        site: config.site,
        open: Mutex::default(),
    });
    let https = acceptor.is_some();
    let handle = ServerHandle::serve(listener, "provdesk serve", move |stream, peer| {
        connection::connection(stream, peer, acceptor.clone(), shared.clone())
    });
    Ok(RunningServer {
        addr,
        https,
        handle,
        events,
    })
}
