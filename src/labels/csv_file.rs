//! CSV exports from spreadsheets and other tools: any of `,` `;` tab, any encoding
//! [`decode_text`] reads, LF, CRLF or CR line ends, quoted fields, English or German headers, or no header when the first column holds MACs.
//! SIP accounts come in `sipN_FIELD` columns (`sip1_user`, `sip2_password`…). A cell the
//! export wrote after a `'` so that a spreadsheet shows it as text is read without it
//! ([`from_spreadsheet`]).

use std::sync::Arc;

use crate::device::{Field, SipField};
use crate::secret::MASK;

use super::batch::{FieldColumns, ImportRow, Notice, ParsedSource, RawRow, RowProblem, SourceRef};
use super::decode::decode_text;
use super::formula::from_spreadsheet;
use super::lines::{count_line_ends, split_lines};
use super::quotes::unclosed_quote;

/// Columns provdesk reads, and the header spellings that mean them. Headers are compared with
/// case, blanks, `-`, `_` and `.` removed.
const HEADER_ALIASES: &[(Field, &[&str])] = &[
    (
        Field::Mac,
        &["mac", "macaddress", "macadresse", "macaddr", "macadr"],
    ),
    (Field::MacId, &["macid", "gigasetmacid"]),
    (
        Field::Model,
        &[
            "model",
            "modell",
            "type",
            "typ",
            "devicetype",
            "gerätetyp",
            "geraetetyp",
        ],
    ),
    (Field::Site, &["site", "standort", "location", "ort"]),
    (Field::Provider, &["provider", "anbieter", "providername"]),
    (
        Field::Url,
        &["url", "provisioningurl", "provurl", "provisionierungsurl"],
    ),
    (
        Field::DigestUsername,
        &["digestusername", "digestuser", "username", "benutzername"],
    ),
    (
        Field::Notes,
        &[
            "notes",
            "note",
            "notiz",
            "notizen",
            "bemerkung",
            "comment",
            "kommentar",
        ],
    ),
];

/// The header spellings of a SIP account's fields, after `sipN` (or before a trailing `N`).
const SIP_FIELD_ALIASES: &[(SipField, &[&str])] = &[
    (
        SipField::User,
        &["user", "extension", "username", "login", "benutzer"],
    ),
    (
        SipField::AuthUser,
        &[
            "authuser",
            "authusername",
            "authname",
            "authid",
            "authentifizierung",
        ],
    ),
    (
        SipField::Password,
        &["password", "pass", "secret", "passwort", "kennwort"],
    ),
    (SipField::Registrar, &["registrar", "registrarserver"]),
    (SipField::Port, &["port", "registrarport"]),
    (SipField::Transport, &["transport", "protocol", "protokoll"]),
    (
        SipField::DisplayName,
        &["displayname", "name", "anzeigename"],
    ),
    (SipField::OutboundProxy, &["outboundproxy"]),
];

/// What a CSV column holds: a device field, or one field of one of the device's SIP accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Device(Field),
    Sip { index: u8, field: SipField },
}

/// The column order of a file without a header, which is also the order provdesk exports.
pub const HEADERLESS_ORDER: [Field; 6] = [
    Field::Mac,
    Field::MacId,
    Field::Model,
    Field::Site,
    Field::Provider,
    Field::Url,
];

fn fold_header(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.' | '/'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field a header names, if provdesk reads it.
pub fn header_field(header: &str) -> Option<Field> {
    let folded = fold_header(header);
    HEADER_ALIASES
        .iter()
        .find(|(_, aliases)| aliases.contains(&folded.as_str()))
        .map(|(field, _)| *field)
}

/// What a header names, if provdesk reads it: a device field, or `sipN_FIELD` /
/// `sip_FIELD_N` (the template variable's spelling) for account N from 1.
pub fn header_column(header: &str) -> Option<Column> {
    if let Some(field) = header_field(header) {
        return Some(Column::Device(field));
    }
    let folded = fold_header(header);
    let rest = folded.strip_prefix("sip")?;
    let (digits, name) = if rest.starts_with(|c: char| c.is_ascii_digit()) {
        let split = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        (&rest[..split], &rest[split..])
    } else {
        let split = rest.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        (&rest[split..], &rest[..split])
    };
    let index = digits.parse::<u8>().ok().filter(|&index| index > 0)?;
    SIP_FIELD_ALIASES
        .iter()
        .find(|(_, aliases)| aliases.contains(&name))
        .map(|&(field, _)| Column::Sip { index, field })
}

/// The notice for a header provdesk does not read; a SIP-looking one is told the spelling.
fn unread_column_notice(index: usize, name: &str) -> String {
    let name = name.trim();
    if fold_header(name).starts_with("sip") {
        format!(
            "column {} \"{name}\" is not read: name SIP columns sipN_FIELD with N from 1 and FIELD \
             one of user, auth_user, password, registrar, port, transport, display_name, \
             outbound_proxy (e.g. sip1_user)",
            index + 1
        )
    } else {
        format!("column {} \"{name}\" is not read", index + 1)
    }
}

/// Whether the file's first non-empty line is a table header with a MAC column and a
/// delimiter: a spreadsheet's export, whatever the file is called. Looks at the first few
/// kilobytes only.
pub(super) fn starts_with_header(bytes: &[u8]) -> bool {
    const SAMPLE: usize = 4_096;
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let text = decode_text(sample).text;
    let Some(first) = split_lines(&text).find(|l| !l.trim().is_empty()) else {
        return false;
    };
    let delimiter = char::from(detect_delimiter(first));
    first.contains(delimiter)
        && first
            .split(delimiter)
            .any(|cell| header_field(cell.trim().trim_matches('"')) == Some(Field::Mac))
}

/// Picks the delimiter that splits the first non-empty line most often, outside quotes.
fn detect_delimiter(text: &str) -> u8 {
    let first = split_lines(text)
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in first.bytes() {
        if c == QUOTE {
            quoted = !quoted;
        } else if !quoted {
            for (delimiter, count) in &mut counts {
                if c == *delimiter {
                    *count += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, count)| *count)
        .filter(|(_, count)| *count > 0)
        .map_or(b',', |(delimiter, _)| *delimiter)
}

/// The quote character of every CSV file read (the csv crate's default, said once here for
/// the reader and for [`unclosed_quote`]).
const QUOTE: u8 = b'"';

/// How many rows a label text can hold at most: one per line. Counted on the bytes before
/// they are decoded, which for UTF-16 counts each line end twice: still at most.
pub fn rows_at_most(bytes: &[u8]) -> usize {
    count_line_ends(bytes) + 1
}

/// Parses CSV bytes, rows and all.
pub fn parse_csv_source(name: &str, bytes: &[u8]) -> ParsedSource {
    // Sized once instead of regrown (and moved) as it fills.
    let mut rows = Vec::with_capacity(rows_at_most(bytes));
    let mut parsed = parse_csv_each(name, bytes, &mut |row| rows.push(row));
    parsed.rows = rows;
    parsed
}

/// Parses one CSV text, handing `each` every row as it is read (an import validates and
/// writes them meanwhile). Returns the source without rows: what was noticed on the way, and
/// the failures that refuse the whole file (a quote never closed, two columns for one field),
/// for which no row is handed on, since none could be read as the user meant it.
pub fn parse_csv_each(name: &str, bytes: &[u8], each: &mut dyn FnMut(RawRow)) -> ParsedSource {
    let file: Arc<str> = Arc::from(name);
    let decoded = decode_text(bytes);
    let mut parsed = ParsedSource {
        name: name.to_string(),
        ..ParsedSource::default()
    };
    if let Some(note) = decoded.note {
        parsed.notices.push(file_notice(&file, 1, note.into()));
        parsed.source_notices = 1;
    }
    let text = decoded.text;
    let delimiter = detect_delimiter(&text);
    if let Some(line) = unclosed_quote(text.as_bytes(), delimiter, QUOTE) {
        parsed.failures.push(file_failure(
            &file,
            line,
            None,
            String::new(),
            "a quote opened here is never closed; close it or remove it".into(),
        ));
        return parsed;
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quote(QUOTE)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());

    let mut layout: Option<Vec<Option<Column>>> = None;
    let mut rows = 0usize;
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(&text);
    loop {
        let line = lines.line_at(reader.position().byte() as usize);
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let message = format!("unreadable CSV: {error}");
                parsed
                    .notices
                    .push(file_notice(&file, line, message).skipping());
                break;
            }
        }
        let line = record
            .position()
            .map_or(line, |p| lines.line_at(p.byte() as usize));
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let layout = match &layout {
            Some(layout) => layout,
            None => match read_header(&file, line, &record, &mut parsed) {
                Header::Columns(columns) => {
                    layout = Some(columns);
                    continue;
                }
                Header::Data => layout.insert(
                    HEADERLESS_ORDER
                        .iter()
                        .map(|&field| Some(Column::Device(field)))
                        .collect(),
                ),
                Header::Refused(row) => {
                    each(*row);
                    return parsed;
                }
                Header::Duplicates => return parsed,
            },
        };
        let mut raw = raw_row(&file, line, &record, layout);
        if raw.draft.url.contains(MASK) {
            let message = "the URL's password was masked by an export, so this URL is not \
                           imported (a device already in the inventory keeps its own)";
            parsed
                .notices
                .push(file_notice(&file, line, message.into()));
            raw.draft.url.clear();
        }
        each(raw);
        rows += 1;
    }
    if rows == 0 {
        // A layout without rows is a header's: a first row of data is a row.
        let message = no_rows(layout.is_some(), &text).into();
        parsed.notices.push(file_notice(&file, 1, message));
    }
    parsed
}

/// The note for a file that gave no device row: an import of it adds nothing, which is
/// worth saying rather than a silent "0 added".
fn no_rows(header_read: bool, text: &str) -> &'static str {
    if header_read {
        "no device rows (only a header)"
    } else if text.trim().is_empty() {
        "the file is empty"
    } else {
        "no device rows (every row is blank)"
    }
}

/// What the first row that is not blank turned out to be.
enum Header {
    /// A header with a MAC column: the columns it names.
    Columns(Vec<Option<Column>>),
    /// No header: the first row is data, in [`HEADERLESS_ORDER`].
    Data,
    /// Header names but no MAC column: the file is refused on the row given.
    Refused(Box<RawRow>),
    /// Two columns for one field: the file is refused, each second column a failure.
    Duplicates,
}

/// Reads the first row that is not blank as a header, if it is one, noting the columns that
/// are not read.
fn read_header(
    file: &Arc<str>,
    line: usize,
    record: &csv::StringRecord,
    parsed: &mut ParsedSource,
) -> Header {
    let header: Vec<Option<Column>> = record.iter().map(header_column).collect();
    if header.contains(&Some(Column::Device(Field::Mac))) {
        for (index, name) in record.iter().enumerate() {
            if header[index].is_none() && !name.trim().is_empty() {
                let message = unread_column_notice(index, name);
                parsed.notices.push(file_notice(file, line, message));
            }
        }
        let before = parsed.failures.len();
        for (first, second) in duplicate_columns(&header) {
            let name = |index: usize| record.get(index).unwrap_or_default().trim();
            let reason = format!(
                "columns {} \"{}\" and {} \"{}\" are both read as {}: remove one of them, or \
                 rename it to a name provdesk does not read",
                first + 1,
                name(first),
                second + 1,
                name(second),
                column_label(header[second]),
            );
            let value = name(second).to_string();
            let failure = file_failure(file, line, Some(second + 1), value, reason);
            parsed.failures.push(failure);
        }
        if parsed.failures.len() > before {
            return Header::Duplicates;
        }
        return Header::Columns(header);
    }
    // Header names but none for the MAC: nothing can be matched to a device. A first row
    // with no known header name is data (a typo in its MAC is that row's error).
    if header.iter().any(Option::is_some) {
        let message = "no MAC column: name one \"MAC\" (or \"MAC-Adresse\"), or put MACs in \
                       the first column";
        parsed.notices.push(file_notice(file, line, message.into()));
        return Header::Refused(Box::new(first_cell_row(file, line, record)));
    }
    Header::Data
}

/// Every column that names the same field as a column before it, with that first column
/// (0-based): the csv rows would silently keep the last one's value.
fn duplicate_columns(header: &[Option<Column>]) -> Vec<(usize, usize)> {
    header
        .iter()
        .enumerate()
        .filter_map(|(second, column)| {
            let column = (*column)?;
            let first = header.iter().position(|other| *other == Some(column))?;
            (first < second).then_some((first, second))
        })
        .collect()
}

/// What a column holds, as a refusal names it.
fn column_label(column: Option<Column>) -> String {
    match column {
        Some(Column::Device(field)) => field.label().to_string(),
        Some(Column::Sip { index, field }) => format!("SIP account {index} {}", field.label()),
        None => String::new(),
    }
}

/// A note on `line` of the file.
pub(super) fn file_notice(file: &Arc<str>, line: usize, message: String) -> Notice {
    let source = SourceRef {
        file: file.clone(),
        line,
    };
    Notice::new(source, message)
}

/// A problem that refuses the whole file, at `line` (and `column`), quoting `value`.
fn file_failure(
    file: &Arc<str>,
    line: usize,
    column: Option<usize>,
    value: String,
    reason: String,
) -> ImportRow {
    ImportRow {
        source: SourceRef {
            file: file.clone(),
            line,
        },
        outcome: Err(vec![RowProblem {
            field: None,
            column,
            value,
            reason,
            row_mac: String::new(),
        }]),
        warnings: Vec::new(),
        written: None,
    }
}

/// The row of a file refused for its header: its first cell taken as the MAC, so that the
/// row's problem points at line and column.
fn first_cell_row(file: &Arc<str>, line: usize, record: &csv::StringRecord) -> RawRow {
    RawRow {
        source: SourceRef {
            file: file.clone(),
            line,
        },
        draft: crate::device::DeviceDraft {
            mac: record.get(0).unwrap_or_default().trim().to_string(),
            ..Default::default()
        },
        columns: FieldColumns::of(Field::Mac, 1),
        ..RawRow::default()
    }
}

/// 1-based line numbers from byte offsets, counted forward only once. The csv crate's own line
/// count lags by one after a CRLF and counts no lone CR, so it is not used.
struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    /// The line a record starting at `offset` is on; line breaks before its first character
    /// belong to the previous record.
    fn line_at(&mut self, offset: usize) -> usize {
        let mut start = offset.min(self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > self.byte {
            // `start` is never between a CR and its LF: both were skipped above.
            self.line += count_line_ends(&self.text[self.byte..start]);
            self.byte = start;
        }
        self.line
    }
}

fn raw_row(
    file: &Arc<str>,
    line: usize,
    record: &csv::StringRecord,
    layout: &[Option<Column>],
) -> RawRow {
    let mut raw = RawRow {
        source: SourceRef {
            file: file.clone(),
            line,
        },
        ..RawRow::default()
    };
    for (index, value) in record.iter().enumerate() {
        match layout.get(index) {
            Some(Some(Column::Device(field))) => {
                raw.columns.insert(*field, index + 1);
                *raw.draft.field_mut(*field) = from_spreadsheet(value.trim()).to_string();
            }
            Some(Some(Column::Sip {
                index: account,
                field,
            })) => {
                raw.sip_columns.insert((*account, *field), index + 1);
                let draft = raw.sip_accounts.entry(*account).or_default();
                if let Some(text) = draft.field_mut(*field) {
                    *text = from_spreadsheet(value.trim()).to_string();
                }
            }
            _ => {}
        }
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_csv(name: &str, bytes: &[u8]) -> (Vec<RawRow>, Vec<Notice>) {
        let parsed = parse_csv_source(name, bytes);
        assert!(parsed.failures.is_empty(), "{:?}", parsed.failures);
        (parsed.rows, parsed.notices)
    }

    #[test]
    fn headers_in_english_and_german_any_case_and_spacing() {
        assert_eq!(header_field("MAC address"), Some(Field::Mac));
        assert_eq!(header_field("MAC-Adresse"), Some(Field::Mac));
        assert_eq!(header_field(" mac_id "), Some(Field::MacId));
        assert_eq!(header_field("MAC-ID"), Some(Field::MacId));
        assert_eq!(header_field("Modell"), Some(Field::Model));
        assert_eq!(header_field("Standort"), Some(Field::Site));
        assert_eq!(header_field("Provider"), Some(Field::Provider));
        assert_eq!(header_field("URL"), Some(Field::Url));
        assert_eq!(header_field("Room"), None);
    }

    #[test]
    fn sip_headers_name_an_account_and_a_field_in_either_order() {
        let sip = |index, field| Some(Column::Sip { index, field });
        assert_eq!(header_column("sip1_user"), sip(1, SipField::User));
        assert_eq!(header_column("SIP 2 Password"), sip(2, SipField::Password));
        assert_eq!(header_column("sip_auth_user_3"), sip(3, SipField::AuthUser));
        assert_eq!(
            header_column("SIP12-Outbound-Proxy"),
            sip(12, SipField::OutboundProxy)
        );
        assert_eq!(header_column("MAC"), Some(Column::Device(Field::Mac)));
        assert_eq!(header_column("sip0_user"), None, "accounts count from 1");
        assert_eq!(header_column("sip256_user"), None);
        assert_eq!(header_column("sip1"), None);
        assert_eq!(header_column("sip_user"), None, "no account number");
        assert!(unread_column_notice(1, "sip0_user").contains("sipN_FIELD"));
        assert_eq!(
            unread_column_notice(1, "Room"),
            "column 2 \"Room\" is not read"
        );
    }

    #[test]
    fn a_text_file_with_a_table_header_is_read_as_a_table() {
        use crate::labels::SourceKind;
        let excel_unicode_text: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "MAC\tMAC-ID\tSite\r\n7C2F80A1B200\t7C2F80A1B200-483A\tAdler\r\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert_eq!(
            SourceKind::detect("labels.txt", &excel_unicode_text),
            SourceKind::Csv
        );
        let parsed = parse_csv_source("labels.txt", &excel_unicode_text);
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].draft.site, "Adler");
        assert_eq!(parsed.rows[0].draft.mac_id, "7C2F80A1B200-483A");
        for scanned in ["MAC:7C2F80AAAB70\n", "7C2F80AAAB70, 7C2F80AAAB71\n", ""] {
            assert_eq!(
                SourceKind::detect("scan.txt", scanned.as_bytes()),
                SourceKind::Text,
                "{scanned:?}"
            );
        }
    }

    #[test]
    fn delimiters_are_detected_outside_quotes() {
        assert_eq!(detect_delimiter("mac;model\n"), b';');
        assert_eq!(detect_delimiter("mac\tmodel\n"), b'\t');
        assert_eq!(detect_delimiter("\"a;b;c\",d\n"), b',');
        assert_eq!(detect_delimiter("mac\n"), b',');
    }

    #[test]
    fn bom_crlf_semicolons_and_quotes() {
        let text = "\u{feff}MAC-Adresse;MAC-ID;Modell;Standort\r\n\"7C:2F:80:82:0E:C0\";7C2F80820EC0-55DF;N510;\"Hotel; Adler\"\r\n";
        let (rows, notices) = parse_csv("a.csv", text.as_bytes());
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].source.line, 2);
        assert_eq!(rows[0].draft.mac, "7C:2F:80:82:0E:C0");
        assert_eq!(rows[0].draft.site, "Hotel; Adler");
        assert_eq!(rows[0].columns.get(Field::MacId), Some(2));
    }

    #[test]
    fn a_file_without_header_needs_macs_in_the_first_column() {
        let (rows, _) = parse_csv("b.csv", b"7c2f80820ec0,7C2F80820EC0-55DF\n7c2f80820ec1\n");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].source.line, 1);
        assert_eq!(rows[0].draft.mac_id, "7C2F80820EC0-55DF");
        let (rows, notices) = parse_csv("c.csv", b"Modell,Standort\nN510,Lobby\n");
        assert_eq!(rows.len(), 1, "the file is refused on its first row");
        assert!(notices[0].message.contains("no MAC column"));
        let (rows, _) = parse_csv("d.csv", b"7C2F80820EG0,x\n7C2F80820EC1\n");
        assert_eq!(rows.len(), 2, "a typo in line 1 does not hide the rest");
        assert_eq!(rows[0].draft.mac, "7C2F80820EG0");
        assert_eq!(rows[1].source.line, 2);
    }

    #[test]
    fn windows_1252_files_are_read() {
        let bytes = b"\xEF\xBB\xBFmac;standort;notiz\n7C2F80820EC0;M\xfcnchen;\x84Flur\x93 \x80\n";
        let (rows, notices) = parse_csv("d.csv", bytes);
        assert_eq!(rows.len(), 1, "the BOM does not hide the MAC header");
        assert_eq!(rows[0].draft.site, "München");
        assert_eq!(rows[0].draft.notes, "„Flur“ €");
        assert!(notices[0].message.contains("Windows-1252"));
    }
    #[test]
    fn a_quote_never_closed_refuses_the_file_at_its_line() {
        let text = b"MAC,Notes\n7C2F80AAAC00,ok\n7C2F80AAAC01,\"unclosed\n7C2F80AAAC02,x\n";
        let parsed = parse_csv_source("u.csv", text);
        assert!(
            parsed.rows.is_empty(),
            "no row is read as meant: {:?}",
            parsed.rows
        );
        let failure = &parsed.failures[0];
        assert_eq!(failure.source.to_string(), "u.csv:3");
        let reason = &failure.outcome.as_ref().unwrap_err()[0].reason;
        assert_eq!(
            reason,
            "a quote opened here is never closed; close it or remove it"
        );
        let (rows, _) = parse_csv("ok.csv", b"MAC;Notes\r7C2F80AAAC01;\"a;\r\"\"b\"\"\"\r");
        assert_eq!(rows[0].draft.notes, "a;\r\"b\"", "a closed quote is read");
    }

    #[test]
    fn two_columns_for_one_field_refuse_the_file_naming_both() {
        let parsed = parse_csv_source("d.csv", b"MAC,MAC,Model\n7C2F80AAAC01,7C2F80AAAC02,N510\n");
        assert!(parsed.rows.is_empty());
        let failure = &parsed.failures[0];
        assert_eq!(failure.source.to_string(), "d.csv:1");
        let problem = &failure.outcome.as_ref().unwrap_err()[0];
        assert_eq!(problem.column, Some(2));
        assert_eq!(
            problem.reason,
            "columns 1 \"MAC\" and 2 \"MAC\" are both read as MAC: remove one of them, or \
             rename it to a name provdesk does not read"
        );
        let header = b"Site,MAC,sip1_user,Standort,SIP 1 User\n7C2F80AAAC01,a,b,c,d\n";
        let parsed = parse_csv_source("s.csv", header);
        let reasons: Vec<(String, Option<usize>, &str)> = parsed
            .failures
            .iter()
            .map(|f| {
                let problem = &f.outcome.as_ref().unwrap_err()[0];
                (
                    f.source.to_string(),
                    problem.column,
                    problem.reason.as_str(),
                )
            })
            .collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert_eq!((reasons[0].0.as_str(), reasons[0].1), ("s.csv:1", Some(4)));
        assert!(
            reasons[0]
                .2
                .starts_with("columns 1 \"Site\" and 4 \"Standort\" are both read as Site")
        );
        assert_eq!((reasons[1].0.as_str(), reasons[1].1), ("s.csv:1", Some(5)));
        assert!(
            reasons[1].2.contains(
                "3 \"sip1_user\" and 5 \"SIP 1 User\" are both read as SIP account 1 user"
            )
        );
    }

    #[test]
    fn a_file_without_device_rows_is_noted() {
        let note = |bytes: &[u8]| {
            let (rows, notices) = parse_csv("e.csv", bytes);
            assert!(rows.is_empty());
            notices.iter().map(ToString::to_string).collect::<Vec<_>>()
        };
        assert_eq!(note(b""), ["e.csv:1: the file is empty"]);
        assert_eq!(note(b"\xEF\xBB\xBF\r\n"), ["e.csv:1: the file is empty"]);
        assert_eq!(
            note(b";;\n;\n"),
            ["e.csv:1: no device rows (every row is blank)"]
        );
        assert_eq!(
            note(b"MAC,Model\r\n,\r\n"),
            ["e.csv:1: no device rows (only a header)"]
        );
        let (_, notices) = parse_csv("one.csv", b"MAC\n7C2F80AAAC01\n");
        assert!(notices.is_empty(), "{notices:?}");
    }

    #[test]
    fn lines_end_with_lf_crlf_or_a_lone_cr() {
        for end in ["\n", "\r\n", "\r"] {
            let text = [
                "MAC,Notes",
                "7C2F80AAAC01,\"a",
                "b\"",
                "",
                "7C2F80AAAC02,c",
                "",
            ]
            .join(end);
            let (rows, _) = parse_csv("l.csv", text.as_bytes());
            let lines: Vec<usize> = rows.iter().map(|row| row.source.line).collect();
            assert_eq!(lines, [2, 5], "{end:?}");
            assert_eq!(rows[0].draft.notes, format!("a{end}b"));
        }
        assert_eq!(detect_delimiter("MAC;Notes\r7C2F80AAAC01;a,b,c\r"), b';');
        assert_eq!(rows_at_most(b"a\rb\r\nc\nd"), 4);
    }
}
