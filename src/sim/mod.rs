//! Local simulators of the servers provdesk talks to, for tests, demos and
//! `provdesk simulate`: real sockets, real HTTP, with fault modes that reproduce what goes
//! wrong in the field.

mod handle;
pub mod provisioning;
pub mod redirect;
pub mod registrar;

pub use handle::{HEADER_READ_TIMEOUT, MAX_CONNECTIONS, ServerHandle};
