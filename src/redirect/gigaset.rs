//! Gigaset's redirect server (`autoprov.*` over XML-RPC, HTTP Basic auth).
//!
//! The XML is written and read by `dxr_client`'s helpers; the HTTP goes through our own reqwest
//! client so that the status is looked at before the body (dxr_client's `Client` would report a
//! 503 page as "invalid data"), the timeouts are ours and TLS is the process's rustls set-up.

use std::time::Duration;

use dxr::{FaultResponse, MethodCall, MethodResponse, Value};
use dxr_client::utils::request_to_body;

use super::account::Account;
use super::answer::{self, CheckAnswer, DeviceAnswer, ListAnswer, RemoteDevice, ShapeError, clip};
use super::service::{RedirectError, RedirectService};
use crate::fetch::{error_chain, install_crypto_provider};
use crate::secret::Secret;

/// How long one call may take by default. A list call of 100 devices answers in well under a
/// second on the real server; 30 s leaves room for a slow link without hanging a sync.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

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
    /// A client for `account`; every call gives up after `timeout`.
    pub fn new(account: &Account, timeout: Duration) -> Result<Self, RedirectError> {
        let endpoint = reqwest::Url::parse(account.endpoint.trim())
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| RedirectError::BadEndpoint(account.endpoint.clone()))?;
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
            endpoint_text: endpoint.to_string(),
            endpoint,
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
        let text = response
            .text()
            .await
            .map_err(|e| self.transport_error(method, &e))?;
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
        decode_response(method, &text)
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
pub fn decode_response(method: &str, body: &str) -> Result<Value, RedirectError> {
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
            message: clip(fault.fault.string(), 200),
        }),
        Err(_) => Err(RedirectError::Malformed {
            method: method.to_string(),
            excerpt: clip(&body.trim().replace(['\r', '\n'], " "), 80),
        }),
    }
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

    #[test]
    fn an_endpoint_must_be_http() {
        let account = Account::new("ftp://example.org/rpc", "u", Secret::new("p"));
        assert!(matches!(
            GigasetClient::new(&account, DEFAULT_TIMEOUT),
            Err(RedirectError::BadEndpoint(_))
        ));
    }
}
