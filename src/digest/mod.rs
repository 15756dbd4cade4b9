//! HTTP Digest authentication (RFC 7616, RFC 2617, RFC 2069): parse challenges, compute
//! answers, build headers. Pure, no I/O, and our own code because the test fetch log shows
//! every intermediate value (A1, HA1, A2, HA2, the string hashed, the response). [`verify`] is
//! the server side, used by the provisioning simulator.

mod algorithm;
mod basic;
mod challenge;
mod compute;
pub mod verify;

pub use algorithm::{Algorithm, Qop};
pub use basic::{BasicHeader, passwords_match};
pub use challenge::{
    Challenge, ChallengeError, DigestChallenge, DigestChallengeError, parse_all, parse_challenges,
};
pub use compute::{
    DigestComputation, DigestInput, NonceCounter, choose_qop, compute, random_cnonce,
};
pub use verify::{AnswerError, DigestAnswer, expected_response, responses_match, stored_ha1};
