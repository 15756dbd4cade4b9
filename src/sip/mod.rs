//! The SIP registration test: send REGISTER (or OPTIONS as a reachability probe) to a
//! registrar exactly as a phone would — over UDP with RFC 3261's retransmission timers, TCP or
//! TLS, after SRV and A/AAAA lookups — answer its 401/407 with provdesk's digest engine, and
//! explain every step.
//!
//! [`run_sip_test`] emits [`SipEvent`]s as they happen and returns the [`SipTranscript`];
//! its last event is the [`SipVerdict`] with [`SipDiagnosis`] findings. The same events feed
//! the CLI's live lines, the JSON report and the GUI, and none holds a secret in the clear.

mod auth;
mod binding;
mod diagnose;
mod dns;
mod events;
mod message;
mod parse;
mod recorder;
mod run;
mod spec;
mod timers;
mod tls;
mod trace;
mod transaction;
mod transport;

pub use auth::mask_answer;
pub use binding::Binding;
pub use diagnose::{SipCode, SipDiagnosis, SipSeverity};
pub use dns::srv_name;
pub use events::{
    DigestStep, DnsStep, ReceivedMessage, SentMessage, SipEvent, SipTranscript, SipVerdict,
};
pub use message::{BRANCH_COOKIE, SipMethod, host_text, to_bytes};
pub use parse::{
    MAX_MESSAGE, ParseError, SipHeader, SipMessage, StartLine, header_param, message_length,
    parse_message,
};
pub use run::run_sip_test;
pub use spec::{SipSpecError, SipTestSpec, SipTlsOptions, split_host_port};
pub use timers::UdpTimers;
pub use tls::SipTlsSetupError;
pub use trace::TraceWriter;
