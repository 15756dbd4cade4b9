//! What widgets that ask the worker get back: the paths a file dialog picked, the devices a
//! picker found. Data only, so that a panel's events can carry them without importing the
//! widgets (which import the events back to wrap them).

use std::path::PathBuf;

use crate::device::Device;

/// What a file dialog answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    Paths(Vec<PathBuf>),
    /// No dialog was shown: no desktop portal answered.
    NoDialog,
}

/// A device picker's answer: the matches of query `generation`, or why there are none.
#[derive(Debug)]
pub struct Found {
    pub generation: u64,
    pub devices: Result<Vec<Device>, String>,
}
