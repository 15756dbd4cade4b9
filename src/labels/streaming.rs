//! The command line's import: label files parsed and validated on a thread of their own, the
//! rows handed on in chunks while the inventory writes the ones before.

use super::batch::{Duplicates, make_notice_printable, make_row_printable};
use super::{
    BatchDefaults, ImportBatch, ImportRow, LabelFile, Notice, RawRow, parse_file_streaming,
    validate_raw,
};

impl ImportBatch {
    /// Parses and validates `files` as [`parse_file`](super::parse_file) and
    /// [`Self::from_sources`] do, on a thread of its own, and hands `each` every chunk of rows
    /// in order as soon as it is validated (duplicates marked across the chunks before it),
    /// so that an import writes the inventory while later rows are still being read. Returns
    /// the whole batch, as `from_sources` would.
    pub fn parse_streaming(
        files: &[LabelFile],
        defaults: &BatchDefaults,
        each: &mut dyn FnMut(&[ImportRow]),
    ) -> Self {
        let mut batch = ImportBatch {
            sources: files.iter().map(|file| file.name.clone()).collect(),
            ..ImportBatch::default()
        };
        std::thread::scope(|scope| {
            let (sender, parsed) = std::sync::mpsc::sync_channel(STREAM_CHUNKS_AHEAD);
            scope.spawn(move || {
                let mut validator = ChunkValidator {
                    defaults,
                    duplicates: Duplicates::default(),
                    sender,
                };
                for file in files {
                    let mut chunk = Vec::with_capacity(STREAM_CHUNK);
                    let source = parse_file_streaming(&file.name, &file.bytes, &mut |raw| {
                        chunk.push(raw);
                        if chunk.len() == STREAM_CHUNK {
                            validator.send_rows(&chunk);
                            chunk.clear();
                        }
                    });
                    validator.send_rows(&chunk);
                    validator.send(Streamed::Rows(source.failures));
                    for part in source.rows.chunks(STREAM_CHUNK) {
                        validator.send_rows(part);
                    }
                    validator.send(Streamed::Notices(source.notices));
                }
            });
            for message in parsed {
                match message {
                    Streamed::Rows(rows) => {
                        each(&rows);
                        batch.rows.extend(rows);
                    }
                    Streamed::Notices(notices) => batch.notices.extend(notices),
                }
            }
        });
        batch
    }
}

/// What the parsing thread of [`ImportBatch::parse_streaming`] hands on: validated rows, and
/// a file's notices once it is read.
enum Streamed {
    Rows(Vec<ImportRow>),
    Notices(Vec<Notice>),
}

/// The parsing thread's side of [`ImportBatch::parse_streaming`]: validates each chunk of
/// parsed rows, marks duplicates and makes what is quoted printable, then sends it on.
struct ChunkValidator<'d> {
    defaults: &'d BatchDefaults,
    duplicates: Duplicates,
    sender: std::sync::mpsc::SyncSender<Streamed>,
}

impl ChunkValidator<'_> {
    fn send_rows(&mut self, raw: &[RawRow]) {
        let rows = raw
            .iter()
            .map(|raw| validate_raw(raw, self.defaults))
            .collect();
        self.send(Streamed::Rows(rows));
    }

    fn send(&mut self, mut message: Streamed) {
        match &mut message {
            Streamed::Rows(rows) if rows.is_empty() => return,
            Streamed::Rows(rows) => {
                self.duplicates.mark(rows);
                rows.iter_mut().for_each(make_row_printable);
            }
            Streamed::Notices(notices) => notices.iter_mut().for_each(make_notice_printable),
        }
        // The receiver reads every message until this sender is dropped.
        let _ = self.sender.send(message);
    }
}

/// Rows per chunk of [`ImportBatch::parse_streaming`]: a few milliseconds of validation,
/// small beside the time the inventory takes to write them.
const STREAM_CHUNK: usize = 2_048;
/// Validated chunks that may wait for the writer: enough to keep it busy, while memory stays
/// that of the batch.
const STREAM_CHUNKS_AHEAD: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::parse_csv_source;

    /// Streaming hands on chunks of a few thousand rows: duplicates are still found across
    /// them (MACs first seen chunks earlier), and the batch it ends with is the
    /// one the preview's path builds.
    #[test]
    fn streaming_finds_duplicates_across_chunks_and_ends_with_the_preview_batch() {
        let mut csv = String::from("MAC,MAC-ID,URL\n");
        for n in 0..(3 * STREAM_CHUNK as u32) {
            csv.push_str(&format!(
                "7C2F80{n:06X},7C2F80{n:06X}-{:04X},\n",
                n % 0x1_0000
            ));
        }
        csv.push_str("7C2F8000000A,,\n");
        csv.push_str("7C2F80001000,,\n");
        csv.push_str(&format!(
            "7C2F80FFFFFE,,http://admin:{}@p.example/\n",
            crate::secret::MASK
        ));
        let files = [LabelFile {
            name: "big.csv".into(),
            bytes: csv.into_bytes(),
        }];
        let mut chunks = Vec::new();
        let streamed =
            ImportBatch::parse_streaming(&files, &BatchDefaults::default(), &mut |rows| {
                chunks.push(rows.len())
            });
        assert!(chunks.len() > 3, "handed on in chunks: {chunks:?}");
        let problems: Vec<String> = streamed.invalid().map(|(_, p)| p.reason.clone()).collect();
        assert_eq!(
            problems,
            [
                "MAC appears twice in the import; first at big.csv:12",
                "MAC appears twice in the import; first at big.csv:4098",
            ]
        );
        assert_eq!(streamed.notices.len(), 1, "{:?}", streamed.notices);
        let whole = ImportBatch::from_sources(
            &[parse_csv_source("big.csv", &files[0].bytes)],
            &BatchDefaults::default(),
        );
        assert_eq!(streamed, whole);
    }
}
