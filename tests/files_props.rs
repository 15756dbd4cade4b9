//! Names and bytes from outside (a device's URL typed or imported, a file dropped on Import)
//! never turn into a file provdesk must not write, nor into a quote of an inventory's pages.

use crate::support::templates;

use proptest::prelude::*;
use provdesk::device::ConfigFormat;
use provdesk::ops::labels::read_label_file;
use provdesk::templates::file_name_for;

/// Pieces a URL's last segment is made of, hostile ones among them.
fn segment_pieces() -> Vec<&'static str> {
    vec![
        ".",
        "..",
        "/",
        "\\",
        "%2F",
        "%2f",
        "%5C",
        "%2E",
        "%2e",
        "%00",
        "%",
        "htaccess",
        "htdigest",
        "inventory.sqlite3",
        "%MACD",
        ".xml",
        "a",
        "\u{e9}",
        "?",
        "#",
        " ",
    ]
}

proptest! {
    /// Whatever the URL ends with, the name written in --out is a plain, visible file name:
    /// no folder part, no `..`, and no hidden file such as `.htaccess`.
    #[test]
    fn a_rendered_file_name_is_plain_and_visible(
        pieces in proptest::collection::vec(proptest::sample::select(segment_pieces()), 1..6)
    ) {
        let mut device = templates::device("N510");
        device.url = Some(format!("https://prov.example.com/cfg/{}", pieces.concat()));
        if let Ok(name) = file_name_for(&device, ConfigFormat::ProviderFrame) {
            prop_assert!(!name.is_empty());
            prop_assert!(!name.starts_with('.'), "{name}");
            prop_assert!(!name.contains(['/', '\\', '\0']), "{name}");
        }
    }

    /// A file that starts as an SQLite database is refused in the same words whatever its
    /// pages hold: none of them (a MAC password, a digest password) is quoted.
    #[test]
    fn a_database_is_refused_without_quoting_its_pages(pages in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("backup.csv");
        let mut bytes = b"SQLite format 3\0".to_vec();
        bytes.extend_from_slice(&pages);
        std::fs::write(&path, &bytes).unwrap();
        let error = read_label_file(&path).unwrap_err();
        prop_assert_eq!(
            error.reason,
            "it is an SQLite database (an inventory, or a backup of one), not a label file; to take its devices over, export them from it (provdesk --db FILE export --csv devices.csv) and import that"
        );
    }
}
