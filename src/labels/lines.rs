//! Line ends as label files have them: `\n` (Unix), `\r\n` (Windows) and a lone `\r` (what
//! many barcode scanners send after each code, and old Mac exports). `str::lines` knows only
//! the first two, so a file of scanner codes ended by `\r` read as one line; every parser of
//! label text splits and counts lines here instead, so that line numbers agree everywhere.

/// The lines of `text`, each without its line end; a line end at the very end starts no
/// further line (as `str::lines`).
pub(super) fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
        let (line, after) = rest.split_at(end);
        let skip = if after.starts_with("\r\n") {
            2
        } else {
            after.len().min(1)
        };
        rest = &after[skip..];
        Some(line)
    })
}

/// How many line ends `bytes` holds: each `\n`, and each `\r` not followed by `\n` (a `\r\n`
/// counts once).
pub(super) fn count_line_ends(bytes: &[u8]) -> usize {
    (0..bytes.len())
        .filter(|&index| ends_line(bytes, index))
        .count()
}

/// Whether the byte at `index` ends a line (see [`count_line_ends`]).
pub(super) fn ends_line(bytes: &[u8], index: usize) -> bool {
    match bytes.get(index) {
        Some(b'\n') => true,
        Some(b'\r') => bytes.get(index + 1) != Some(&b'\n'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lf_crlf_and_a_lone_cr_each_end_a_line() {
        let lines = |text| split_lines(text).collect::<Vec<_>>();
        assert_eq!(lines("a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(lines("a\r\r\nb\n\r"), ["a", "", "b", ""]);
        assert_eq!(lines("a\n"), ["a"]);
        assert!(lines("").is_empty());
        assert_eq!(count_line_ends(b"a\nb\r\nc\rd\r"), 4);
        assert_eq!(count_line_ends(b"\r\n\n\r"), 3);
        assert!(ends_line(b"\r", 0) && !ends_line(b"\r\n", 0) && ends_line(b"\r\n", 1));
    }
}
