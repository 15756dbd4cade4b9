//! What the Import panel's jobs answer, and the jobs: reading label files beside the inventory
//! queue, asking which MACs the inventory holds, and writing the batch.

use std::collections::HashSet;

use crate::device::Mac;
use crate::inventory::ImportReport;
use crate::labels::ParsedSource;
use crate::ops::labels::UnreadableFile;
use crate::ui::widgets::answers::Picked;

#[derive(Debug)]
pub enum ImportEvent {
    /// The label file dialog answered.
    FilesPicked(Picked),
    /// One label file of file job `job` parsed.
    SourceParsed {
        job: u64,
        source: ParsedSource,
    },
    /// A label file of file job `job` could not be read.
    Unreadable {
        job: u64,
        error: UnreadableFile,
    },
    /// Files read so far of file job `job`.
    ParseProgress {
        job: u64,
        done: usize,
        total: usize,
    },
    ImportProgress {
        done: usize,
        total: usize,
    },
    /// Which of the batch's MACs the inventory already holds, for batch `generation`.
    Existing {
        generation: u64,
        macs: HashSet<Mac>,
    },
    Imported(ImportReport),
    /// A job of this panel failed (an import refused writes nothing): what, and why.
    Failed {
        action: &'static str,
        error: String,
    },
}
