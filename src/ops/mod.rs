//! The use cases both faces run: each takes the inventory, reports progress, can be cancelled,
//! and returns a typed report. The CLI prints the report; the GUI worker forwards it to its
//! panel. A face never re-implements one of these, so an outcome means the same in both.

pub mod fetch;
pub mod labels;
pub mod redirect;
pub mod render;
pub mod sip;
pub mod sync;

/// How far a long use case is: `done` of `total` in `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
}
