//! What the serve job tells the Serve panel.

use std::net::SocketAddr;

#[derive(Debug)]
pub enum ServePanelEvent {
    /// Listening; give phones `url_pattern`.
    Started {
        addr: SocketAddr,
        url_pattern: String,
    },
    /// One request, as the server logged it.
    Request(Box<crate::serve::ServeEvent>),
    /// The server stopped; `error` when it could not start or failed.
    Stopped { error: Option<String> },
}
