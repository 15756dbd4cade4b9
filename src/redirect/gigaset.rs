//! Gigaset's redirect server (`autoprov.*` over XML-RPC, HTTP Basic auth).
//!
//! The XML is written and read by [`super::xmlrpc`]; the HTTP goes through our own reqwest
//! client so that the status is looked at before the body (dxr_client's `Client` would report a
//! 503 page as "invalid data"), the timeouts are ours and TLS is the process's rustls set-up.

use std::time::Duration;

use dxr::Value;

use super::account::Account;
use super::answer::{self, CheckAnswer, DeviceAnswer, ListAnswer, RemoteDevice, ShapeError};
use super::endpoint::checked_endpoint;
use super::service::{RedirectError, RedirectService};
use super::xmlrpc::{Param, decode_response, method_call};
use crate::fetch::{Unreachable, error_chain, install_crypto_provider};
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
    async fn call(&self, method: &str, params: &[Param<'_>]) -> Result<Value, RedirectError> {
        let body = method_call(method, params);
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
                reason: unreachable_words(error).unwrap_or_else(|| error_chain(error)),
            }
        }
    }
}

/// The cause of a failed connection in a few words, where it is one with a fix of its own:
/// reqwest's chain names it only in its last link.
fn unreachable_words(error: &reqwest::Error) -> Option<String> {
    let cause = Unreachable::of(error)?;
    let url = error.url()?;
    let host = match url.port_or_known_default() {
        Some(port) => format!("{}:{port}", url.host_str()?),
        None => url.host_str()?.to_string(),
    };
    Some(cause.words(&host))
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
            .call(
                METHOD,
                &[Param::Text(mac_id), Param::Text(url), Param::Text(provider)],
            )
            .await?;
        shaped(METHOD, answer::single_answer(&value))
    }

    async fn deregister(&self, mac_id: &str) -> Result<DeviceAnswer, RedirectError> {
        const METHOD: &str = "autoprov.deregisterDevice";
        let value = self.call(METHOD, &[Param::Text(mac_id)]).await?;
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
            .call(
                METHOD,
                &[
                    Param::Texts(mac_ids),
                    Param::Text(url),
                    Param::Text(provider),
                ],
            )
            .await?;
        shaped(METHOD, answer::list_answer(&value, mac_ids.len()))
    }

    async fn deregister_list(&self, mac_ids: &[String]) -> Result<ListAnswer, RedirectError> {
        const METHOD: &str = "autoprov.deregisterDeviceList";
        let value = self.call(METHOD, &[Param::Texts(mac_ids)]).await?;
        shaped(METHOD, answer::list_answer(&value, mac_ids.len()))
    }

    async fn list(&self, providers: &[String]) -> Result<Vec<RemoteDevice>, RedirectError> {
        const METHOD: &str = "autoprov.listDevices";
        let params: Vec<Param<'_>> = providers.iter().map(|p| Param::Text(p)).collect();
        let value = self.call(METHOD, &params).await?;
        shaped(METHOD, answer::device_list(&value))
    }

    async fn check(&self, mac_id: &str) -> Result<CheckAnswer, RedirectError> {
        const METHOD: &str = "autoprov.checkDevice";
        let value = self.call(METHOD, &[Param::Text(mac_id)]).await?;
        shaped(METHOD, answer::check_answer(&value))
    }
}

#[cfg(test)]
mod tests {
    use dxr::MethodResponse;

    use super::*;

    fn text(value: &str) -> Value {
        Value::String(value.to_string())
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
    fn an_endpoint_must_be_http() {
        let account = Account::new("ftp://example.org/rpc", "u", Secret::new("p"));
        assert!(matches!(
            GigasetClient::new(&account, DEFAULT_TIMEOUT),
            Err(RedirectError::BadEndpoint(_))
        ));
    }
}
