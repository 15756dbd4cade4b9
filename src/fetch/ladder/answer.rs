//! The `Authorization` header a rung sends for the chosen challenge, with the digest's every
//! intermediate value emitted for the log.

use base64::Engine as _;

use super::choose::Chosen;
use super::{Run, Rung};
use crate::digest::{DigestInput, choose_qop, compute, random_cnonce};
use crate::fetch::events::{Answer, AnswerKind, Event};
use crate::fetch::target::request_target;

impl Run<'_, '_> {
    /// Builds the `Authorization` header for `chosen` and emits the computation.
    pub(super) fn answer(
        &mut self,
        step: usize,
        answers_step: usize,
        chosen: &Chosen,
        rung: &Rung,
        url: &reqwest::Url,
    ) -> String {
        let (header, kind) = match chosen {
            Chosen::Digest {
                challenge,
                algorithm,
                ..
            } => {
                let target = request_target(url);
                let cnonce = random_cnonce();
                let nc = self.counter.next(&challenge.nonce);
                let computation = compute(
                    challenge,
                    *algorithm,
                    choose_qop(challenge),
                    &DigestInput {
                        username: &rung.credentials.username,
                        password: &rung.credentials.password,
                        method: "GET",
                        uri: &target,
                        body: b"",
                        cnonce: &cnonce,
                        nc,
                    },
                );
                (
                    computation.authorization(),
                    AnswerKind::Digest(Box::new(computation)),
                )
            }
            Chosen::Basic { .. } => {
                let pair = format!(
                    "{}:{}",
                    rung.credentials.username,
                    rung.credentials.password.expose()
                );
                (
                    format!(
                        "Basic {}",
                        base64::engine::general_purpose::STANDARD.encode(pair)
                    ),
                    AnswerKind::Basic,
                )
            }
        };
        self.log.push(Event::Answer(Answer {
            step,
            answers_step,
            challenge_index: chosen.index(),
            username: rung.credentials.username.clone(),
            kind,
        }));
        header
    }
}
