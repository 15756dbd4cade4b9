//! Gigaset's redirect server (`autoprov.*` over XML-RPC, HTTP Basic auth).
//!
//! The XML is written and read by `dxr_client`'s helpers; the HTTP goes through our own reqwest
//! client so that the status is looked at before the body (dxr_client's `Client` would report a
//! 503 page as "invalid data"), the timeouts are ours and TLS is the process's rustls set-up.

use std::time::Duration;

use dxr::{FaultResponse, MethodCall, MethodResponse, Value};
use dxr_client::utils::request_to_body;

use super::account::Account;
use super::answer::{
    self, CheckAnswer, DeviceAnswer, ListAnswer, RemoteDevice, ShapeError, clip, redact,
};
use super::endpoint::checked_endpoint;
use super::service::{RedirectError, RedirectService};
use crate::fetch::{error_chain, install_crypto_provider};
use crate::secret::Secret;

/// How long one call may take by default. A list call of 100 devices answers in well under a
/// second on the real server; 30 s leaves room for a slow link without hanging a sync.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest `--timeout` taken: an hour is more than any call needs, and far from the
/// overflow of the clock's arithmetic.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(3600);

/// The largest answer read, in bytes: 64 MiB (67,108,864 bytes).
///
/// Sized from the largest answer there is, `listDevices` of a big account. One device in it is
/// `<value><array><data>` + four `<value><string>…</string></value>` + `</data></array></value>`:
/// 20 + 4 × 32 + 23 = 171 bytes of markup, plus at most 12 (MAC) + 64 (provider name) + 256
/// (URL) + 32 (date) = 364 bytes of text: 535 bytes, 640 with room for whitespace between the
/// elements. 100,000 devices × 640 bytes = 64,000,000 bytes, under the cap; a test checks that
/// 100,000 rows of the largest fields fit. An answer past the cap is not read further.
pub const MAX_ANSWER_BYTES: usize = 64 << 20;

/// The deepest element nesting read. The deepest real answer, `listDevices`, nests 11
/// (`methodResponse/params/param/value/array/data/value/array/data/value/string`).
pub const MAX_NESTING: usize = 32;

/// A client for one provisioner account.
#[derive(Debug, Clone)]
pub struct GigasetClient {
    http: reqwest::Client,
    endpoint: reqwest::Url,
    endpoint_text: String,
    user: String,
    password: Secret,
    timeout: Duration,
}

impl GigasetClient {
    /// A client for `account`; every call gives up after `timeout` (at most [`MAX_TIMEOUT`]).
    /// Refuses an address that is not `http(s)://`, and plain `http://` to another machine
    /// unless the account allows it (the password would cross the network in clear).
    pub fn new(account: &Account, timeout: Duration) -> Result<Self, RedirectError> {
        let endpoint = checked_endpoint(account)?;
        let timeout = timeout.min(MAX_TIMEOUT);
        install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .http1_only()
            .build()
            .map_err(|e| RedirectError::Client(error_chain(&e)))?;
        Ok(Self {
            http,
            endpoint_text: endpoint.shown,
            endpoint: endpoint.url,
            user: account.user.clone(),
            password: account.password.clone(),
            timeout,
        })
    }

    /// One XML-RPC call: the returned value, or why there is none.
    async fn call(&self, method: &str, params: Vec<Value>) -> Result<Value, RedirectError> {
        let body = request_to_body(&MethodCall {
            name: method.into(),
            params,
        })
        .map_err(|e| RedirectError::Client(e.to_string()))?;
        let response = self
            .http
            .post(self.endpoint.clone())
            .header(reqwest::header::CONTENT_TYPE, "text/xml")
            .basic_auth(&self.user, Some(self.password.expose()))
            .body(body)
            .send()
            .await
            .map_err(|e| self.transport_error(method, &e))?;
        let status = response.status().as_u16();
        match status {
            200..=299 => {}
            401 | 403 => {
                return Err(RedirectError::Unauthorized {
                    endpoint: self.endpoint_text.clone(),
                    user: self.user.clone(),
                    status,
                });
            }
            502..=504 => {
                return Err(RedirectError::Unavailable {
                    endpoint: self.endpoint_text.clone(),
                    method: method.to_string(),
                    status,
                });
            }
            _ => {
                return Err(RedirectError::Status {
                    endpoint: self.endpoint_text.clone(),
                    method: method.to_string(),
                    status,
                });
            }
        }
        let text = self.read_answer(method, response).await?;
        decode_response(method, &text)
    }

    /// The body, read chunk by chunk up to [`MAX_ANSWER_BYTES`]; a declared length over the cap
    /// is refused before reading.
    async fn read_answer(
        &self,
        method: &str,
        mut response: reqwest::Response,
    ) -> Result<String, RedirectError> {
        let too_large = || RedirectError::TooLarge {
            endpoint: self.endpoint_text.clone(),
            method: method.to_string(),
            limit: MAX_ANSWER_BYTES,
        };
        if response
            .content_length()
            .is_some_and(|length| length > MAX_ANSWER_BYTES as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_error(method, &e))?
        {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(String::from_utf8_lossy(&body).into_owned())
    }

    fn transport_error(&self, method: &str, error: &reqwest::Error) -> RedirectError {
        if error.is_timeout() {
            RedirectError::Timeout {
                endpoint: self.endpoint_text.clone(),
                method: method.to_string(),
                seconds: self.timeout.as_secs_f64(),
            }
        } else {
            RedirectError::Network {
                endpoint: self.endpoint_text.clone(),
                reason: error_chain(error),
            }
        }
    }
}

/// Reads an XML-RPC response body: the value, a fault, or a clear "not XML-RPC".
///
/// A body holding `<fault>` is read as a fault, any other as a value: one parse per answer,
/// where dxr_client's `response_to_result` tries the fault first on every answer (a list
/// call's answer is then read twice).
///
/// Never panics, whatever the body: an answer nested deeper than [`MAX_NESTING`] is refused
/// before it is parsed, and a MAC password (`OK:…`) in it is masked in any error.
pub fn decode_response(method: &str, body: &str) -> Result<Value, RedirectError> {
    if nesting_exceeds(body, MAX_NESTING) {
        return Err(RedirectError::Nested {
            method: method.to_string(),
            limit: MAX_NESTING,
        });
    }
    let parsed = if body.contains("<fault>") {
        FaultResponse::from_xml(body).map(Err)
    } else {
        MethodResponse::from_xml(body).map(Ok)
    };
    match parsed {
        Ok(Ok(response)) => Ok(response.value),
        Ok(Err(fault)) => Err(RedirectError::Fault {
            method: method.to_string(),
            code: fault.fault.code(),
            message: clip(&redact(fault.fault.string()), 200),
        }),
        Err(_) => Err(RedirectError::Malformed {
            method: method.to_string(),
            excerpt: clip(&redact(&body.trim().replace(['\r', '\n'], " ")), 80),
        }),
    }
}

/// Whether elements nest deeper than `limit` anywhere in `xml`; one pass, no parsing.
/// Declarations, comments and closing tags do not open a level; `<a/>` opens and closes one.
fn nesting_exceeds(xml: &str, limit: usize) -> bool {
    let bytes = xml.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + offset + 1;
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |e| start + e);
        match bytes.get(start) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(b'?' | b'!') | None => {}
            Some(_) if bytes[..end].ends_with(b"/") => {}
            Some(_) => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
        }
        at = end.max(start);
    }
    false
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().map(|s| Value::String(s.clone())).collect())
}

fn text(value: &str) -> Value {
    Value::String(value.to_string())
}

fn shaped<T>(method: &str, result: Result<T, ShapeError>) -> Result<T, RedirectError> {
    result.map_err(|error| RedirectError::Shape {
        method: method.to_string(),
        error,
    })
}

impl RedirectService for GigasetClient {
    fn endpoint(&self) -> &str {
        &self.endpoint_text
    }

    async fn register(
        &self,
        mac_id: &str,
        url: &str,
        provider: &str,
    ) -> Result<DeviceAnswer, RedirectError> {
        const METHOD: &str = "autoprov.registerDevice";
        let value = self
            .call(METHOD, vec![text(mac_id), text(url), text(provider)])
            .await?;
        shaped(METHOD, answer::single_answer(&value))
    }

    async fn deregister(&self, mac_id: &str) -> Result<DeviceAnswer, RedirectError> {
        const METHOD: &str = "autoprov.deregisterDevice";
        let value = self.call(METHOD, vec![text(mac_id)]).await?;
        shaped(METHOD, answer::single_answer(&value))
    }

    async fn register_list(
        &self,
        mac_ids: &[String],
        url: &str,
        provider: &str,
    ) -> Result<ListAnswer, RedirectError> {
        const METHOD: &str = "autoprov.registerDeviceList";
        let value = self
            .call(METHOD, vec![strings(mac_ids), text(url), text(provider)])
            .await?;
        shaped(METHOD, answer::list_answer(&value, mac_ids.len()))
    }

    async fn deregister_list(&self, mac_ids: &[String]) -> Result<ListAnswer, RedirectError> {
        const METHOD: &str = "autoprov.deregisterDeviceList";
        let value = self.call(METHOD, vec![strings(mac_ids)]).await?;
        shaped(METHOD, answer::list_answer(&value, mac_ids.len()))
    }

    async fn list(&self, providers: &[String]) -> Result<Vec<RemoteDevice>, RedirectError> {
        const METHOD: &str = "autoprov.listDevices";
        let value = self
            .call(METHOD, providers.iter().map(|p| text(p)).collect())
            .await?;
        shaped(METHOD, answer::device_list(&value))
    }

    async fn check(&self, mac_id: &str) -> Result<CheckAnswer, RedirectError> {
        const METHOD: &str = "autoprov.checkDevice";
        let value = self.call(METHOD, vec![text(mac_id)]).await?;
        shaped(METHOD, answer::check_answer(&value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_html_page_is_not_xml_rpc() {
        let error =
            decode_response("autoprov.listDevices", "<html><body>Login</body></html>").unwrap_err();
        assert_eq!(error.code(), "malformed_reply");
        assert!(error.to_string().contains("<html><body>Login"), "{error}");
    }

    #[test]
    fn a_fault_keeps_its_code_and_message() {
        let body = "<?xml version=\"1.0\"?><methodResponse><fault><value><struct>\
            <member><name>faultCode</name><value><int>4</int></value></member>\
            <member><name>faultString</name><value><string>Too many parameters</string></value></member>\
            </struct></value></fault></methodResponse>";
        let error = decode_response("autoprov.checkDevice", body).unwrap_err();
        assert!(
            matches!(error, RedirectError::Fault { code: 4, .. }),
            "{error}"
        );
    }

    /// `listDevices` rows with every field at its largest, as XML-RPC writes them.
    fn list_answer_of(devices: usize) -> usize {
        let row = Value::Array(vec![
            text("7C2F80820EC0"),
            text(&"P".repeat(64)),
            text(&format!("https://{}", "u".repeat(248))),
            text(&"2".repeat(32)),
        ]);
        let response = MethodResponse {
            value: Value::Array(vec![row; devices]),
        };
        response.to_xml().unwrap().len()
    }

    #[test]
    fn the_cap_holds_a_list_of_100000_of_the_largest_devices() {
        let per_device = (list_answer_of(1000) - list_answer_of(0)) / 1000;
        assert!(per_device <= 640, "{per_device} bytes per device");
        assert!(100_000 * per_device < MAX_ANSWER_BYTES, "{per_device}");
    }

    #[test]
    fn nesting_deeper_than_any_answer_is_refused_before_parsing() {
        let open = "<value><array><data>".repeat(MAX_NESTING);
        let body = format!("<?xml version=\"1.0\"?><methodResponse><params><param>{open}");
        let error = decode_response("autoprov.listDevices", &body).unwrap_err();
        assert!(matches!(error, RedirectError::Nested { .. }), "{error}");
        assert_eq!(error.code(), "malformed_reply");
        // The deepest real answer passes, self-closing and closing tags included.
        let row = "<value><array><data><value><string>a</string></value><value><string/></value></data></array></value>";
        let list = format!(
            "<?xml version=\"1.0\"?><!-- x --><methodResponse><params><param><value><array><data>{}</data></array></value></param></params></methodResponse>",
            row.repeat(3)
        );
        assert!(!nesting_exceeds(&list, 11));
        assert!(nesting_exceeds(&list, 10));
        decode_response("autoprov.listDevices", &list).unwrap();
    }

    #[test]
    fn a_mac_password_in_a_malformed_answer_or_a_fault_is_masked() {
        let error = decode_response("autoprov.registerDevice", "OK:2EE3EECC82C4").unwrap_err();
        assert!(!error.to_string().contains("2EE3EECC82C4"), "{error}");
        let fault = "<?xml version=\"1.0\"?><methodResponse><fault><value><struct>\
            <member><name>faultCode</name><value><int>1</int></value></member>\
            <member><name>faultString</name><value><string>bad OK:2EE3EECC82C4</string></value></member>\
            </struct></value></fault></methodResponse>";
        let error = decode_response("autoprov.registerDevice", fault).unwrap_err();
        assert!(!error.to_string().contains("2EE3EECC82C4"), "{error}");
    }

    #[test]
    fn an_endpoint_must_be_http() {
        let account = Account::new("ftp://example.org/rpc", "u", Secret::new("p"));
        assert!(matches!(
            GigasetClient::new(&account, DEFAULT_TIMEOUT),
            Err(RedirectError::BadEndpoint(_))
        ));
    }
}
