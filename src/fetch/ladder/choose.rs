//! Which of the server's challenges a model answers, and why: the strongest Digest challenge in
//! an algorithm the model has, else Basic where the model accepts it, else none.

use super::Run;
use crate::device::ModelSpec;
use crate::digest::{Algorithm, Challenge, DigestChallenge, choose_qop, parse_all};
use crate::fetch::events::{ChallengeView, DigestSummary, Event, ReceivedResponse};

/// The challenges read from one response: servers offer one to three (MD5, SHA-256, Basic); a
/// header with thousands is hostile, and each would be kept, shown and exported.
const MAX_CHALLENGES: usize = 16;

/// The challenge a device answers.
#[derive(Debug, Clone)]
pub(super) enum Chosen {
    Digest {
        index: usize,
        challenge: DigestChallenge,
        algorithm: Algorithm,
    },
    Basic {
        index: usize,
    },
}

impl Chosen {
    pub(super) fn index(&self) -> usize {
        match self {
            Chosen::Digest { index, .. } | Chosen::Basic { index } => *index,
        }
    }

    pub(super) fn is_stale(&self) -> bool {
        matches!(self, Chosen::Digest { challenge, .. } if challenge.stale)
    }
}

impl Run<'_, '_> {
    /// Parses the `WWW-Authenticate` headers and picks the challenge the model answers.
    pub(super) fn read_challenges(
        &mut self,
        step: usize,
        response: &ReceivedResponse,
    ) -> Option<Chosen> {
        let headers: Vec<&str> = response
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("www-authenticate"))
            .map(|h| h.value.as_str())
            .collect();
        if headers.is_empty() {
            return self.unanswerable(
                step,
                None,
                "The 401 carries no WWW-Authenticate header: there is nothing to answer.",
            );
        }
        let mut parsed = match parse_all(headers.iter().copied()) {
            Ok(parsed) => parsed,
            Err(error) => {
                let error = format!(
                    "WWW-Authenticate cannot be parsed: {} at byte {}",
                    error.reason, error.position
                );
                return self.unanswerable(
                    step,
                    Some(error),
                    "The challenge is malformed, so no device can answer it.",
                );
            }
        };
        if parsed.len() > MAX_CHALLENGES {
            self.log.note(
                Some(step),
                format!(
                    "The server offered {} challenges; only the first {MAX_CHALLENGES} are read, as a device with little memory would (a real server offers one to three).",
                    parsed.len()
                ),
            );
            parsed.truncate(MAX_CHALLENGES);
        }
        self.log.push(Event::Challenges {
            step,
            challenges: parsed.iter().map(view).collect(),
            error: None,
        });
        let (chosen, reason) = choose(&parsed, self.spec.model);
        self.log.push(Event::Chosen {
            step,
            index: chosen.as_ref().map(Chosen::index),
            reason,
        });
        chosen
    }

    /// Emits a 401 whose challenges nobody can answer: none at all, or none that parse.
    fn unanswerable(&mut self, step: usize, error: Option<String>, reason: &str) -> Option<Chosen> {
        self.log.push(Event::Challenges {
            step,
            challenges: Vec::new(),
            error,
        });
        self.log.push(Event::Chosen {
            step,
            index: None,
            reason: reason.to_string(),
        });
        None
    }
}

/// Picks what the model answers: the strongest Digest challenge in an algorithm it does, else
/// Basic where the model accepts Basic. The reason names what was offered and what the model does.
fn choose(parsed: &[Challenge], model: &ModelSpec) -> (Option<Chosen>, String) {
    let offered = offered(parsed).join(", ");
    let supported: Vec<&str> = model.digest_algorithms.iter().map(|a| a.name()).collect();
    let supported = supported.join(", ");
    if let Some((index, challenge, algorithm)) = strongest_digest(parsed, model) {
        let reason = format!(
            "Offered: {offered}. The {} answers {supported}: challenge {} ({algorithm}, realm \"{}\"{}).",
            model.name,
            index + 1,
            challenge.realm,
            if challenge.stale { ", stale=true" } else { "" }
        );
        return (
            Some(Chosen::Digest {
                index,
                challenge,
                algorithm,
            }),
            reason,
        );
    }
    let basic = parsed.iter().position(|c| c.is_scheme("Basic"));
    let any_digest = parsed.iter().any(|c| c.is_scheme("Digest"));
    match basic {
        Some(index) if model.basic_accepted => (
            Some(Chosen::Basic { index }),
            format!(
                "Offered: {offered}. No Digest challenge the {} can answer; it accepts Basic (for testing only).",
                model.name
            ),
        ),
        _ if any_digest => (
            None,
            format!(
                "Offered: {offered}. The {} answers {supported} only, so it cannot answer any of them.",
                model.name,
            ),
        ),
        _ => (
            None,
            format!(
                "Offered: {offered}. The {} answers HTTP Digest only.",
                model.name
            ),
        ),
    }
}

/// The schemes offered, with each Digest challenge's algorithm as the server named it.
fn offered(parsed: &[Challenge]) -> Vec<String> {
    parsed
        .iter()
        .map(|c| {
            if c.is_scheme("Digest") {
                format!("Digest {}", c.param("algorithm").unwrap_or("MD5"))
            } else {
                c.scheme.clone()
            }
        })
        .collect()
}

/// The strongest Digest challenge the model can answer (algorithm and qop); the first of equals.
fn strongest_digest(
    parsed: &[Challenge],
    model: &ModelSpec,
) -> Option<(usize, DigestChallenge, Algorithm)> {
    parsed
        .iter()
        .enumerate()
        .filter_map(|(index, c)| {
            let digest = DigestChallenge::from_challenge(c).ok()?;
            let algorithm = *digest.algorithm.as_ref().ok()?;
            let answerable = model.digest_algorithms.contains(&algorithm)
                && (digest.qop.is_empty() || choose_qop(&digest).is_some());
            answerable.then_some((index, digest, algorithm))
        })
        .max_by_key(|(index, _, algorithm)| (algorithm.strength(), usize::MAX - index))
}

fn view(challenge: &Challenge) -> ChallengeView {
    let (digest, problem) = if challenge.is_scheme("Digest") {
        match DigestChallenge::from_challenge(challenge) {
            Ok(d) => {
                let problem = d
                    .algorithm
                    .as_ref()
                    .err()
                    .map(|name| format!("algorithm {name} is not defined by RFC 7616"));
                (
                    Some(DigestSummary {
                        realm: d.realm.clone(),
                        nonce: d.nonce.clone(),
                        stale: d.stale,
                        algorithm: d.algorithm.clone(),
                        qop: d
                            .qop
                            .iter()
                            .map(|q| q.name().to_string())
                            .chain(d.unknown_qop.iter().cloned())
                            .collect(),
                        opaque: d.opaque.clone(),
                        userhash: d.userhash,
                    }),
                    problem,
                )
            }
            Err(e) => (None, Some(e.to_string())),
        }
    } else {
        (None, None)
    };
    ChallengeView {
        scheme: challenge.scheme.clone(),
        params: challenge.params.clone(),
        digest,
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::find_model;
    use crate::digest::parse_challenges;

    #[test]
    fn gigaset_models_pick_md5_among_stronger_offers() {
        let parsed = parse_challenges(
            r#"Digest realm="r", nonce="a", algorithm=SHA-256, qop="auth", Digest realm="r", nonce="b", algorithm=MD5, qop="auth""#,
        )
        .unwrap();
        let (chosen, reason) = choose(&parsed, find_model("N510").unwrap());
        assert!(matches!(
            chosen,
            Some(Chosen::Digest {
                index: 1,
                algorithm: Algorithm::Md5,
                ..
            })
        ));
        assert!(reason.contains("Digest SHA-256, Digest MD5"), "{reason}");
        let (generic, _) = choose(&parsed, find_model("Generic").unwrap());
        assert!(matches!(
            generic,
            Some(Chosen::Digest {
                index: 0,
                algorithm: Algorithm::Sha256,
                ..
            })
        ));
    }

    #[test]
    fn basic_only_is_answered_only_where_the_model_accepts_it() {
        let parsed = parse_challenges(r#"Basic realm="r""#).unwrap();
        let (n510, reason) = choose(&parsed, find_model("N510").unwrap());
        assert!(n510.is_none());
        assert!(reason.contains("Digest only"), "{reason}");
        let (de900, _) = choose(&parsed, find_model("DE900").unwrap());
        assert!(matches!(de900, Some(Chosen::Basic { index: 0 })));
    }
}
