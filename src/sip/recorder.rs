//! Where a running test's events go: into its transcript, and at once to whoever watches (the
//! CLI's printer, the GUI's channel).

use std::time::{Duration, Instant};

use super::binding::Binding;
use super::events::{SipEvent, SipTranscript};

/// Keeps the transcript and forwards each event as it happens.
pub struct Recorder<'a> {
    started: Instant,
    transcript: SipTranscript,
    sink: &'a mut (dyn FnMut(&SipEvent) + Send),
}

impl<'a> Recorder<'a> {
    pub fn new(sink: &'a mut (dyn FnMut(&SipEvent) + Send)) -> Self {
        Self {
            started: Instant::now(),
            transcript: SipTranscript::default(),
            sink,
        }
    }

    pub fn emit(&mut self, event: SipEvent) {
        (self.sink)(&event);
        self.transcript.push(event);
    }

    /// Since the test started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// What became of the test's registration, once that was settled.
    pub fn binding(&self) -> Option<Binding> {
        self.transcript.binding().cloned()
    }

    pub fn into_transcript(self) -> SipTranscript {
        self.transcript
    }
}
