//! The `--json` report of a fetch: every step with its request, response, challenges and the
//! digest sent, and the diagnosis. Built from the transcript; it never holds a password, an HA1
//! or a Basic credential, and the digest `response` and `cnonce` (enough for an offline guess of
//! a short password) only when revealed on purpose.

use serde::Serialize;
use serde_json::{Map, Value};

use super::events::{AnswerKind, Attempt, HeaderLine, Step, Transcript};
use super::exposure::shown_headers;
use super::finding::{Code, Severity};
use crate::secret::MASK;

#[derive(Debug, Serialize)]
pub struct Report {
    pub url: String,
    pub model: &'static str,
    pub final_status: Option<u16>,
    pub ok: bool,
    pub steps: Vec<StepReport>,
    pub notes: Vec<String>,
    pub diagnosis: Vec<DiagnosisReport>,
}

#[derive(Debug, Serialize)]
pub struct StepReport {
    pub attempt: Attempt,
    pub request: RequestReport,
    pub response: Option<ResponseReport>,
    pub error: Option<String>,
    pub challenges: Vec<Value>,
    pub chosen: Option<String>,
    pub digest: Option<DigestReport>,
}

#[derive(Debug, Serialize)]
pub struct RequestReport {
    pub method: String,
    pub uri: String,
    pub headers: Vec<HeaderLine>,
}

#[derive(Debug, Serialize)]
pub struct ResponseReport {
    pub status: u16,
    pub headers: Vec<HeaderLine>,
    pub time_ms: f64,
    pub body_size: usize,
}

/// The values of the digest sent; HA1 and the string hashed (which starts with HA1) are left
/// out on purpose.
#[derive(Debug, Serialize)]
pub struct DigestReport {
    pub username: String,
    pub algorithm: String,
    pub qop: Option<String>,
    pub nc: String,
    pub cnonce: String,
    pub realm: String,
    pub nonce: String,
    pub uri: String,
    pub a2: String,
    pub ha2: String,
    pub response: String,
}

#[derive(Debug, Serialize)]
pub struct DiagnosisReport {
    pub code: Code,
    pub severity: Severity,
    pub title: String,
    pub message: String,
    pub fix: String,
}

impl Report {
    /// The report of `transcript`; `reveal` writes the digest `response` and `cnonce` (in
    /// `digest` and in the `Authorization` header) in the clear instead of masked.
    pub fn from_transcript(transcript: &Transcript, reveal: bool) -> Self {
        Self {
            url: transcript.setting.url.clone(),
            model: transcript.setting.model,
            final_status: transcript.final_status(),
            ok: transcript.ok(),
            steps: transcript
                .steps
                .iter()
                .map(|step| step_report(step, reveal))
                .collect(),
            notes: transcript.notes.iter().map(|(_, t)| t.clone()).collect(),
            diagnosis: transcript
                .diagnosis()
                .iter()
                .map(|d| DiagnosisReport {
                    code: d.code,
                    severity: d.severity,
                    title: d.title.clone(),
                    message: d.message.clone(),
                    fix: d.fix.clone(),
                })
                .collect(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

fn step_report(step: &Step, reveal: bool) -> StepReport {
    let hide = |value: &String| {
        if reveal {
            value.clone()
        } else {
            MASK.to_string()
        }
    };
    StepReport {
        attempt: step.request.attempt,
        request: RequestReport {
            method: step.request.method.clone(),
            uri: step.request.url.clone(),
            headers: shown_headers(&step.request.headers, reveal),
        },
        response: step.response.as_ref().map(|r| ResponseReport {
            status: r.status,
            headers: shown_headers(&r.headers, reveal),
            time_ms: r.total.as_secs_f64() * 1000.0,
            body_size: r.body_size,
        }),
        error: step.error.as_ref().map(|(_, message)| message.clone()),
        challenges: step
            .challenges
            .iter()
            .map(|c| {
                let mut params = Map::new();
                for (name, value) in &c.params {
                    params.insert(name.clone(), Value::String(value.clone()));
                }
                serde_json::json!({ "scheme": c.scheme, "params": params })
            })
            .collect(),
        chosen: step.chosen.as_ref().map(|(_, reason)| reason.clone()),
        digest: step.answer.as_ref().and_then(|answer| match &answer.kind {
            AnswerKind::Digest(d) => Some(DigestReport {
                username: d.username_field.clone(),
                algorithm: d.algorithm.name().to_string(),
                qop: d.qop.map(|q| q.name().to_string()),
                nc: d.nc.clone(),
                cnonce: hide(&d.cnonce),
                realm: d.realm.clone(),
                nonce: d.nonce.clone(),
                uri: d.uri.clone(),
                a2: d.a2.clone(),
                ha2: d.ha2.clone(),
                response: hide(&d.response),
            }),
            AnswerKind::Basic => None,
        }),
    }
}
