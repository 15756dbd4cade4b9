//! The status bar's state: the inventory file, counts, and the last message with its age, so
//! that an old message (a device saved minutes ago, on another panel) is not read as news.
//!
//! The bar is shared by every panel, so each message also knows the panel that said it: read on
//! another panel, "SIP test finished" needs the panel's name to be understood, an error said
//! while its panel is not on screen must not be lost under the next message, and the panel
//! needs a mark in the navigation until it is opened. The app sets the speaking panel before
//! it hands the line to a panel, so panels keep calling [`StatusLine::info`] and
//! [`StatusLine::error`] as they are.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::ui::section::Section;

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
    /// The panel that said it.
    pub from: Section,
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
    /// Errors said by panels that were not on screen, one per panel: kept beside newer
    /// messages of other panels until their panel is opened or says something else.
    held: Vec<Message>,
    /// The panel whose messages are being said: set by the app before it calls a panel.
    speaker: Section,
    /// The panel on screen.
    viewing: Section,
    /// Panels that said something while not on screen, with the worst of it, until opened.
    unseen: Vec<(Section, Severity)>,
}

impl StatusLine {
    /// Makes `section` the panel that says what follows; the app calls this before it hands
    /// the line to that panel.
    pub fn speaking_for(&mut self, section: Section) -> &mut Self {
        self.speaker = section;
        self
    }

    /// `section` is on screen: its mark in the navigation and its held error are seen, and it
    /// speaks until the app says otherwise.
    pub fn viewing(&mut self, section: Section) {
        self.viewing = section;
        self.speaker = section;
        self.unseen.retain(|(from, _)| *from != section);
        self.held.retain(|held| held.from != section);
    }

    /// The mark for `section` in the navigation: whether it said something, and how bad,
    /// while it was not on screen.
    pub fn unseen(&self, section: Section) -> Option<Severity> {
        self.unseen
            .iter()
            .find(|(from, _)| *from == section)
            .map(|(_, severity)| *severity)
    }

    /// The panel on screen.
    pub fn on_screen(&self) -> Section {
        self.viewing
    }

    /// What the bar shows: the last message, then the held errors of other panels, newest
    /// first, but the last message only once.
    pub fn shown(&self) -> impl Iterator<Item = &Message> {
        let held = self
            .held
            .iter()
            .rev()
            .filter(|held| self.message.as_ref() != Some(*held));
        self.message.iter().chain(held)
    }

    pub fn info(&mut self, message: impl Into<String>) {
        self.say(Severity::Info, message.into());
    }

    pub fn error(&mut self, message: impl Into<String>) {
        let message = message.into();
        tracing::warn!("{message}");
        self.say(Severity::Error, message);
    }

    fn say(&mut self, severity: Severity, text: String) {
        let message = Message {
            severity,
            text,
            at: Instant::now(),
            from: self.speaker,
        };
        self.held.retain(|held| held.from != message.from);
        if message.from != self.viewing {
            self.unseen.retain(|(from, _)| *from != message.from);
            self.unseen.push((message.from, severity));
            if severity == Severity::Error {
                self.held.push(message.clone());
            }
        }
        self.message = Some(message);
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
            from: Section::Inventory,
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

    fn texts(status: &StatusLine) -> Vec<(Section, &str)> {
        status.shown().map(|m| (m.from, m.text.as_str())).collect()
    }

    #[test]
    fn a_message_knows_the_panel_that_said_it() {
        let mut status = StatusLine::default();
        status.viewing(Section::Fetch);
        status.info("Test fetch of the phone…");
        status
            .speaking_for(Section::Sip)
            .info("SIP test finished: 200 OK");
        assert_eq!(
            texts(&status),
            [(Section::Sip, "SIP test finished: 200 OK")]
        );
        assert_eq!(status.on_screen(), Section::Fetch);
    }

    #[test]
    fn a_panel_that_spoke_off_screen_is_marked_until_it_is_opened() {
        let mut status = StatusLine::default();
        status.viewing(Section::Fetch);
        status.info("Test fetch of the phone…");
        assert_eq!(status.unseen(Section::Fetch), None);
        status
            .speaking_for(Section::Sip)
            .info("SIP test finished: 200 OK");
        assert_eq!(status.unseen(Section::Sip), Some(Severity::Info));
        status
            .speaking_for(Section::Serve)
            .error("Could not serve: port in use");
        assert_eq!(status.unseen(Section::Serve), Some(Severity::Error));
        assert_eq!(status.unseen(Section::Sip), Some(Severity::Info));
        status.viewing(Section::Sip);
        assert_eq!(status.unseen(Section::Sip), None);
        assert_eq!(status.unseen(Section::Serve), Some(Severity::Error));
        status.viewing(Section::Serve);
        assert_eq!(status.unseen(Section::Serve), None);
    }

    #[test]
    fn an_error_of_a_panel_off_screen_stays_until_seen_or_replaced() {
        let mut status = StatusLine::default();
        status.viewing(Section::Fetch);
        status
            .speaking_for(Section::Sip)
            .error("SIP test failed: timeout");
        status
            .speaking_for(Section::Fetch)
            .info("Test fetch cancelled.");
        assert_eq!(
            texts(&status),
            [
                (Section::Fetch, "Test fetch cancelled."),
                (Section::Sip, "SIP test failed: timeout")
            ]
        );
        status
            .speaking_for(Section::Serve)
            .error("Could not serve: port in use");
        assert_eq!(
            texts(&status),
            [
                (Section::Serve, "Could not serve: port in use"),
                (Section::Sip, "SIP test failed: timeout")
            ]
        );
        status.viewing(Section::Serve);
        status.viewing(Section::Fetch);
        status.info("Test fetch cancelled.");
        // Replaced: the SIP panel said something newer.
        status
            .speaking_for(Section::Sip)
            .info("SIP test finished: 200 OK");
        status
            .speaking_for(Section::Fetch)
            .info("Test fetch of the phone…");
        assert_eq!(
            texts(&status),
            [(Section::Fetch, "Test fetch of the phone…")]
        );
        // Seen: the SIP panel was opened.
        status
            .speaking_for(Section::Sip)
            .error("SIP test failed: timeout");
        status
            .speaking_for(Section::Fetch)
            .info("Test fetch cancelled.");
        status.viewing(Section::Sip);
        assert_eq!(texts(&status), [(Section::Fetch, "Test fetch cancelled.")]);
    }

    #[test]
    fn an_error_on_screen_is_not_held_or_marked() {
        let mut status = StatusLine::default();
        status.viewing(Section::Sip);
        status.error("SIP test failed: timeout");
        assert_eq!(status.unseen(Section::Sip), None);
        status
            .speaking_for(Section::Fetch)
            .info("Saved the HAR file");
        assert_eq!(texts(&status), [(Section::Fetch, "Saved the HAR file")]);
    }
}
