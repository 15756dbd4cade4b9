//! The status bar's state: the inventory file, counts, and the last message with its age, so
//! that an old message (a device saved minutes ago, on another panel) is not read as news.

use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Info,
    Error,
}

/// How long a message reads as news; after that an info message is shown dimmed.
pub const FRESH_FOR: Duration = Duration::from_secs(10);

/// From this age on, the message says how old it is.
const AGED_AFTER: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub severity: Severity,
    pub text: String,
    pub at: Instant,
}

impl Message {
    /// Whether the message is still news at `now`.
    pub fn fresh(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.at) < FRESH_FOR
    }

    /// The text as the bar shows it at `now`: from a minute on, with its age in minutes.
    pub fn shown(&self, now: Instant) -> String {
        let age = now.saturating_duration_since(self.at);
        if age < AGED_AFTER {
            return self.text.clone();
        }
        let minutes = age.as_secs() / 60;
        let ago = if minutes < 60 {
            format!("{minutes} min ago")
        } else {
            format!("{} h ago", minutes / 60)
        };
        format!("{} · {ago}", self.text)
    }
}

#[derive(Debug, Default)]
pub struct StatusLine {
    pub db_path: Option<PathBuf>,
    /// Set when the inventory could not be opened: the app shows it instead of the panels.
    pub open_error: Option<String>,
    pub message: Option<Message>,
}

impl StatusLine {
    pub fn info(&mut self, message: impl Into<String>) {
        self.say(Severity::Info, message.into());
    }

    pub fn error(&mut self, message: impl Into<String>) {
        let message = message.into();
        tracing::warn!("{message}");
        self.say(Severity::Error, message);
    }

    fn say(&mut self, severity: Severity, text: String) {
        self.message = Some(Message {
            severity,
            text,
            at: Instant::now(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(ago: Duration) -> (Message, Instant) {
        let now = Instant::now() + Duration::from_secs(24 * 3600);
        let message = Message {
            severity: Severity::Info,
            text: "Saved 7C2F80820EC0".into(),
            at: now - ago,
        };
        (message, now)
    }

    #[test]
    fn a_message_is_news_for_ten_seconds_then_says_its_age_from_a_minute_on() {
        let (message, now) = said(Duration::from_secs(3));
        assert!(message.fresh(now));
        assert_eq!(message.shown(now), "Saved 7C2F80820EC0");
        let (message, now) = said(Duration::from_secs(11));
        assert!(!message.fresh(now));
        assert_eq!(message.shown(now), "Saved 7C2F80820EC0");
        let (message, now) = said(Duration::from_secs(5 * 60 + 10));
        assert_eq!(message.shown(now), "Saved 7C2F80820EC0 · 5 min ago");
        let (message, now) = said(Duration::from_secs(2 * 3600 + 5));
        assert_eq!(message.shown(now), "Saved 7C2F80820EC0 · 2 h ago");
    }
}
