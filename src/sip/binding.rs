//! What became of the test's own registration once the registrar had taken it. Its own file
//! because the events carry it and the findings put it into words.

use serde::Serialize;

/// The test's registration once the registrar had taken it. A test runs on the extension of a
/// real phone: a binding left behind forks its calls to this computer, or on a PBX that allows
/// one contact per extension pushes the phone out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Binding {
    /// A REGISTER with `Expires: 0` for the test's contact was answered with this 2xx and
    /// reason phrase (escaped).
    Removed { status: u16, reason: String },
    /// Kept as asked: the registrar holds it for `expires` seconds.
    Kept { expires: u32 },
    /// The removal failed: `why`, in words. The binding stays until it expires, after
    /// `expires` seconds.
    Left {
        status: Option<u16>,
        why: String,
        expires: u32,
    },
}

impl Binding {
    /// One line for the live log.
    pub fn describe(&self) -> String {
        match self {
            Binding::Removed { status, reason } => {
                format!("removed the test registration: {status} {reason}")
            }
            Binding::Kept { expires } => format!(
                "kept the test registration as asked: the registrar holds it for {expires} s"
            ),
            Binding::Left { why, expires, .. } => format!(
                "the test registration could not be removed: {why}; it stays up to {expires} s"
            ),
        }
    }
}
