//! How far a long command is, on standard error, the one place every subcommand reports it:
//! a bar with the rate and the time left when standard error is a terminal (indicatif), at
//! most one plain line per second when it is not (a log, a pipe, CI), nothing with `--quiet`.
//! Standard output keeps only the command's report, so scripts read it unchanged.

use std::fmt;
use std::io::{IsTerminal as _, Write};
use std::time::{Duration, Instant};

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// The least time between two plain lines.
const LINE_EVERY: Duration = Duration::from_secs(1);

/// A progress reporter for one command.
pub struct Progress {
    mode: Mode,
}

enum Mode {
    Quiet,
    Bar(Bar),
    Lines(Lines),
}

/// The bar of the current stage, made anew for each stage so that its first drawing already
/// shows the stage's name and length (not the last stage's).
struct Bar {
    current: Option<ProgressBar>,
    style: ProgressStyle,
    target: fn() -> ProgressDrawTarget,
}

impl Bar {
    fn show(&mut self, stage: &str, done: usize, total: usize) {
        let same_stage = self
            .current
            .as_ref()
            .is_some_and(|bar| bar.message() == stage);
        if !same_stage {
            if let Some(old) = self.current.take() {
                old.finish_and_clear();
            }
            let bar = ProgressBar::with_draw_target(Some(total as u64), (self.target)())
                .with_style(self.style.clone())
                .with_message(stage.to_string());
            self.current = Some(bar);
        }
        if let Some(bar) = &self.current {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.current {
            bar.finish_and_clear();
        }
    }
}

impl Progress {
    /// The reporter standard error asks for: a bar on a terminal, plain lines elsewhere,
    /// nothing when `quiet`.
    pub fn new(quiet: bool) -> Self {
        if quiet {
            return Self { mode: Mode::Quiet };
        }
        if std::io::stderr().is_terminal() {
            return Self::bar(ProgressDrawTarget::stderr);
        }
        Self::lines(Box::new(std::io::stderr()))
    }

    fn bar(target: fn() -> ProgressDrawTarget) -> Self {
        let style = ProgressStyle::with_template(
            "{msg} [{bar:30}] {human_pos}/{human_len} · {rate} · {eta} left",
        )
        .expect("the template is valid")
        .with_key("rate", |state: &ProgressState, out: &mut dyn fmt::Write| {
            // indicatif's own `per_sec` shows four decimals ("102,918.3963/s").
            let _ = write!(out, "{}/s", HumanCount(state.per_sec() as u64));
        })
        .progress_chars("=> ");
        Self {
            mode: Mode::Bar(Bar {
                current: None,
                style,
                target,
            }),
        }
    }

    /// Plain lines into `out`, at most one per second.
    fn lines(out: Box<dyn Write + Send>) -> Self {
        Self {
            mode: Mode::Lines(Lines {
                out,
                stage: String::new(),
                started: Instant::now(),
                last: None,
            }),
        }
    }

    /// `done` of `total` of `stage` are done.
    pub fn show(&mut self, stage: &str, done: usize, total: usize) {
        match &mut self.mode {
            Mode::Quiet => {}
            Mode::Bar(bar) => bar.show(stage, done, total),
            Mode::Lines(lines) => lines.show(stage, done, total, Instant::now()),
        }
    }

    /// Removes the bar, so the report that follows starts on a clean line.
    pub fn finish(&self) {
        if let Mode::Bar(bar) = &self.mode {
            bar.finish();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The plain-line reporter: one line per second at most.
struct Lines {
    out: Box<dyn Write + Send>,
    stage: String,
    started: Instant,
    last: Option<Instant>,
}

impl Lines {
    fn show(&mut self, stage: &str, done: usize, total: usize, now: Instant) {
        if stage != self.stage {
            self.stage = stage.to_string();
            self.started = now;
        }
        if self
            .last
            .is_some_and(|last| now.duration_since(last) < LINE_EVERY)
        {
            return;
        }
        self.last = Some(now);
        let line = line(stage, done, total, now.duration_since(self.started));
        // A closed standard error loses the progress, never the command.
        let _ = writeln!(self.out, "provdesk: {line}");
    }
}

/// `Importing… 40000/100000 (20000/s, 3 s left)`; the rate and time left once known.
fn line(stage: &str, done: usize, total: usize, elapsed: Duration) -> String {
    let seconds = elapsed.as_secs_f64();
    if done == 0 || seconds < 0.05 || done >= total {
        return format!("{stage} {done}/{total}");
    }
    let rate = done as f64 / seconds;
    let left = (total - done) as f64 / rate;
    format!("{stage} {done}/{total} ({rate:.0}/s, {left:.0} s left)")
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A writer whose text the test reads afterwards.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn plain_lines_come_at_most_once_a_second() {
        let out = Shared::default();
        let mut lines = Lines {
            out: Box::new(out.clone()),
            stage: String::new(),
            started: Instant::now(),
            last: None,
        };
        let start = Instant::now();
        for done in 0..100 {
            lines.show(
                "Importing…",
                done,
                100,
                start + Duration::from_millis(done as u64 * 15),
            );
        }
        lines.show("Importing…", 100, 100, start + Duration::from_millis(1600));
        lines.show("Writing…", 1, 5, start + Duration::from_millis(2100));
        lines.show("Writing…", 2, 5, start + Duration::from_millis(2200));
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let printed: Vec<&str> = text.lines().collect();
        assert_eq!(
            printed,
            vec![
                "provdesk: Importing… 0/100",
                "provdesk: Importing… 67/100 (67/s, 0 s left)",
                "provdesk: Writing… 1/5",
            ]
        );
    }

    #[test]
    fn a_line_tells_the_rate_and_the_time_left() {
        assert_eq!(
            line("Syncing…", 2500, 10_000, Duration::from_secs(1)),
            "Syncing… 2500/10000 (2500/s, 3 s left)"
        );
        assert_eq!(line("Syncing…", 0, 10, Duration::ZERO), "Syncing… 0/10");
    }

    #[test]
    fn quiet_shows_nothing_and_a_bar_off_screen_does_not_fail() {
        let mut quiet = Progress::new(true);
        quiet.show("Importing…", 1, 2);
        let mut bar = Progress::bar(ProgressDrawTarget::hidden);
        bar.show("Importing…", 1, 2);
        bar.show("Writing…", 2, 2);
        bar.finish();
    }

    /// What the bar draws, as a terminal would show it.
    static DRAWN: Mutex<Vec<String>> = Mutex::new(Vec::new());

    #[derive(Debug)]
    struct Screen;

    impl indicatif::TermLike for Screen {
        fn width(&self) -> u16 {
            120
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, line: &str) -> std::io::Result<()> {
            self.write_str(line)
        }
        fn write_str(&self, text: &str) -> std::io::Result<()> {
            if !text.trim().is_empty() {
                DRAWN.lock().unwrap().push(text.to_string());
            }
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Each stage's bar is drawn with its own name and length from its first drawing, and
    /// the rate is a whole number.
    #[test]
    fn a_bar_shows_its_stage_and_a_whole_rate() {
        let mut bar = Progress::bar(|| ProgressDrawTarget::term_like(Box::new(Screen)));
        bar.show("Reading the label files…", 0, 1);
        bar.show("Importing…", 0, 100_000);
        std::thread::sleep(Duration::from_millis(100));
        bar.show("Importing…", 50_000, 100_000);
        bar.finish();
        let drawn = DRAWN.lock().unwrap().clone();
        assert!(
            drawn[0].starts_with("Reading the label files… ["),
            "{drawn:?}"
        );
        let importing: Vec<&String> = drawn
            .iter()
            .filter(|d| d.starts_with("Importing"))
            .collect();
        assert!(
            importing.iter().all(|line| line.contains("/100,000")),
            "{drawn:?}"
        );
        let last = importing.last().expect("the import was drawn");
        assert!(last.contains("50,000/100,000"), "{last}");
        let rate = last.split(" · ").nth(1).expect("a rate");
        assert!(
            rate.ends_with("/s") && !rate.contains('.'),
            "a whole rate: {rate}"
        );
    }
}
