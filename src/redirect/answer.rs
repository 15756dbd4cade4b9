//! The redirect server's answers as types, read from XML-RPC values of any shape.
//!
//! The answers are outside data: a proxy, a server update or a simulator fault can hand back
//! any value. Every reader here returns a [`ShapeError`] naming what it expected instead of
//! panicking, and tolerates the harmless variations (a boolean sent as `1`/`0`, blanks).

use dxr::Value;
use serde::Serialize;
use thiserror::Error;

use super::code::ResultCode;
use crate::device::{Mac, MacPassword, mask_url_password};
use crate::printable::printable;
use crate::secret::MASK;

/// What the server said about one device in a register or deregister call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceAnswer {
    /// Done. A registration carries the MAC password from `OK:<password>`.
    Ok {
        mac_password: Option<MacPassword>,
    },
    Refused(ResultCode),
}

impl DeviceAnswer {
    pub fn is_ok(&self) -> bool {
        matches!(self, Self::Ok { .. })
    }
}

/// The answer to a list call: the server's overall flag and one answer per device, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListAnswer {
    /// False when any device failed.
    pub all_ok: bool,
    pub devices: Vec<DeviceAnswer>,
}

/// One registration as `listDevices` or `checkDevice` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemoteDevice {
    /// The MAC as the server wrote it (12 hex digits, usually without the MAC-ID suffix).
    pub mac: String,
    pub provider: String,
    /// The URL pattern as registered, placeholders unexpanded.
    pub url: String,
    pub date: String,
}

impl RemoteDevice {
    /// The MAC as a [`Mac`], when the server's text is one (a MAC-ID's MAC part counts).
    pub fn parsed_mac(&self) -> Option<Mac> {
        let text = self.mac.trim();
        let mac_part = text.split_once('-').map_or(text, |(mac, _)| mac);
        Mac::parse(mac_part).ok().or_else(|| Mac::parse(text).ok())
    }
}

/// A registration as the faces show it (`redirect list` and `check`, the Redirect panel, a
/// sync plan): each value the server sent escaped and cut, the URL's password masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownRegistration {
    pub mac: String,
    pub provider: String,
    pub url: String,
    pub date: String,
}

impl RemoteDevice {
    pub fn shown(&self) -> ShownRegistration {
        ShownRegistration {
            mac: shown(&self.mac, 24),
            provider: shown(&self.provider, 60),
            url: shown_url(&self.url),
            date: shown(&self.date, 40),
        }
    }
}

/// A value the redirect server sent, as a face may show it: control characters escaped (an
/// escape sequence in an answer would otherwise retitle, clear or recolour the terminal),
/// what follows `OK:` masked, and the middle of a long value cut (`max` characters).
pub fn shown(text: &str, max: usize) -> String {
    printable(&redact(text), max)
}

/// The first `max` characters of a value the server sent, cut at the end as [`clip`] does
/// (an error quotes the start of a body), then escaped as [`shown`].
pub(super) fn quoted(text: &str, max: usize) -> String {
    // An escaped control character is at most 10 characters (`\u{10ffff}`): nothing more is cut.
    printable(
        &clip(&redact(text), max),
        max.saturating_mul(10).saturating_add(10),
    )
}

/// A URL the server (or the inventory) holds, shown: its `user:password@` masked, then as [`shown`].
pub fn shown_url(url: &str) -> String {
    shown(&mask_url_password(url), 200)
}

/// The answer to `checkDevice`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckAnswer {
    Registered(RemoteDevice),
    Refused(ResultCode),
}

/// An answer whose shape is not the documented one.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{expected}, but the server sent {found}")]
pub struct ShapeError {
    pub expected: String,
    pub found: String,
}

fn shape(expected: impl Into<String>, found: &Value) -> ShapeError {
    ShapeError {
        expected: expected.into(),
        found: describe(found),
    }
}

/// A short description of a value, for error messages: its type and a clipped rendering.
pub fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("the string \"{}\"", quoted(s, 60)),
        Value::Integer(i) => format!("the integer {i}"),
        Value::Boolean(b) => format!("the boolean {b}"),
        Value::Double(d) => format!("the number {d}"),
        Value::Array(items) => format!("an array of {} values", items.len()),
        Value::Struct(fields) => format!("a struct with {} members", fields.len()),
        Value::Base64(bytes) => format!("{} bytes of base64", bytes.len()),
        Value::DateTime(_) => "a date".to_string(),
        _ => "a value of another type".to_string(),
    }
}

/// `text` with every MAC password masked: what follows `OK:` (letters and digits) becomes
/// the mask, so that an answer in the wrong place never puts a password into an error.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("OK:") {
        out.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        let run = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        // The next `OK:` may begin inside this run (`OK:2OK:<password>`, found by the
        // fuzzer): the mask stops there, so that the next one masks its own password.
        let secret = rest.find("OK:").filter(|&next| next < run).unwrap_or(run);
        if secret > 0 {
            out.push_str(MASK);
        }
        rest = &rest[secret..];
    }
    out.push_str(rest);
    out
}

/// The first `max` characters of `text`, with an ellipsis when cut.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

fn as_array<'a>(value: &'a Value, what: &str) -> Result<&'a [Value], ShapeError> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(shape(format!("{what} should be an array"), other)),
    }
}

/// A boolean as sent: `<boolean>`, or leniently `1`/`0` as an integer or a string.
fn as_flag(value: &Value, what: &str) -> Result<bool, ShapeError> {
    match value {
        Value::Boolean(b) => Ok(*b),
        Value::Integer(1) => Ok(true),
        Value::Integer(0) => Ok(false),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" => Ok(true),
            "0" | "false" => Ok(false),
            _ => Err(shape(format!("{what} should be true or false"), value)),
        },
        other => Err(shape(format!("{what} should be true or false"), other)),
    }
}

fn as_text(value: &Value, what: &str) -> Result<String, ShapeError> {
    match value {
        Value::String(s) => Ok(s.trim().to_string()),
        Value::Integer(i) => Ok(i.to_string()),
        other => Err(shape(format!("{what} should be a string"), other)),
    }
}

/// One device's string: `OK`, `OK:<password>` or a code. A password that is not the
/// documented 12 letters or digits is not kept (the registration still succeeded).
pub fn device_answer(text: &str) -> DeviceAnswer {
    let text = text.trim();
    match text.strip_prefix("OK") {
        Some(rest) if rest.is_empty() || rest.starts_with(':') => DeviceAnswer::Ok {
            mac_password: rest
                .strip_prefix(':')
                .and_then(|p| MacPassword::parse(p.trim()).ok()),
        },
        _ => DeviceAnswer::Refused(ResultCode::parse(text)),
    }
}

/// `[bool, string]`, the answer to `registerDevice` and `deregisterDevice`.
///
/// The string decides (a `true` with a code, or `false` with `OK`, is read by its string),
/// because the string is what names the outcome.
pub fn single_answer(value: &Value) -> Result<DeviceAnswer, ShapeError> {
    let items = as_array(value, "the answer")?;
    match items {
        [flag, text] => {
            as_flag(flag, "the answer's first value")?;
            Ok(device_answer(&as_text(text, "the answer's second value")?))
        }
        _ => Err(shape(
            "the answer should be [true|false, \"OK…\"|code]",
            value,
        )),
    }
}

/// `[bool, string, string…]`, the answer to the list calls, with one string per device sent.
pub fn list_answer(value: &Value, sent: usize) -> Result<ListAnswer, ShapeError> {
    let items = as_array(value, "the answer")?;
    let Some((flag, rest)) = items.split_first() else {
        return Err(shape("the answer should start with true or false", value));
    };
    let all_ok = as_flag(flag, "the answer's first value")?;
    if rest.len() != sent {
        return Err(ShapeError {
            expected: format!("one result for each of the {sent} devices sent"),
            found: format!("{} results", rest.len()),
        });
    }
    let devices = rest
        .iter()
        .enumerate()
        .map(|(index, item)| {
            as_text(item, &format!("result {}", index + 1)).map(|text| device_answer(&text))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ListAnswer { all_ok, devices })
}

/// The answer to `listDevices`: an array of `[MAC, NAME, URL, DATE]`.
pub fn device_list(value: &Value) -> Result<Vec<RemoteDevice>, ShapeError> {
    as_array(value, "the device list")?
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let what = format!("device {} of the list", index + 1);
            match as_array(row, &what)? {
                [mac, name, url, date, ..] => Ok(RemoteDevice {
                    mac: as_text(mac, &format!("the MAC of {what}"))?,
                    provider: as_text(name, &format!("the provider of {what}"))?,
                    url: as_text(url, &format!("the URL of {what}"))?,
                    date: as_text(date, &format!("the date of {what}"))?,
                }),
                _ => Err(shape(
                    format!("{what} should be [MAC, NAME, URL, DATE]"),
                    row,
                )),
            }
        })
        .collect()
}

/// The answer to `checkDevice`: `[true, MAC, NAME, DATE, URL]` or `[false, code]`.
pub fn check_answer(value: &Value) -> Result<CheckAnswer, ShapeError> {
    let items = as_array(value, "the answer")?;
    let Some((flag, rest)) = items.split_first() else {
        return Err(shape("the answer should start with true or false", value));
    };
    match (as_flag(flag, "the answer's first value")?, rest) {
        (true, [mac, name, date, url, ..]) => Ok(CheckAnswer::Registered(RemoteDevice {
            mac: as_text(mac, "the MAC")?,
            provider: as_text(name, "the provider")?,
            url: as_text(url, "the URL")?,
            date: as_text(date, "the date")?,
        })),
        (false, [code, ..]) => Ok(CheckAnswer::Refused(ResultCode::parse(&as_text(
            code, "the code",
        )?))),
        _ => Err(shape(
            "the answer should be [true, MAC, NAME, DATE, URL] or [false, code]",
            value,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    #[test]
    fn a_registration_yields_the_mac_password() {
        let answer = single_answer(&Value::Array(vec![
            Value::Boolean(true),
            s("OK:2EE3EECC82C4"),
        ]))
        .unwrap();
        let DeviceAnswer::Ok {
            mac_password: Some(password),
        } = answer
        else {
            panic!("expected a password: {answer:?}");
        };
        assert_eq!(password.secret().expose(), "2EE3EECC82C4");
    }

    #[test]
    fn list_answers_keep_each_devices_result_in_order() {
        let answer = list_answer(
            &Value::Array(vec![
                Value::Integer(0),
                s("OK:55DF75196006"),
                s("mac_invalid:123456789123--1910"),
            ]),
            2,
        )
        .unwrap();
        assert!(!answer.all_ok);
        assert!(answer.devices[0].is_ok());
        assert_eq!(
            answer.devices[1],
            DeviceAnswer::Refused(ResultCode::MacInvalid(Some("123456789123--1910".into())))
        );
    }

    #[test]
    fn a_list_answer_with_the_wrong_count_is_refused() {
        let error = list_answer(&Value::Array(vec![Value::Boolean(true), s("OK")]), 2).unwrap_err();
        assert_eq!(error.found, "1 results");
    }

    #[test]
    fn check_answers_read_the_documented_order() {
        let value = Value::Array(vec![
            Value::Boolean(true),
            s("7C2F800DA979"),
            s("Daryna"),
            s("2015-11-17"),
            s("http://registration-test.pl"),
        ]);
        let CheckAnswer::Registered(device) = check_answer(&value).unwrap() else {
            panic!("expected a registration");
        };
        assert_eq!(device.url, "http://registration-test.pl");
        assert_eq!(device.date, "2015-11-17");
        assert_eq!(device.parsed_mac().unwrap().macd(), "7C2F800DA979");
    }

    #[test]
    fn a_mac_password_is_masked_wherever_it_appears() {
        let error = single_answer(&s("OK:2EE3EECC82C4")).unwrap_err();
        assert!(!error.to_string().contains("2EE3EECC82C4"), "{error}");
        assert_eq!(redact("OK"), "OK");
        assert_eq!(redact("a OK: b"), "a OK: b");
        assert_eq!(
            redact("[OK:55DF75196006, OK:2EE3EECC82C4]"),
            format!("[OK:{MASK}, OK:{MASK}]")
        );
        // An `OK:` inside what the one before it masks (found by the fuzzer).
        assert_eq!(redact("OK:2OK:2EE3EECC82C4"), format!("OK:{MASK}OK:{MASK}"));
        assert_eq!(redact("OK:OK:2EE3EECC82C4:"), format!("OK:OK:{MASK}:"));
    }

    #[test]
    fn wrong_shapes_say_what_was_expected() {
        let error = device_list(&s("oops")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the device list should be an array, but the server sent the string \"oops\""
        );
    }
}
