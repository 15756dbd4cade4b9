//! After the registrar took the test's REGISTER: remove the binding again (RFC 3261 §10.2.2),
//! unless the user asked to keep it. The test runs on the extension of a real phone, so a
//! binding left behind forks the phone's calls to this computer, or on a PBX that allows one
//! contact per extension pushes the phone out. The removal is the same registration (Call-ID,
//! From tag, Contact) with the next CSeq and an interval of 0 for this contact only.

use crate::cancel::CancelFlag;
use crate::printable::printable;
use crate::words;

use super::super::auth;
use super::super::binding::Binding;
use super::super::diagnose;
use super::super::events::SipEvent;
use super::super::message::{Dialog, SipMethod};
use super::super::parse::{SipMessage, StartLine, header_param};
use super::super::recorder::Recorder;
use super::super::transaction::TxEnd;
use super::super::transport::Link;
use super::{Ending, Registration};

impl Registration<'_> {
    /// Once the test ended: after a 2xx to REGISTER, removes the binding (or keeps it as asked),
    /// logs what became of it and says so in the verdict's findings.
    pub(super) async fn settle(
        &mut self,
        ending: Ending,
        link: &mut Link,
        cancel: &CancelFlag,
        recorder: &mut Recorder<'_>,
    ) -> Ending {
        let (status, mut findings) = ending;
        let registered = status.is_some_and(|s| (200..300).contains(&s));
        if !registered || self.spec.method != SipMethod::Register {
            return (status, findings);
        }
        // What the registrar granted, else what was asked: how long a binding left behind lasts.
        let expires = self.granted.or(self.expires).unwrap_or(self.spec.expires);
        let binding = if self.spec.keep {
            Binding::Kept { expires }
        } else {
            self.remove(link, cancel, recorder, expires).await
        };
        recorder.emit(SipEvent::Binding(binding.clone()));
        diagnose::settle(&mut findings, &binding, &self.who());
        (status, findings)
    }

    /// Sends the removal and answers the one challenge it may meet; what became of the binding.
    async fn remove(
        &mut self,
        link: &mut Link,
        cancel: &CancelFlag,
        recorder: &mut Recorder<'_>,
        expires: u32,
    ) -> Binding {
        // The reason may quote the registrar: escaped and cut, as everything it sends.
        let left = |status, why: String| Binding::Left {
            status,
            why: printable(&why, 300),
            expires,
        };
        recorder.emit(SipEvent::Note {
            text: "removing the test registration: the same REGISTER with Expires: 0 for this \
                   computer's contact only (the phones on the extension keep theirs)"
                .to_string(),
        });
        self.expires = Some(0);
        // The last challenge answered again with the next nonce count, as a phone refreshing
        // its registration does: most registrars take it without another round trip.
        if let Some((challenge, headers)) = self.challenge.take() {
            self.answer(challenge, headers, recorder);
        }
        let mut challenged = false;
        loop {
            if cancel.is_cancelled() {
                return left(
                    None,
                    "the test was cancelled before it was confirmed".into(),
                );
            }
            let response = match self.exchange(link, cancel, recorder).await {
                Ok(response) => response,
                Err(end) => return left(None, failure(&end)),
            };
            self.step += 1;
            self.cseq += 1;
            let status = response.status().unwrap_or(0);
            let reason = match &response.start {
                StartLine::Response { reason, .. } => printable(reason, 100),
                StartLine::Request { .. } => String::new(),
            };
            match status {
                200..=299 if still_listed(&response, &self.dialog) => {
                    let why = format!(
                        "the registrar answered {status} {reason} but still lists this \
                         computer's contact"
                    );
                    return left(Some(status), why);
                }
                200..=299 => return Binding::Removed { status, reason },
                401 | 407 if !challenged => {
                    challenged = true;
                    let headers = auth::headers_for(status);
                    match auth::pick_challenge(&response, headers) {
                        Ok(challenge) => self.answer(challenge, headers, recorder),
                        Err(problem) => return left(Some(status), problem),
                    }
                }
                401 | 407 => {
                    let why = format!(
                        "the registrar challenged the removal again ({status} {reason}) after \
                         it was answered"
                    );
                    return left(Some(status), why);
                }
                _ => {
                    return left(
                        Some(status),
                        format!("the registrar answered {status} {reason}"),
                    );
                }
            }
        }
    }
}

/// Why the removal's transaction ended without an answer, in words.
fn failure(end: &TxEnd) -> String {
    match end {
        TxEnd::Timeout {
            sends,
            elapsed,
            stopped: true,
            ..
        } => format!(
            "no answer to it before the wait was stopped after {} and {}",
            words::duration(*elapsed),
            words::count(*sends, "send")
        ),
        TxEnd::Timeout { sends, elapsed, .. } => format!(
            "no answer to it after {} in {}",
            words::count(*sends, "send"),
            words::duration(*elapsed)
        ),
        TxEnd::BadAnswer(detail) => format!("its answer was unreadable: {detail}"),
        TxEnd::Io(error) => format!("the connection broke: {error}"),
        TxEnd::Cancelled => "the test was cancelled before it was confirmed".to_string(),
    }
}

/// This computer's entries in a response's Contact list: a registrar's 2xx lists every
/// binding of the address of record (RFC 3261 §10.3 step 8), other phones' among them.
fn own_entries<'m>(response: &'m SipMessage, dialog: &Dialog) -> Vec<&'m str> {
    let ours = dialog.contact();
    let uri = ours
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string();
    response
        .headers_named("Contact")
        .flat_map(|value| value.split(','))
        .filter(|contact| names(contact, &uri))
        .collect()
}

/// Whether a Contact entry is `uri`, parameters aside: port 5060 is not port 50601.
fn names(contact: &str, uri: &str) -> bool {
    contact.match_indices(uri).any(|(at, _)| {
        matches!(
            contact[at + uri.len()..].chars().next(),
            None | Some('>' | ';' | ' ')
        )
    })
}

/// The interval a 2xx granted this computer's binding: its own entry's `expires`, else the
/// `Expires` header. The first entry may be another phone's.
pub(super) fn granted(response: &SipMessage, dialog: &Dialog) -> Option<u32> {
    own_entries(response, dialog)
        .into_iter()
        .find_map(|contact| header_param(contact, "expires"))
        .or_else(|| response.header("Expires"))
        .and_then(|e| e.trim().parse().ok())
}

/// Whether a 2xx to the removal still lists this computer's contact with time left.
fn still_listed(response: &SipMessage, dialog: &Dialog) -> bool {
    own_entries(response, dialog)
        .into_iter()
        .any(|contact| header_param(contact, "expires").is_none_or(|e| e.trim() != "0"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::SipTransport;
    use crate::sip::parse::parse_message;

    fn dialog() -> Dialog {
        Dialog::new(
            SipMethod::Register,
            SipTransport::Udp,
            "pbx.example",
            "1001",
            "192.0.2.7:5060".parse().unwrap(),
        )
    }

    fn ok(contacts: &str) -> SipMessage {
        let text = format!("SIP/2.0 200 OK\r\n{contacts}Expires: 3600\r\n\r\n");
        parse_message(text.as_bytes()).unwrap()
    }

    /// A removal stopped at once read "stopped after 0.0 s".
    #[test]
    fn a_short_wait_for_the_removal_is_in_milliseconds() {
        let stopped = TxEnd::Timeout {
            sends: 1,
            elapsed: std::time::Duration::from_millis(40),
            heard: diagnose::Heard::default(),
            stopped: true,
        };
        assert_eq!(
            failure(&stopped),
            "no answer to it before the wait was stopped after 40 ms and 1 send"
        );
    }

    #[test]
    fn the_interval_granted_is_this_computers_not_the_first_phones() {
        let both = ok(
            "Contact: <sip:1001@192.0.2.7:50601>;expires=900, <sip:1001@192.0.2.7:5060>;expires=120\r\n",
        );
        assert_eq!(granted(&both, &dialog()), Some(120));
        assert_eq!(
            granted(&ok(""), &dialog()),
            Some(3600),
            "the Expires header"
        );
    }

    #[test]
    fn a_removal_is_confirmed_only_when_this_contact_is_gone_or_at_0() {
        let phone = "Contact: <sip:1001@192.0.2.7:50601>;expires=900\r\n";
        assert!(
            !still_listed(&ok(phone), &dialog()),
            "port 5060 is not 50601"
        );
        assert!(!still_listed(
            &ok("Contact: <sip:1001@192.0.2.7:5060>;expires=0\r\n"),
            &dialog()
        ));
        assert!(still_listed(
            &ok("Contact: <sip:1001@192.0.2.7:5060>;expires=30\r\n"),
            &dialog()
        ));
        assert!(still_listed(
            &ok("Contact: <sip:1001@192.0.2.7:5060>\r\n"),
            &dialog()
        ));
    }
}
