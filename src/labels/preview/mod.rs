//! The import preview's model: the sources in the order they were added (files, pasted text,
//! the scan session), the rows the installer took out of them, the history that Ctrl+Z takes
//! back, and the batch validated from what is left. The Import panel shows it and asks it to
//! change; it knows no window, and it writes nothing to the inventory or to any file.

mod scan;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::batch::short_name;
use super::{BatchDefaults, ImportBatch, ParsedSource, SourceRef, parse_pasted};
use crate::words;

pub use scan::{SCANNER, ScanVerdict};

/// Where a source came from, which says what taking a row out of it means to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A file (CSV, scanner text, photo): a row taken out is left out of this import, the file
    /// stays as it is.
    File,
    Pasted,
    Scanner,
}

/// One source of the preview: as parsed, and what was taken out of it.
#[derive(Debug, Clone)]
struct Source {
    /// For the scan session, its scans so far, paired again after each one.
    parsed: ParsedSource,
    origin: Origin,
    /// Rows taken out by hand, by the line each started on, with the lines that went with it.
    taken_out: BTreeMap<usize, Vec<usize>>,
}

impl Source {
    fn new(parsed: ParsedSource, origin: Origin) -> Self {
        Self {
            parsed,
            origin,
            taken_out: BTreeMap::new(),
        }
    }

    /// The source as the preview shows it: without the rows taken out.
    fn left(&self) -> Cow<'_, ParsedSource> {
        let lines: BTreeSet<usize> = self.taken_out.values().flatten().copied().collect();
        self.parsed.without(&lines)
    }
}

/// One change the installer made to the rows by hand, as Ctrl+Z takes it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// A line scanned (or typed) into the scan field, as it was scanned.
    Scanned(String),
    /// A row taken out: the line it started on, and its name as the preview showed it.
    TookOut { row: SourceRef, name: String },
}

/// The most edits kept for Ctrl+Z: a long day of scanning, and a bound all the same.
const HISTORY_DEPTH: usize = 500;

/// What an import was given, so that its rows leave the preview once it is written while
/// rows added meanwhile stay: the sources by name, and the scans up to then.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InImport {
    sources: Vec<String>,
    last_scan: usize,
}

/// The rows an import will be given, as the installer shapes them before pressing Import.
#[derive(Debug, Clone, Default)]
pub struct Preview {
    sources: Vec<Source>,
    defaults: BatchDefaults,
    batch: ImportBatch,
    history: Vec<Edit>,
    /// Counts the batches validated; a face's answers about an older batch are stale.
    revision: u64,
    leave_out_invalid: bool,
    /// Pasted texts read since the last Clear, which number their names.
    pastes: usize,
}

impl Preview {
    pub fn batch(&self) -> &ImportBatch {
        &self.batch
    }

    /// Bumped each time the batch is validated again.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// The sources' names, in the order they were added.
    pub fn source_names(&self) -> impl Iterator<Item = &str> {
        self.sources.iter().map(|s| s.parsed.name.as_str())
    }

    /// Where the source of this name came from.
    pub fn origin(&self, name: &str) -> Option<Origin> {
        self.sources
            .iter()
            .find(|s| s.parsed.name == name)
            .map(|s| s.origin)
    }

    /// Whether the installer agreed to import the valid rows only. The agreement was given for
    /// the invalid rows shown then: it is withdrawn whenever other rows are invalid (a row
    /// added, taken out or put back, a duplicate that now stands alone).
    pub fn leave_out_invalid(&self) -> bool {
        self.leave_out_invalid
    }

    pub fn set_leave_out_invalid(&mut self, agreed: bool) {
        self.leave_out_invalid = agreed;
    }

    /// Validates again with new defaults, if they differ.
    pub fn set_defaults(&mut self, defaults: BatchDefaults) {
        if defaults != self.defaults {
            self.defaults = defaults;
            self.revalidate();
        }
    }

    /// A file read: it replaces one of the same name (read again), and what was taken out of
    /// that one goes with it, from the history too.
    pub fn add_file(&mut self, parsed: ParsedSource) {
        let name = parsed.name.clone();
        self.sources.retain(|s| s.parsed.name != name);
        self.history
            .retain(|edit| !matches!(edit, Edit::TookOut { row, .. } if *row.file == *name));
        self.sources.push(Source::new(parsed, Origin::File));
        self.revalidate();
    }

    /// Pasted text, read as a table or as scanner text (see [`parse_pasted`]).
    pub fn add_pasted(&mut self, text: &str) {
        self.pastes += 1;
        let parsed = parse_pasted(&format!("pasted text {}", self.pastes), text);
        self.sources.push(Source::new(parsed, Origin::Pasted));
        self.revalidate();
    }

    /// Takes the row that starts at `row` out of the preview (and so out of the import),
    /// with the lines that made it: for a scanned label its MAC-ID and any re-scan, so the
    /// notes about them go too. Returns the row's name, or `None` where no such row is shown.
    pub fn take_out(&mut self, row: &SourceRef) -> Option<String> {
        let name = self.batch.rows.iter().find(|r| r.source == *row)?.name();
        let source = self
            .sources
            .iter_mut()
            .find(|s| *s.parsed.name == *row.file)?;
        let lines = source.left().lines_of_row(row.line);
        if lines.is_empty() {
            return None;
        }
        source.taken_out.insert(row.line, lines);
        self.remember(Edit::TookOut {
            row: row.clone(),
            name: name.clone(),
        });
        self.revalidate();
        Some(name)
    }

    /// The edit that [`Self::undo`] would take back.
    pub fn last_edit(&self) -> Option<&Edit> {
        self.history.last()
    }

    /// Takes back the newest edit, and returns it: a row taken out comes back where it was; a
    /// scan goes out again, as if it had never been scanned.
    ///
    /// Only scans and removals are in the history. They are what an installer does one label
    /// at a time, where the slips happen (the label of the phone on the next desk, a doubled
    /// scan, a misread), and Ctrl+Z right after one is the fix they reach for. A file or pasted
    /// text comes in whole and goes out with Clear or row by row. Clear and an import end the
    /// history: the rows it names are gone.
    pub fn undo(&mut self) -> Option<Edit> {
        let edit = self.history.pop()?;
        match &edit {
            Edit::Scanned(_) => self.unscan(),
            Edit::TookOut { row, .. } => {
                if let Some(source) = self.source_mut(&row.file) {
                    source.taken_out.remove(&row.line);
                }
            }
        }
        self.revalidate();
        Some(edit)
    }

    /// Empties the preview; the history goes with the rows it named.
    pub fn clear(&mut self) {
        self.sources.clear();
        self.history.clear();
        self.pastes = 0;
        self.revalidate();
    }

    /// What an import of the batch as it is now is given.
    pub fn in_import(&self) -> InImport {
        InImport {
            sources: self.source_names().map(str::to_string).collect(),
            last_scan: self.last_scan_line(),
        }
    }

    /// Drops what the finished import `done` was given, keeping files and scans added
    /// meanwhile (and what was taken out of those scans). The history ends here.
    pub fn forget_imported(&mut self, done: &InImport) {
        self.sources
            .retain(|s| s.origin == Origin::Scanner || !done.sources.contains(&s.parsed.name));
        self.forget_scans_up_to(done.last_scan);
        self.history.clear();
        self.revalidate();
    }

    /// What is taken out, as the panel says it: "2 rows taken out of the import; the file
    /// labels.csv is not changed"; `None` while nothing is.
    pub fn taken_out_text(&self) -> Option<String> {
        let taken: Vec<&Source> = self
            .sources
            .iter()
            .filter(|s| !s.taken_out.is_empty())
            .collect();
        let rows: usize = taken.iter().map(|s| s.taken_out.len()).sum();
        if rows == 0 {
            return None;
        }
        let files: Vec<_> = taken
            .iter()
            .filter(|s| s.origin == Origin::File)
            .map(|s| short_name(&s.parsed.name))
            .collect();
        let rows = words::count(rows, "row");
        if files.is_empty() {
            return Some(format!("{rows} taken out of the import"));
        }
        Some(format!(
            "{rows} taken out of the import; the {} {} {} not changed",
            words::agree(files.len(), "file", "files"),
            files.join(", "),
            words::agree(files.len(), "is", "are"),
        ))
    }

    fn source_mut(&mut self, name: &str) -> Option<&mut Source> {
        self.sources.iter_mut().find(|s| *s.parsed.name == *name)
    }

    fn remember(&mut self, edit: Edit) {
        if self.history.len() == HISTORY_DEPTH {
            self.history.remove(0);
        }
        self.history.push(edit);
    }

    /// Validates what is left of every source into the batch; the agreement to leave out the
    /// invalid rows goes if other rows are invalid now.
    fn revalidate(&mut self) {
        let left: Vec<Cow<'_, ParsedSource>> = self.sources.iter().map(Source::left).collect();
        let batch = ImportBatch::from_parsed(left.iter().map(AsRef::as_ref), &self.defaults);
        if invalid_rows(&batch).ne(invalid_rows(&self.batch)) {
            self.leave_out_invalid = false;
        }
        self.batch = batch;
        self.revision += 1;
    }
}

/// Where the invalid rows are: the rows an import leaves out. A default changed may change
/// what a row says, not whether it is left out.
fn invalid_rows(batch: &ImportBatch) -> impl Iterator<Item = &SourceRef> {
    batch
        .rows
        .iter()
        .filter(|row| row.outcome.is_err())
        .map(|row| &row.source)
}
