//! The device's credential ladder over real HTTP: no credentials, then MAC / MAC password, then
//! the configured credentials, then (where the model has it) what the user types on the
//! display. Every request, response, challenge and digest is emitted as an [`Event`] as it
//! happens; the run ends with the diagnosis.
//!
//! This file climbs the rungs; [`exchange`] runs the requests of one climb with their redirects
//! and stale retries, [`choose`] picks the challenge a model answers, [`answer`] computes the
//! `Authorization` header and [`send`] does the HTTP.

mod answer;
mod choose;
mod exchange;
mod send;

use std::time::Instant;

use tokio::sync::mpsc;

use super::diagnose::diagnose;
use super::events::{Attempt, Event, Setting, Transcript};
use super::spec::{Credentials, FetchPlan, FetchSpec, SetupError};
use super::tls::{TlsSetupError, build_client};
use crate::device::{AuthAttempt, ManualEntry, ModelSpec};
use crate::digest::NonceCounter;
use crate::secret::Secret;

/// Where credentials typed "on the device" come from: the GUI answers each prompt with
/// `Some(credentials)`, or `None` for Back/Cancel.
pub type ManualAnswers = mpsc::Receiver<Option<Credentials>>;

/// Why a fetch did not start.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(transparent)]
    Setup(#[from] SetupError),
    #[error(transparent)]
    Tls(#[from] TlsSetupError),
}

/// Runs the whole ladder for `spec`, calling `emit` with each event as it happens, and returns
/// the transcript (which already holds the diagnosis).
pub async fn run_fetch(
    spec: &FetchSpec,
    manual: Option<&mut ManualAnswers>,
    emit: &mut (dyn FnMut(&Event) + Send),
) -> Result<Transcript, FetchError> {
    let plan = spec.plan()?;
    let client = build_client(spec)?;
    let mut run = Run {
        spec,
        plan: &plan,
        client,
        manual,
        log: Recorder {
            transcript: Transcript::default(),
            emit,
        },
        started: Instant::now(),
        counter: NonceCounter::default(),
        rungs: expanded_ladder(spec.model).into_iter(),
        typed: Vec::new(),
    };
    run.start();
    run.exchange().await;
    let diagnosis = diagnose(&run.log.transcript);
    let final_status = run.log.transcript.final_status();
    run.log.push(Event::Finished {
        final_status,
        diagnosis,
    });
    Ok(run.log.transcript)
}

/// Keeps the transcript in step with what was emitted.
struct Recorder<'e> {
    transcript: Transcript,
    emit: &'e mut (dyn FnMut(&Event) + Send),
}

impl Recorder<'_> {
    fn push(&mut self, event: Event) {
        self.transcript.apply(&event);
        (self.emit)(&event);
    }

    fn note(&mut self, step: Option<usize>, text: impl Into<String>) {
        self.push(Event::Note {
            step,
            text: text.into(),
        });
    }
}

/// The credentials of the rung being tried.
struct Rung {
    attempt: Attempt,
    credentials: Credentials,
}

struct Run<'a, 'e> {
    spec: &'a FetchSpec,
    plan: &'a FetchPlan,
    client: reqwest::Client,
    manual: Option<&'a mut ManualAnswers>,
    log: Recorder<'e>,
    started: Instant,
    counter: NonceCounter,
    /// The rungs of the ladder not climbed yet.
    rungs: std::vec::IntoIter<AuthAttempt>,
    /// Passwords typed "on the device" so far, masked in bodies like the planned ones.
    typed: Vec<Secret>,
}

impl Run<'_, '_> {
    /// The passwords this fetch knows (its own, typed ones and the device's SIP passwords): a
    /// body that holds one anywhere shows it masked until revealed, a second net behind the
    /// masking of the file's password settings by where they stand.
    fn known_secrets(&self) -> Vec<&str> {
        let planned = [&self.plan.mac_credentials, &self.plan.configured];
        planned
            .into_iter()
            .flatten()
            .map(|c| c.password.expose())
            .chain(self.typed.iter().map(Secret::expose))
            .chain(self.spec.sip_passwords.iter().map(Secret::expose))
            .collect()
    }

    /// Emits what the run is about and the planning's notes, and steps onto the first rung: the
    /// request without credentials.
    fn start(&mut self) {
        let model = self.spec.model;
        self.log.push(Event::Started(Setting {
            started_at: Some(chrono::Utc::now()),
            url: self.plan.url.to_string(),
            model: model.name,
            ladder: self
                .rungs
                .as_slice()
                .iter()
                .map(|a| Attempt::from(*a))
                .collect(),
            algorithms: model.digest_algorithms.to_vec(),
            basic_accepted: model.basic_accepted,
            mac: self.spec.mac.map(|m| m.macd()),
            mac_password_known: self.plan.mac_credentials.is_some(),
            configured_user: self.plan.configured.as_ref().map(|c| c.username.clone()),
            timeout: self.spec.timeout,
            model_assumed: self.spec.model_assumed,
        }));
        for note in &self.plan.notes {
            self.log.note(None, note.clone());
        }
        self.rungs.next();
    }

    /// Moves to the next rung that has credentials, asking for manual entry where the model
    /// has it. `None` when the ladder is exhausted: the device's fetch fails.
    async fn climb(&mut self, step: usize) -> Option<Rung> {
        while let Some(attempt) = self.rungs.next() {
            match attempt {
                AuthAttempt::Anonymous => {}
                AuthAttempt::MacPassword | AuthAttempt::Configured => {
                    if let Some(rung) = self.configured_rung(attempt) {
                        return Some(rung);
                    }
                }
                AuthAttempt::Manual => return self.manual_rung(step).await,
            }
        }
        None
    }

    /// The rung's credentials from the plan, or a `Skipped` event saying why there are none.
    fn configured_rung(&mut self, attempt: AuthAttempt) -> Option<Rung> {
        if let Some(credentials) = self.plan.credentials(attempt) {
            return Some(Rung {
                attempt: attempt.into(),
                credentials: credentials.clone(),
            });
        }
        let reason = match attempt {
            AuthAttempt::MacPassword => {
                "no MAC password is known for this device (the redirect server gives it at registration)"
            }
            _ => "no digest credentials are configured for this device or its site",
        };
        self.log.push(Event::Skipped {
            attempt: attempt.into(),
            reason: reason.to_string(),
        });
        None
    }

    /// Asks for credentials "on the display" and waits as long as the device keeps the entry
    /// open. `None` when nobody answers, the user cancels or the entry times out.
    async fn manual_rung(&mut self, step: usize) -> Option<Rung> {
        let model = self.spec.model;
        self.log.push(Event::ManualEntry {
            attempt_no: self.log.transcript.manual_prompts + 1,
            tries: manual_tries(model),
        });
        let idle = model.manual_entry.idle_timeout();
        let Some(manual) = self.manual.as_deref_mut() else {
            self.log.note(
                Some(step),
                format!(
                    "The {} now asks for credentials on its display; nobody is asked here, so the fetch ends.",
                    model.name
                ),
            );
            return None;
        };
        match tokio::time::timeout(idle, manual.recv()).await {
            Ok(Some(Some(credentials))) => {
                self.typed.push(credentials.password.clone());
                Some(Rung {
                    attempt: Attempt::Manual,
                    credentials,
                })
            }
            Ok(_) => {
                self.log.note(Some(step), "Manual entry cancelled.");
                None
            }
            Err(_) => {
                self.log.push(Event::ManualEntryClosed { step, idle });
                None
            }
        }
    }
}

/// The model's ladder with the manual rung repeated as many times as the device lets the user
/// try.
fn expanded_ladder(model: &ModelSpec) -> Vec<AuthAttempt> {
    let tries = manual_tries(model);
    model
        .auth_ladder
        .iter()
        .flat_map(|attempt| match attempt {
            AuthAttempt::Manual => vec![AuthAttempt::Manual; usize::from(tries)],
            other => vec![*other],
        })
        .collect()
}

fn manual_tries(model: &ModelSpec) -> u8 {
    match model.manual_entry {
        ManualEntry::None => 0,
        ManualEntry::Display { tries, .. } | ManualEntry::Notification { tries } => tries,
        ManualEntry::OneTry { .. } => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::find_model;

    #[test]
    fn ladders_repeat_the_manual_rung_per_try() {
        let maxwell = expanded_ladder(find_model("Maxwell 3").unwrap());
        assert_eq!(maxwell.len(), 6);
        assert_eq!(
            expanded_ladder(find_model("DE900").unwrap()).len(),
            4,
            "one manual try"
        );
        assert_eq!(expanded_ladder(find_model("N510").unwrap()).len(), 3);
    }
}
