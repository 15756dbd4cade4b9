//! CSV exports from spreadsheets and other tools: any of `,` `;` tab, a UTF-8 BOM, CRLF,
//! quoted fields, English or German headers, or no header when the first column holds MACs.
//! SIP accounts come in `sipN_FIELD` columns (`sip1_user`, `sip2_password`…).

use std::sync::Arc;

use crate::device::{Field, SipField};
use crate::secret::MASK;

use super::batch::{FieldColumns, Notice, RawRow, SourceRef};

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

/// Picks the delimiter that splits the first non-empty line most often, outside quotes.
fn detect_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in first.bytes() {
        if c == b'"' {
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

/// Decodes bytes as UTF-8, or as Windows-1252 when they are not (what Excel writes in
/// German locales), dropping a BOM. The flag says whether the fallback was used.
pub fn decode_text(bytes: &[u8]) -> (String, bool) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), false),
        Err(_) => (
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
            true,
        ),
    }
}

/// How many rows a label text can hold at most: one per line.
pub fn rows_at_most(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count() + 1
}

/// The parsed rows of one CSV text, and what was noticed on the way.
pub fn parse_csv(name: &str, bytes: &[u8]) -> (Vec<RawRow>, Vec<Notice>) {
    // Sized once instead of regrown (and moved) as it fills.
    let mut rows = Vec::with_capacity(rows_at_most(bytes));
    let notices = parse_csv_each(name, bytes, &mut |row| rows.push(row));
    (rows, notices)
}

/// Parses one CSV text, handing `each` every row as it is read (an import validates and
/// writes them meanwhile); returns what was noticed on the way.
pub fn parse_csv_each(name: &str, bytes: &[u8], each: &mut dyn FnMut(RawRow)) -> Vec<Notice> {
    let file: Arc<str> = Arc::from(name);
    let (text, latin1) = decode_text(bytes);
    let mut notices = Vec::new();
    let notice = |line: usize, message: String| Notice {
        source: SourceRef {
            file: file.clone(),
            line,
            column: None,
        },
        message,
    };
    if latin1 {
        notices.push(notice(
            1,
            "the file is not UTF-8; read as Windows-1252 (check umlauts in site names)".into(),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(&text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());

    let mut columns: Option<Vec<Option<Column>>> = None;
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(&text);
    loop {
        let line = lines.line_at(reader.position().byte() as usize);
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                notices.push(notice(line, format!("unreadable CSV: {error}")));
                break;
            }
        }
        let line = record
            .position()
            .map_or(line, |p| lines.line_at(p.byte() as usize));
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let layout = match &columns {
            Some(layout) => layout,
            None => {
                let header: Vec<Option<Column>> = record.iter().map(header_column).collect();
                if header.contains(&Some(Column::Device(Field::Mac))) {
                    for (index, name) in record.iter().enumerate() {
                        if header[index].is_none() && !name.trim().is_empty() {
                            notices.push(notice(line, unread_column_notice(index, name)));
                        }
                    }
                    columns = Some(header);
                    continue;
                }
                // Header names but none for the MAC: nothing can be matched to a device. A first
                // row with no known header name is data (a typo in its MAC is that row's error).
                if header.iter().any(Option::is_some) {
                    notices.push(notice(
                        line,
                        "no MAC column: name one \"MAC\" (or \"MAC-Adresse\"), or put MACs in the first column".into(),
                    ));
                    each(first_cell_row(&file, line, &record));
                    return notices;
                }
                columns.insert(
                    HEADERLESS_ORDER
                        .iter()
                        .map(|&field| Some(Column::Device(field)))
                        .collect(),
                )
            }
        };
        let mut raw = raw_row(&file, line, &record, layout);
        if raw.draft.url.contains(MASK) {
            notices.push(notice(
                line,
                "the URL's password was masked by an export, so this URL is not imported \
                 (a device already in the inventory keeps its own)"
                    .into(),
            ));
            raw.draft.url.clear();
        }
        each(raw);
    }
    notices
}

/// The row of a file refused for its header: its first cell taken as the MAC, so that the
/// row's problem points at line and column.
fn first_cell_row(file: &Arc<str>, line: usize, record: &csv::StringRecord) -> RawRow {
    RawRow {
        source: SourceRef {
            file: file.clone(),
            line,
            column: Some(1),
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
/// count lags by one after a CRLF, so it is not used.
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
            self.line += self.text[self.byte..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
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
            column: None,
        },
        ..RawRow::default()
    };
    for (index, value) in record.iter().enumerate() {
        match layout.get(index) {
            Some(Some(Column::Device(field))) => {
                raw.columns.insert(*field, index + 1);
                *raw.draft.field_mut(*field) = value.trim().to_string();
            }
            Some(Some(Column::Sip {
                index: account,
                field,
            })) => {
                raw.sip_columns.insert((*account, *field), index + 1);
                let draft = raw.sip_accounts.entry(*account).or_default();
                if let Some(text) = draft.field_mut(*field) {
                    *text = value.trim().to_string();
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
}
