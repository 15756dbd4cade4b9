//! A 2xx whose body did not arrive whole: the server accepted the request, but the device
//! would not get a usable file, so it is no success. What came stays in the log.

use super::{Facts, finding, host_of};
use crate::fetch::events::BodyCut;
use crate::fetch::finding::{Code, Diagnosis, Severity};

/// What a proxy or server that cuts a download off should be checked for.
const CUT_OFF_FIX: &str = "The server accepted the request, so the URL and the credentials are right. Look at what sends the file: the error log of the server at this time (a worker that stalls or crashes while sending), and any proxy or load balancer in front of it, whose read or idle timeout (nginx proxy_read_timeout and send_timeout, HAProxy timeout server) or body size limit may cut the download off. Then fetch again: a device that gets half a file does not apply it.";

pub(super) fn body_incomplete(facts: &Facts) -> Option<Diagnosis> {
    let response = facts.response().filter(|r| r.is_success())?;
    let cut = response.incomplete.as_ref()?;
    let size = response.body_size;
    let of = match response.content_length() {
        Some(announced) if announced > size as u64 => {
            format!(" of the {announced} its Content-Length announced")
        }
        _ => String::new(),
    };
    let what = match cut {
        BodyCut::TimedOut => {
            format!("the body did not arrive within the timeout: {size} bytes{of} came")
        }
        BodyCut::BrokeOff => format!("the connection broke off after {size} bytes{of}"),
        BodyCut::TooLarge { bound } => {
            format!("the body ran past {bound} bytes{of}, where provdesk stopped reading")
        }
        BodyCut::Short { announced } => {
            format!(
                "the body ended after {size} of the {announced} bytes its Content-Length announced"
            )
        }
    };
    let fix = match cut {
        BodyCut::TooLarge { bound } => format!(
            "Check what the URL names: a configuration file is a few kilobytes, and this one is larger than {bound} bytes (a firmware image, a log, or a server that sends without end). Put the device's configuration file at the URL it asks for."
        ),
        _ => CUT_OFF_FIX.to_string(),
    };
    Some(finding(
        Code::BodyIncomplete,
        Severity::Error,
        format!(
            "The file did not arrive whole ({} with {})",
            response.status,
            facts.last.request.attempt.describe()
        ),
        format!(
            "{} answered {} {} for {} on request {}, but {what}. The {} would not get its configuration from an incomplete file; what came is kept with the response.",
            host_of(&facts.last.request.url),
            response.status,
            response.reason,
            facts.last.request.target,
            facts.transcript.steps.len(),
            facts.model,
        ),
        fix,
    ))
}
