//! The test fetch: request a provisioning URL exactly as a given device model would, climbing
//! its credential ladder, and explain every 401 on the way.
//!
//! [`run_fetch`] emits [`Event`]s as they happen; a [`Transcript`] folds them into steps;
//! [`diagnose`] names the cause; the report, HAR and curl modules read the same transcript.

mod body;
mod curl;
mod diagnose;
mod events;
mod exposure;
mod finding;
mod har;
mod ladder;
mod own_serve;
mod remedy;
mod report;
mod shown;
mod spec;
mod target;
mod tls;
mod unreachable;

pub use body::{MAX_INDENT_DEPTH, NotIndented, body_text, pretty_xml};
pub use curl::{Shell, to_curl};
pub use diagnose::diagnose;
pub use events::{
    Answer, AnswerKind, Attempt, BodyCut, ChallengeView, DigestSummary, Event, HeaderLine,
    ReceivedResponse, SentRequest, Setting, Step, Transcript, TransportKind, display_body,
    header_values, manual_closed_note,
};
pub use exposure::{ExportOptions, mask_authorization, shown_headers};
pub use finding::{Code, Diagnosis, Severity};
pub use har::to_har;
pub use ladder::{FetchError, ManualAnswers, run_fetch};
pub use own_serve::OwnServe;
pub use remedy::{FixRoutes, FixedIn, proven_credentials};
pub use report::Report;
pub use shown::{MIN_MASKED_LEN, MaskedBody, ShownBody, mask_secrets};
pub use spec::{
    ClientIdentity, Credentials, DEFAULT_TIMEOUT, FetchPlan, FetchSpec, MAX_TIMEOUT, SetupError,
    TlsOptions, answer_timeout,
};
pub use target::{request_target, shown_url};
pub use tls::{TlsSetupError, error_chain, install_crypto_provider};
pub use unreachable::Unreachable;
