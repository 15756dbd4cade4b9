//! `ImportBatch`: what any label source turns into, before anything touches the inventory.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::device::{
    DeviceDraft, Field, Mac, MacId, ModelSpec, NewDevice, SipAccount, SipAccountDraft, SipField,
    find_model, oui_hint, sip_account_limit, url_file_warning,
};
use crate::printable::printable;

use super::code::ScannedCode;

/// Where a row came from: a file (or "pasted text", "scanner") and a 1-based line. The column
/// belongs to each of a row's problems ([`RowProblem::column`]): one row can have several.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct SourceRef {
    /// Shared by every row of the file: a clone per row costs a count, not a copy.
    pub file: Arc<str>,
    pub line: usize,
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl SourceRef {
    /// `labels.csv:12` rather than the whole path, so the line number stays in view.
    pub fn short(&self) -> String {
        format!("{}:{}", short_name(&self.file), self.line)
    }
}

/// A source's file name without its folder (`labels.csv`), or the name whole where it is no
/// path ("scanner", "pasted text 1").
pub(super) fn short_name(name: &str) -> std::borrow::Cow<'_, str> {
    std::path::Path::new(name)
        .file_name()
        .map_or(std::borrow::Cow::Borrowed(name), |n| n.to_string_lossy())
}

/// The longest value a row problem quotes, in characters.
const VALUE_MAX: usize = 80;
/// The longest reason or notice, in characters; a longer one loses its middle.
const MESSAGE_MAX: usize = 300;

/// Why a row cannot be imported, one field at a time: the field and its 1-based column (where
/// known), the offending value and the reason with the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub field: Option<Field>,
    pub column: Option<usize>,
    pub value: String,
    pub reason: String,
    /// The row's MAC as written, so the user can find the label; empty where there is none.
    pub row_mac: String,
}

/// One row of a batch: a device ready to store, or its problems (at least one): every field
/// that is wrong, left to right, so one pass over the file fixes the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub source: SourceRef,
    pub outcome: Result<NewDevice, Vec<RowProblem>>,
    /// What is worth a look but never stops the row: a MAC prefix of another maker under a
    /// Gigaset model (see [`crate::device::OuiHint`]).
    pub warnings: Vec<String>,
    /// An invalid row's other fields as written, so the preview shows the label the user
    /// knows beside its problems; none for a valid row or a file refused whole.
    pub written: Option<Box<AsWritten>>,
}

impl ImportRow {
    /// The row as the preview names it to the user: a valid row by its MAC (no two valid rows
    /// share one); an invalid row by its MAC as written and its place, since a duplicate shares
    /// its MAC with the row before it; a row without a MAC by its place alone.
    pub fn name(&self) -> String {
        let mac = match &self.outcome {
            Ok(device) => return device.mac.macd(),
            Err(problems) => problems.first().map_or("", |p| p.row_mac.as_str()),
        };
        if mac.is_empty() {
            self.source.short()
        } else {
            format!("{mac} ({})", self.source.short())
        }
    }
}

/// An invalid row's MAC-ID, model and site as written (the batch's defaults filled in).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AsWritten {
    pub mac_id: String,
    pub model: String,
    pub site: String,
}

impl AsWritten {
    fn of_draft(draft: &DeviceDraft) -> Box<Self> {
        Box::new(Self {
            mac_id: draft.mac_id.trim().to_string(),
            model: draft.model.trim().to_string(),
            site: draft.site.trim().to_string(),
        })
    }

    fn of_device(device: &NewDevice) -> Box<Self> {
        Box::new(Self {
            mac_id: device
                .mac_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            model: device.model.map(|m| m.name.to_string()).unwrap_or_default(),
            site: device.site.clone().unwrap_or_default(),
        })
    }
}

/// Something worth telling that does not make a row invalid: an ignored column, a scanned
/// serial number, a label scanned twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub source: SourceRef,
    pub message: String,
    /// Whether its line held text that gave nothing to import and was passed over (no MAC,
    /// MAC-ID or label field in it, or CSV that could not be read): the summary counts these
    /// lines, so that "0 invalid" does not hide them. Blank lines are never told.
    pub skips_line: bool,
}

impl Notice {
    /// A note on `source` that does not skip its line.
    pub fn new(source: SourceRef, message: String) -> Self {
        Self {
            source,
            message,
            skips_line: false,
        }
    }

    /// This note, telling that its line was passed over.
    pub(super) fn skipping(self) -> Self {
        Self {
            skips_line: true,
            ..self
        }
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.message)
    }
}

/// Defaults the user chose for the whole batch; a row's own value wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchDefaults {
    pub site: Option<String>,
    pub model: Option<String>,
}

/// All rows from one or more sources, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportBatch {
    pub rows: Vec<ImportRow>,
    pub notices: Vec<Notice>,
    /// Where the rows came from, for the audit log: file names, "pasted text", "scanner".
    pub sources: Vec<String>,
}

/// The 1-based column each device field of a row came from: one slot per field, so a row
/// costs no allocation and no hashing for it (a file has 100,000 rows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldColumns([Option<u32>; Field::Notes as usize + 1]);

impl FieldColumns {
    /// Only `field`, in `column`.
    pub fn of(field: Field, column: usize) -> Self {
        let mut columns = Self::default();
        columns.insert(field, column);
        columns
    }

    pub fn insert(&mut self, field: Field, column: usize) {
        self.0[field as usize] = u32::try_from(column).ok();
    }

    pub fn get(&self, field: Field) -> Option<usize> {
        self.0[field as usize].map(|column| column as usize)
    }
}

/// A parsed row before validation: the draft and, per field, the column it came from; the
/// SIP accounts its `sipN_*` columns give, by account number, and their columns.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub source: SourceRef,
    pub draft: DeviceDraft,
    pub columns: FieldColumns,
    pub sip_accounts: BTreeMap<u8, SipAccountDraft>,
    pub sip_columns: HashMap<(u8, SipField), usize>,
}

impl ImportBatch {
    pub fn valid(&self) -> impl Iterator<Item = (&SourceRef, &NewDevice)> {
        self.rows
            .iter()
            .filter_map(|row| row.outcome.as_ref().ok().map(|d| (&row.source, d)))
    }

    /// Every problem of every invalid row, in order: a row with several bad fields comes
    /// once per field.
    pub fn invalid(&self) -> impl Iterator<Item = (&SourceRef, &RowProblem)> {
        self.rows.iter().flat_map(|row| {
            let problems = row.outcome.as_ref().err().map_or(&[][..], Vec::as_slice);
            problems.iter().map(move |problem| (&row.source, problem))
        })
    }

    /// Valid rows with their warnings, in order.
    pub fn warnings(&self) -> impl Iterator<Item = (&SourceRef, &str)> {
        self.rows.iter().flat_map(|row| {
            row.warnings
                .iter()
                .map(move |warning| (&row.source, warning.as_str()))
        })
    }

    pub fn valid_count(&self) -> usize {
        self.valid().count()
    }

    /// The invalid rows, however many problems each has.
    pub fn invalid_count(&self) -> usize {
        self.rows.iter().filter(|row| row.outcome.is_err()).count()
    }

    /// The lines passed over with a note (see [`Notice::skips_line`]), each counted once
    /// however many notes it has.
    pub fn skipped_lines(&self) -> usize {
        let skipped: std::collections::HashSet<&SourceRef> = self
            .notices
            .iter()
            .filter(|notice| notice.skips_line)
            .map(|notice| &notice.source)
            .collect();
        skipped.len()
    }

    /// Validates parsed sources with the batch defaults into one batch, duplicates marked
    /// across all of them.
    pub fn from_sources(sources: &[ParsedSource], defaults: &BatchDefaults) -> Self {
        Self::from_parsed(sources, defaults)
    }

    /// [`Self::from_sources`] for sources that are not side by side in one slice (the
    /// preview's, each with the rows taken out of it left out).
    pub fn from_parsed<'s>(
        sources: impl IntoIterator<Item = &'s ParsedSource>,
        defaults: &BatchDefaults,
    ) -> Self {
        let mut batch = ImportBatch::default();
        for source in sources {
            batch.sources.push(source.name.clone());
            batch.notices.extend(source.notices.iter().cloned());
            batch.rows.extend(source.failures.iter().cloned());
            validate_all(&source.rows, defaults, &mut batch.rows);
        }
        Duplicates::default().mark(&mut batch.rows);
        batch.rows.iter_mut().for_each(make_row_printable);
        batch.notices.iter_mut().for_each(make_notice_printable);
        batch
    }
}

/// What the batch quotes from its files is shown on terminals and in the window: control
/// characters escaped, long values cut (see [`printable`]).
pub(super) fn make_notice_printable(notice: &mut Notice) {
    notice.message = printable(&notice.message, MESSAGE_MAX);
}

/// See [`make_notice_printable`].
pub(super) fn make_row_printable(row: &mut ImportRow) {
    if let Err(problems) = &mut row.outcome {
        for problem in problems {
            problem.value = printable(&problem.value, VALUE_MAX);
            problem.reason = printable(&problem.reason, MESSAGE_MAX);
            problem.row_mac = printable(&problem.row_mac, VALUE_MAX);
        }
    }
    if let Some(written) = &mut row.written {
        for text in [&mut written.mac_id, &mut written.model, &mut written.site] {
            *text = printable(text, VALUE_MAX);
        }
    }
}

/// The MACs and MAC-IDs seen so far in a batch, each with the row it was first seen on: a
/// later row with either is a duplicate.
#[derive(Default)]
pub(super) struct Duplicates {
    // foldhash: several times SipHash's speed on these short keys, and seeded per map, so
    // that a hostile file cannot line its MACs up into one bucket.
    macs: foldhash::HashMap<Mac, SourceRef>,
    mac_ids: foldhash::HashMap<MacId, SourceRef>,
}

impl Duplicates {
    /// Marks every row of `rows` whose MAC or MAC-ID appeared on an earlier row (of these or
    /// of rows marked before) as a duplicate.
    pub(super) fn mark(&mut self, rows: &mut [ImportRow]) {
        self.macs.reserve(rows.len());
        self.mac_ids.reserve(rows.len());
        for row in rows {
            let Ok(device) = &row.outcome else {
                continue;
            };
            let problem = if let Some(first) = self.macs.get(&device.mac) {
                RowProblem {
                    field: Some(Field::Mac),
                    column: None,
                    value: device.mac.macd(),
                    row_mac: device.mac.macd(),
                    reason: format!("MAC appears twice in the import; first at {first}"),
                }
            } else if let Some(id) = &device.mac_id
                && let Some(first) = self.mac_ids.get(id)
            {
                RowProblem {
                    field: Some(Field::MacId),
                    column: None,
                    value: id.to_string(),
                    row_mac: device.mac.macd(),
                    reason: format!("MAC-ID appears twice in the import; first at {first}"),
                }
            } else {
                if let Some(id) = &device.mac_id {
                    self.mac_ids.insert(id.clone(), row.source.clone());
                }
                self.macs.insert(device.mac, row.source.clone());
                continue;
            };
            row.written = Some(AsWritten::of_device(device));
            row.outcome = Err(vec![problem]);
            row.warnings.clear();
        }
    }
}

/// One source after parsing and before validation: its rows, what was noticed, and rows that
/// failed before they could become devices (an unreadable photo).
#[derive(Debug, Clone, Default)]
pub struct ParsedSource {
    pub name: String,
    pub rows: Vec<RawRow>,
    pub notices: Vec<Notice>,
    pub failures: Vec<ImportRow>,
    /// How many of `notices`, the first, are about the whole source (how its text was decoded,
    /// that it is empty) rather than one of its lines: taking rows out keeps them.
    pub source_notices: usize,
    /// A source read code by code (scanner or pasted text, a photo's barcodes): every code with
    /// its line, from which `rows` and the notices after the source's own were paired. Kept so
    /// that a row taken out can take its codes with it and the rest be paired again; empty for
    /// a table.
    pub codes: Vec<(usize, ScannedCode)>,
}

/// Rows from which validating on several threads pays for starting them.
const PARALLEL_FROM: usize = 4_096;

/// Validates `rows` in order onto `out`; a large file's rows are split over the machine's
/// cores (each row stands alone; duplicates are marked afterwards, across all of them).
fn validate_all(rows: &[RawRow], defaults: &BatchDefaults, out: &mut Vec<ImportRow>) {
    out.reserve(rows.len());
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if rows.len() < PARALLEL_FROM || threads < 2 {
        out.extend(rows.iter().map(|raw| validate_raw(raw, defaults)));
        return;
    }
    let chunk = rows.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = rows
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|raw| validate_raw(raw, defaults))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for part in parts {
            out.extend(
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
    });
}

/// Turns a raw row into a device, or the problems of every field that is wrong, its SIP
/// accounts' too, each pointing at its column, left to right.
pub fn validate_raw(raw: &RawRow, defaults: &BatchDefaults) -> ImportRow {
    let draft = with_defaults(raw, defaults);
    let validated = draft.validate();
    // The accounts are checked against the model even when another field is wrong, so their
    // problems are told in the same pass; a model that is itself wrong sets no limit.
    let model = match &validated {
        Ok(device) => device.model,
        Err(_) => find_model(&draft.model),
    };
    let outcome = match (validated, sip_accounts_of(raw, model)) {
        (Ok(mut device), Ok(accounts)) => {
            device.sip_accounts = accounts;
            Ok(device)
        }
        (device, accounts) => {
            let mut problems: Vec<RowProblem> = device
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|error| RowProblem {
                    field: Some(error.field),
                    column: raw.columns.get(error.field),
                    value: field_value(&draft, error.field),
                    reason: error.message,
                    row_mac: draft.mac.trim().to_string(),
                })
                .collect();
            problems.extend(accounts.err().unwrap_or_default());
            problems.sort_by_key(|problem| problem.column.unwrap_or(usize::MAX));
            Err(problems)
        }
    };
    let warnings = match &outcome {
        Ok(device) => oui_hint(device.mac)
            .warning(device.mac, device.model)
            .into_iter()
            .chain(device.url.as_ref().and_then(url_file_warning))
            .collect(),
        Err(_) => Vec::new(),
    };
    let written = outcome.is_err().then(|| AsWritten::of_draft(&draft));
    ImportRow {
        source: raw.source.clone(),
        outcome,
        warnings,
        written,
    }
}

/// The row's draft with the batch's site and model where the row names none. It is copied
/// only when a default fills it in: most rows have their own values, and a copy is ten
/// strings per row.
fn with_defaults<'r>(raw: &'r RawRow, defaults: &BatchDefaults) -> Cow<'r, DeviceDraft> {
    let site = defaults
        .site
        .as_ref()
        .filter(|_| raw.draft.site.trim().is_empty());
    let model = defaults
        .model
        .as_ref()
        .filter(|_| raw.draft.model.trim().is_empty());
    if site.is_none() && model.is_none() {
        return Cow::Borrowed(&raw.draft);
    }
    let mut draft = raw.draft.clone();
    if let Some(site) = site {
        draft.site = site.clone();
    }
    if let Some(model) = model {
        draft.model = model.clone();
    }
    Cow::Owned(draft)
}

/// The accounts of a row's `sipN_*` columns, checked against its model's number of accounts;
/// accounts whose columns are all empty are left out. A refusal names every refused field of
/// every account, each at its column (the account's first column where the field has none).
fn sip_accounts_of(
    raw: &RawRow,
    model: Option<&ModelSpec>,
) -> Result<Option<Vec<SipAccount>>, Vec<RowProblem>> {
    let limit = sip_account_limit(model);
    let mut accounts = Vec::with_capacity(raw.sip_accounts.len());
    let mut problems = Vec::new();
    for (&index, draft) in raw.sip_accounts.iter().filter(|(_, d)| !d.is_blank()) {
        let errors = match draft.validate(index, limit) {
            Ok(account) => {
                accounts.push(account);
                continue;
            }
            Err(errors) => errors,
        };
        let first_column = raw
            .sip_columns
            .iter()
            .filter(|((account, _), _)| *account == index)
            .map(|(_, &column)| column)
            .min();
        problems.extend(errors.into_iter().map(|error| {
            let value = match error.field {
                SipField::Index => index.to_string(),
                SipField::Password => draft.password.to_string(),
                field => draft.text(field).to_string(),
            };
            RowProblem {
                field: None,
                column: raw
                    .sip_columns
                    .get(&(index, error.field))
                    .copied()
                    .or(first_column),
                value,
                reason: error.to_string(),
                row_mac: raw.draft.mac.trim().to_string(),
            }
        }));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((!accounts.is_empty()).then_some(accounts))
}

/// The raw text of a field, with secrets masked.
fn field_value(draft: &DeviceDraft, field: Field) -> String {
    match field {
        Field::Mac => draft.mac.clone(),
        Field::MacId => draft.mac_id.clone(),
        Field::Model => draft.model.clone(),
        Field::Site => draft.site.clone(),
        Field::Provider => draft.provider.clone(),
        Field::Url => crate::device::mask_url_password(&draft.url),
        Field::DigestUsername => draft.digest_username.clone(),
        Field::Notes => draft.notes.clone(),
        Field::MacPassword => draft.mac_password.to_string(),
        Field::DigestPassword => draft.digest_password.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::parse_csv_source;

    #[test]
    fn a_large_file_keeps_its_order_and_finds_duplicates_across_the_split() {
        let mut csv = String::from("MAC,Notes\n");
        for n in 0..10_000u32 {
            csv.push_str(&format!("7C2F80{n:06X},room {n}\n"));
        }
        csv.push_str("7C2F8000000A,again\nnot a mac,x\n");
        let batch = ImportBatch::from_sources(
            &[parse_csv_source("big.csv", csv.as_bytes())],
            &BatchDefaults::default(),
        );
        assert_eq!(batch.rows.len(), 10_002);
        let lines: Vec<usize> = batch.rows.iter().map(|row| row.source.line).collect();
        assert!(
            lines.windows(2).all(|pair| pair[0] < pair[1]),
            "in file order"
        );
        assert_eq!(batch.valid_count(), 10_000);
        let problems: Vec<(usize, &RowProblem)> = batch
            .invalid()
            .map(|(source, problem)| (source.line, problem))
            .collect();
        assert_eq!(problems[0].0, 10_002);
        assert!(
            problems[0].1.reason.contains("first at big.csv:12"),
            "{problems:?}"
        );
        assert_eq!(problems[1].0, 10_003);
        assert_eq!(problems[1].1.field, Some(Field::Mac));
    }
}
