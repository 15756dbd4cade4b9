//! The SIP trace: the messages of one test as plain text, in the order they went and came,
//! each under a line naming its time, transport and direction, the way sngrep or ngrep show a
//! capture, with the DNS steps, resends, digest computation and verdict between them as `#`
//! lines. It is what an installer mails to the provider and what `provdesk sip-test` prints
//! live, one rendering for both ([`TraceWriter`] takes the events as they come). It is made
//! from the same events the panel shows: the `Authorization` answer's `response` and `cnonce`
//! are already masked there, and no event holds a password.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

use super::binding::Binding;
use super::diagnose::SipSeverity;
use super::events::{SipEvent, SipTranscript};
use super::parse::SipHeader;
use crate::words;

impl SipTranscript {
    /// The trace as text: a heading, then each message (start line, headers, body) with the
    /// resends, DNS steps and notes between them as `#` lines, and the verdict last.
    pub fn trace(&self) -> String {
        let mut trace = TraceWriter::default();
        self.events.iter().map(|event| trace.event(event)).collect()
    }

    /// How many SIP messages the trace holds (sent and received; resends not counted).
    pub fn message_count(&self) -> usize {
        self.events
            .iter()
            .filter(|e| matches!(e, SipEvent::Sent(_) | SipEvent::Received(_)))
            .count()
    }
}

/// Writes the trace one event at a time: what later lines need from earlier events (this
/// end's address, the transport) it keeps.
#[derive(Default)]
pub struct TraceWriter {
    /// This end's address, once the socket is open: the sender of what is sent.
    local: Option<SocketAddr>,
    /// `UDP`, `TCP` or `TLS`.
    transport: String,
}

impl TraceWriter {
    /// The lines `event` adds to the trace, each ending in a line break.
    pub fn event(&mut self, event: &SipEvent) -> String {
        let mut text = String::new();
        match event {
            SipEvent::Started {
                method,
                registrar,
                transport,
                user,
                digest_user,
                domain,
            } => {
                self.transport = transport.to_uppercase();
                let _ = writeln!(
                    text,
                    "provdesk SIP trace: {method} of {user}@{domain} at {registrar} over {}, \
                     digest user {digest_user}\n\
                     The digest answer's response and cnonce are masked; no password is in \
                     this trace.\n",
                    self.transport
                );
            }
            SipEvent::Dns(step) => {
                let answers = if step.answers.is_empty() {
                    "nothing".to_string()
                } else {
                    step.answers.join(", ")
                };
                let _ = writeln!(text, "# DNS {}: {answers} ({})", step.query, step.note);
            }
            SipEvent::Connected { local, remote, .. } => {
                self.local = Some(*local);
                let _ = writeln!(text, "# {} from {local} to {remote}", self.transport);
            }
            SipEvent::Sent(sent) => {
                let route = format!("{} -> {}", self.local_text(), sent.to);
                self.message(
                    &mut text,
                    sent.at,
                    &route,
                    &sent.start_line,
                    &sent.headers,
                    "",
                );
            }
            SipEvent::Received(received) => {
                let route = format!("{} -> {}", received.from, self.local_text());
                let (at, start, body) = (received.at, &received.start_line, &received.body);
                self.message(&mut text, at, &route, start, &received.headers, body);
            }
            SipEvent::Retransmitted { send, at, .. } => {
                let at = words::duration(*at);
                let _ = writeln!(text, "# resent (send {send}) at {at}: no answer yet");
            }
            SipEvent::Digest(step) => {
                for line in &step.words {
                    let _ = writeln!(text, "# digest: {line}");
                }
            }
            SipEvent::Binding(binding) => {
                let mark = if matches!(binding, Binding::Left { .. }) {
                    "!"
                } else {
                    "✓"
                };
                let _ = writeln!(text, "# {mark} {}", binding.describe());
            }
            SipEvent::Timers { text: line } => {
                let _ = writeln!(text, "# {line}");
            }
            SipEvent::Note { text: note } => {
                let _ = writeln!(text, "# note: {note}");
            }
            SipEvent::Finished(verdict) => {
                let elapsed = words::duration(verdict.elapsed);
                let _ = writeln!(text, "\n# verdict after {elapsed}:");
                for f in &verdict.findings {
                    let mark = match f.severity {
                        SipSeverity::Ok => "✓",
                        SipSeverity::Warning => "!",
                        SipSeverity::Error => "✗",
                    };
                    let (title, code) = (&f.title, f.code.as_str());
                    let _ = writeln!(
                        text,
                        "# {mark} {title} [{code}]: {}\n#   fix: {}",
                        f.message, f.fix
                    );
                }
            }
        }
        text
    }

    fn local_text(&self) -> String {
        self.local.map_or("?".to_string(), |a| a.to_string())
    }

    /// `+0.012 s UDP 192.0.2.7:40123 -> 198.51.100.1:5060`, the start line, the header lines,
    /// the blank line that ends them, and the body if there is one.
    fn message(
        &self,
        text: &mut String,
        at: Duration,
        route: &str,
        start_line: &str,
        headers: &[SipHeader],
        body: &str,
    ) {
        let at = at.as_secs_f64();
        let _ = writeln!(
            text,
            "\n+{at:.3} s {} {route}\n{start_line}",
            self.transport
        );
        for header in headers {
            let _ = writeln!(text, "{}: {}", header.name, header.value);
        }
        text.push('\n');
        if !body.is_empty() {
            let _ = writeln!(text, "{body}");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::cancel::CancelFlag;
    use crate::device::SipTransport;
    use crate::secret::{MASK, Secret};
    use crate::sim::registrar::{RegistrarConfig, RegistrarSim};
    use crate::sip::{
        SipCode, SipDiagnosis, SipEvent, SipSeverity, SipTestSpec, SipTranscript, SipVerdict,
        run_sip_test,
    };

    /// A test of tens of milliseconds read "verdict after 0.0 s"; below a second the trace
    /// counts milliseconds, as the rest of the app does.
    #[test]
    fn a_short_test_s_verdict_and_resends_are_in_milliseconds() {
        let verdict = |elapsed| SipVerdict {
            final_status: Some(403),
            ok: false,
            binding: None,
            findings: vec![SipDiagnosis {
                code: SipCode::Forbidden,
                severity: SipSeverity::Error,
                title: "Refused".into(),
                message: "403 Forbidden".into(),
                fix: "ask the provider".into(),
            }],
            elapsed,
        };
        let transcript = SipTranscript {
            events: vec![
                SipEvent::Retransmitted {
                    send: 2,
                    at: Duration::from_millis(500),
                    step: 0,
                },
                SipEvent::Finished(verdict(Duration::from_millis(37))),
            ],
        };
        let trace = transcript.trace();
        assert!(trace.contains("# resent (send 2) at 500 ms:"), "{trace}");
        assert!(trace.contains("# verdict after 37 ms:"), "{trace}");
        assert!(
            trace.contains("# ✗ Refused [forbidden]: 403 Forbidden\n#   fix: ask the provider"),
            "{trace}"
        );
        let long = SipTranscript {
            events: vec![SipEvent::Finished(verdict(Duration::from_millis(2400)))],
        };
        assert!(long.trace().contains("# verdict after 2.4 s:"));
    }

    #[tokio::test]
    async fn the_trace_has_the_messages_in_order_and_masks_the_digest_answer() {
        let sim = RegistrarSim::start("127.0.0.1".parse().unwrap(), RegistrarConfig::default())
            .await
            .unwrap();
        let mut spec = SipTestSpec::new(
            "127.0.0.1",
            SipTransport::Udp,
            "1001",
            Secret::new("secret1001"),
        );
        spec.port = Some(sim.udp.port());
        spec.domain = Some("provdesk.test".into());
        let transcript = run_sip_test(&spec, &CancelFlag::default(), &mut |_| {}).await;
        let trace = transcript.trace();

        let register = trace.find("\nREGISTER sip:provdesk.test SIP/2.0\n");
        let challenge = trace.find("\nSIP/2.0 401 Unauthorized\n");
        let ok = trace.find("\nSIP/2.0 200 OK\n");
        assert!(
            register.is_some() && register < challenge && challenge < ok,
            "{trace}"
        );
        let computation = transcript
            .events
            .iter()
            .find_map(|e| match e {
                SipEvent::Digest(step) => Some(step.computation.clone()),
                _ => None,
            })
            .expect("a digest answer");
        assert!(!trace.contains(&computation.response), "{trace}");
        assert!(!trace.contains(&computation.cnonce), "{trace}");
        assert!(trace.contains(&format!("response=\"{MASK}\"")), "{trace}");
        assert!(!trace.contains("secret1001"));
        assert!(trace.contains("[ok]"), "the verdict closes it: {trace}");
        assert!(
            transcript.message_count() >= 4,
            "REGISTER, 401, REGISTER, 200"
        );
    }
}
