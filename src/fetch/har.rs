//! HAR 1.2 export of a fetch, for browsers' and Postman's HAR viewers and for support tickets.
//! Headers are the logged ones: a Basic password is already masked there, the digest
//! `response` and `cnonce` and a URL password in a `Location` are masked unless revealed.
//! Bodies (configuration files with passwords) are left out unless asked for, and their
//! passwords (every password setting, a URL's, one the fetch knows) are masked in them unless
//! revealed: a HAR goes into support tickets.

use serde_json::{Value, json};

use super::events::{HeaderLine, ReceivedResponse, Step, Transcript, header_values};
use super::exposure::{ExportOptions, shown_headers};

/// The HAR document as JSON text.
pub fn to_har(transcript: &Transcript, options: ExportOptions) -> String {
    let started = transcript.setting.started_at.unwrap_or_default();
    let entries: Vec<Value> = transcript
        .steps
        .iter()
        .map(|step| entry(step, started, options))
        .collect();
    let document = json!({
        "log": {
            "version": "1.2",
            "creator": { "name": "provdesk", "version": env!("CARGO_PKG_VERSION") },
            "comment": format!("Test fetch as {}", transcript.setting.model),
            "entries": entries,
        }
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

/// One request and its response as a HAR entry.
fn entry(step: &Step, started: chrono::DateTime<chrono::Utc>, options: ExportOptions) -> Value {
    let request = &step.request;
    let started_at = started
        + chrono::Duration::from_std(request.at).unwrap_or_else(|_| chrono::Duration::zero());
    let (response, time, wait, receive) = match &step.response {
        Some(r) => {
            let wait = ms(r.wait);
            let total = ms(r.total);
            (response(r, options), total, wait, (total - wait).max(0.0))
        }
        None => (no_response(step), 0.0, 0.0, 0.0),
    };
    let query: Vec<Value> = reqwest::Url::parse(&request.url)
        .map(|url| {
            url.query_pairs()
                .map(|(name, value)| json!({ "name": name, "value": value }))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "startedDateTime": started_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "time": time,
        "request": {
            "method": request.method,
            "url": request.url,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": headers(&shown_headers(&request.headers, options.reveal_secrets)),
            "queryString": query,
            "headersSize": -1,
            "bodySize": 0,
        },
        "response": response,
        "cache": {},
        "timings": { "send": 0, "wait": wait, "receive": receive },
        "comment": format!("step {}: {}", request.step + 1, request.attempt.describe()),
    })
}

fn response(r: &ReceivedResponse, options: ExportOptions) -> Value {
    let mut content = json!({
        "size": r.body_size,
        "mimeType": r.header("content-type").unwrap_or(""),
    });
    if options.bodies {
        content["text"] = Value::String(r.shown.raw(&r.body, options.reveal_secrets).into_owned());
    } else if r.body_size > 0 {
        content["comment"] = Value::String("body left out (export with bodies to keep it)".into());
    }
    let shown = shown_headers(&r.headers, options.reveal_secrets);
    json!({
        "status": r.status,
        "statusText": r.reason,
        "httpVersion": har_version(&r.http_version),
        "cookies": [],
        "headers": headers(&shown),
        "content": content,
        "redirectURL": header_values(&shown, "location").next().unwrap_or(""),
        "headersSize": -1,
        "bodySize": r.body_size,
    })
}

/// HAR has no place for a transport error: an empty response with the error beside it.
fn no_response(step: &Step) -> Value {
    json!({
        "status": 0,
        "statusText": "",
        "httpVersion": "",
        "cookies": [],
        "headers": [],
        "content": { "size": 0, "mimeType": "" },
        "redirectURL": "",
        "headersSize": -1,
        "bodySize": -1,
        "_error": step.error.as_ref().map(|(_, m)| m.clone()),
    })
}

fn headers(lines: &[HeaderLine]) -> Vec<Value> {
    lines
        .iter()
        .map(|h| json!({ "name": h.name, "value": h.value }))
        .collect()
}

fn ms(duration: std::time::Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// `HTTP_11` (reqwest's Debug) → `HTTP/1.1`.
fn har_version(debug: &str) -> String {
    match debug {
        "HTTP/0.9" | "HTTP_09" => "HTTP/0.9",
        "HTTP/1.0" | "HTTP_10" => "HTTP/1.0",
        "HTTP/2.0" | "HTTP_2" => "HTTP/2",
        "HTTP/3.0" | "HTTP_3" => "HTTP/3",
        _ => "HTTP/1.1",
    }
    .to_string()
}
