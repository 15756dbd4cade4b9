//! The six `autoprov.*` methods as dxr_server handlers over the shared [`Registry`].

use std::collections::HashMap;
use std::sync::{Arc, MutexGuard, PoisonError};

use dxr::{Fault, Value};
use dxr_server::{Handler, HandlerMap, HandlerResult, async_trait};
use hyper::HeaderMap;

use super::registry::Registry;
use super::{Shared, SimCall};

/// Which method a handler answers.
#[derive(Debug, Clone, Copy)]
enum Method {
    Register,
    Deregister,
    RegisterList,
    DeregisterList,
    List,
    Check,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Self::Register => "autoprov.registerDevice",
            Self::Deregister => "autoprov.deregisterDevice",
            Self::RegisterList => "autoprov.registerDeviceList",
            Self::DeregisterList => "autoprov.deregisterDeviceList",
            Self::List => "autoprov.listDevices",
            Self::Check => "autoprov.checkDevice",
        }
    }
}

struct MethodHandler {
    method: Method,
    shared: Arc<Shared>,
}

/// The handler map dxr_server dispatches with.
pub(super) fn handlers(shared: &Arc<Shared>) -> HandlerMap {
    let mut map: HashMap<&'static str, Box<dyn Handler>> = HashMap::new();
    for method in [
        Method::Register,
        Method::Deregister,
        Method::RegisterList,
        Method::DeregisterList,
        Method::List,
        Method::Check,
    ] {
        map.insert(
            method.name(),
            Box::new(MethodHandler {
                method,
                shared: shared.clone(),
            }),
        );
    }
    Arc::new(map)
}

/// The XML-RPC fault a real server gives for wrong parameters.
fn bad_params(method: Method, expected: &str) -> Fault {
    Fault::new(-32602, format!("{} expects {expected}", method.name()))
}

fn string(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn strings(value: &Value) -> Option<Vec<&str>> {
    match value {
        Value::Array(items) => items.iter().map(string).collect(),
        _ => None,
    }
}

fn text(s: impl Into<String>) -> Value {
    Value::String(s.into())
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%d %H:%M").to_string()
}

impl MethodHandler {
    fn registry(&self) -> MutexGuard<'_, Registry> {
        self.shared
            .registry
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Answers the call with its own method: one function per XML-RPC method.
    fn answer(&self, params: &[Value]) -> HandlerResult {
        match self.method {
            Method::Register => self.register(params),
            Method::Deregister => self.deregister(params),
            Method::RegisterList => self.register_list(params),
            Method::DeregisterList => self.deregister_list(params),
            Method::List => self.list(params),
            Method::Check => self.check(params),
        }
    }

    fn register(&self, params: &[Value]) -> HandlerResult {
        let method = self.method;
        let [mac_id, url, provider] = params else {
            return Err(bad_params(method, "MAC-ID, URL, provider"));
        };
        let (Some(mac_id), Some(url), Some(provider)) =
            (string(mac_id), string(url), string(provider))
        else {
            return Err(bad_params(method, "three strings"));
        };
        let result = self.registry().register(mac_id, url, provider, &now());
        Ok(status(result.map(|password| format!("OK:{password}"))))
    }

    fn deregister(&self, params: &[Value]) -> HandlerResult {
        let method = self.method;
        let [mac_id] = params else {
            return Err(bad_params(method, "one MAC-ID"));
        };
        let mac_id = string(mac_id).ok_or_else(|| bad_params(method, "a string"))?;
        let result = self.registry().deregister(mac_id, false);
        Ok(status(result.map(|()| "OK".to_string())))
    }

    fn register_list(&self, params: &[Value]) -> HandlerResult {
        let method = self.method;
        let [mac_ids, url, provider] = params else {
            return Err(bad_params(method, "MAC-IDs, URL, provider"));
        };
        let (Some(mac_ids), Some(url), Some(provider)) =
            (strings(mac_ids), string(url), string(provider))
        else {
            return Err(bad_params(method, "an array of strings and two strings"));
        };
        let results = self
            .registry()
            .register_many(&mac_ids, url, provider, &now());
        Ok(list_status(results.into_iter().map(|result| {
            result.map(|password| format!("OK:{password}"))
        })))
    }

    fn deregister_list(&self, params: &[Value]) -> HandlerResult {
        let method = self.method;
        let [mac_ids] = params else {
            return Err(bad_params(method, "an array of MAC-IDs"));
        };
        let mac_ids = strings(mac_ids).ok_or_else(|| bad_params(method, "strings"))?;
        let mut registry = self.registry();
        Ok(list_status(mac_ids.iter().map(|mac_id| {
            registry.deregister(mac_id, true).map(|()| "OK".to_string())
        })))
    }

    fn list(&self, params: &[Value]) -> HandlerResult {
        let method = self.method;
        let providers: Vec<String> = params
            .iter()
            .map(|p| string(p).map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| bad_params(method, "provider names as strings"))?;
        let registry = self.registry();
        Ok(Value::Array(
            registry
                .list(&providers)
                .into_iter()
                .map(|r| {
                    Value::Array(vec![
                        text(&r.mac),
                        text(&r.provider),
                        text(&r.url),
                        text(&r.date),
                    ])
                })
                .collect(),
        ))
    }

    fn check(&self, params: &[Value]) -> HandlerResult {
        let method = self.method;
        let [mac_id] = params else {
            return Err(bad_params(method, "one MAC-ID"));
        };
        let mac_id = string(mac_id).ok_or_else(|| bad_params(method, "a string"))?;
        Ok(match self.registry().check(mac_id) {
            Ok(r) => Value::Array(vec![
                Value::Boolean(true),
                text(&r.mac),
                text(&r.provider),
                text(&r.date),
                text(&r.url),
            ]),
            Err(code) => Value::Array(vec![Value::Boolean(false), text(code)]),
        })
    }
}

/// `[true, "OK…"]` or `[false, code]`.
fn status(result: Result<String, String>) -> Value {
    match result {
        Ok(text) => Value::Array(vec![Value::Boolean(true), Value::String(text)]),
        Err(code) => Value::Array(vec![Value::Boolean(false), Value::String(code)]),
    }
}

/// `[all ok, result, result…]`.
fn list_status(results: impl Iterator<Item = Result<String, String>>) -> Value {
    let results: Vec<Result<String, String>> = results.collect();
    let all_ok = results.iter().all(Result::is_ok);
    Value::Array(
        std::iter::once(Value::Boolean(all_ok))
            .chain(
                results
                    .into_iter()
                    .map(|result| Value::String(result.unwrap_or_else(|code| code))),
            )
            .collect(),
    )
}

#[async_trait]
impl Handler for MethodHandler {
    async fn handle(&self, params: &[Value], _headers: HeaderMap) -> HandlerResult {
        let answer = self.answer(params);
        self.shared.log(SimCall {
            method: self.method.name().to_string(),
            devices: match (self.method, params.first()) {
                (Method::List, _) => params.len(),
                (_, Some(Value::Array(items))) => items.len(),
                (_, Some(_)) => 1,
                (_, None) => 0,
            },
            status: 200,
            fault: answer.as_ref().err().map(|f| f.string().to_string()),
        });
        answer
    }
}
