//! HAR 1.2 export of a fetch, for browsers' and Postman's HAR viewers and for support tickets.
//! Headers are the logged ones: a Basic password is already masked there.

use serde_json::{Value, json};

use super::events::{HeaderLine, ReceivedResponse, Step, Transcript};

/// The HAR document as JSON text.
pub fn to_har(transcript: &Transcript) -> String {
    let started = transcript.setting.started_at.unwrap_or_default();
    let entries: Vec<Value> = transcript
        .steps
        .iter()
        .map(|step| entry(step, started))
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
fn entry(step: &Step, started: chrono::DateTime<chrono::Utc>) -> Value {
    let request = &step.request;
    let started_at = started
        + chrono::Duration::from_std(request.at).unwrap_or_else(|_| chrono::Duration::zero());
    let (response, time, wait, receive) = match &step.response {
        Some(r) => {
            let wait = ms(r.wait);
            let total = ms(r.total);
            (response(r), total, wait, (total - wait).max(0.0))
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
            "headers": headers(&request.headers),
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

fn response(r: &ReceivedResponse) -> Value {
    json!({
        "status": r.status,
        "statusText": r.reason,
        "httpVersion": har_version(&r.http_version),
        "cookies": [],
        "headers": headers(&r.headers),
        "content": {
            "size": r.body_size,
            "mimeType": r.header("content-type").unwrap_or(""),
            "text": String::from_utf8_lossy(&r.body),
        },
        "redirectURL": r.header("location").unwrap_or(""),
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
