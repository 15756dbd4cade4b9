//! Check, register and deregister single devices at the redirect server, with every answer
//! recorded in the inventory the moment it is known (a MAC password the server issues exists
//! nowhere else). One meaning per answer for both faces; in particular a deregistration of a
//! device the server does not know succeeds: the device is not registered afterwards, which is
//! what was asked, and a sync's deregistration reads the same answer the same way.

use futures_util::{StreamExt as _, stream};

use crate::cancel::CancelFlag;
use crate::device::{Device, Mac, MacPassword};
use crate::inventory::{
    Inventory, InventoryError, RecoveredAnswer, RedirectUpdate, write_recovery,
};
use crate::ops::sync::RECORD_ATTEMPTS;
use crate::redirect::{
    CheckAnswer, DeviceAnswer, RedirectError, RedirectService, ResultCode, shown, shown_url,
};

/// Calls in flight at once: a few hide the round trip without flooding the server.
const CONCURRENCY: usize = 4;

/// What to do to a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceAction {
    Register,
    Check,
    Deregister,
}

impl DeviceAction {
    pub fn verb(self) -> &'static str {
        match self {
            Self::Register => "Register",
            Self::Check => "Check",
            Self::Deregister => "Deregister",
        }
    }

    pub fn doing(self) -> &'static str {
        match self {
            Self::Register => "Registering…",
            Self::Check => "Checking…",
            Self::Deregister => "Deregistering…",
        }
    }
}

/// One call to make: the device as the server names it and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRequest {
    /// MAC-ID (`7C2F80820EC0-55DF`), or the plain MAC of a device without one.
    pub mac_id: String,
    pub call: DeviceCall,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceCall {
    Check,
    Register {
        url: String,
        provider: String,
    },
    Deregister,
    /// Not sent: the device lacks what the call needs (why).
    Unsendable(String),
}

impl DeviceRequest {
    /// The call for an inventory device; a registration takes the device's effective provider
    /// and provisioning URL (its own, else its site's).
    pub fn for_device(action: DeviceAction, device: &Device) -> Self {
        let mac_id = device
            .mac_id
            .as_ref()
            .map_or_else(|| device.mac.macd(), ToString::to_string);
        let call = match action {
            DeviceAction::Check => DeviceCall::Check,
            DeviceAction::Deregister => DeviceCall::Deregister,
            DeviceAction::Register => match (
                device.effective_provider().map(str::trim),
                device.effective_url().map(str::trim),
            ) {
                (Some(provider), Some(url)) if !provider.is_empty() && !url.is_empty() => {
                    DeviceCall::Register {
                        url: url.to_string(),
                        provider: provider.to_string(),
                    }
                }
                _ => DeviceCall::Unsendable(
                    "has no provider or provisioning URL: set them on the device (its form in Inventory, \
                     or `provdesk device add`) or on its site (Settings › Sites and their \
                     defaults, or `provdesk site set`)"
                        .into(),
                ),
            },
        };
        Self { mac_id, call }
    }

    /// The MAC inside the MAC-ID, to find the device in the inventory.
    pub fn mac(&self) -> Option<Mac> {
        let text = self.mac_id.trim();
        Mac::parse(text.split_once('-').map_or(text, |(mac, _)| mac)).ok()
    }
}

/// What the server said, in the terms both faces use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Registered (by this call, or found so by a check).
    Registered {
        provider: String,
        url: String,
        /// Since when, where the server said.
        since: Option<String>,
        /// A registration issued a MAC password.
        mac_password: bool,
    },
    /// A check found no registration.
    NotRegistered,
    Deregistered,
    /// A deregistration found nothing to remove: a success.
    WasNotRegistered,
    /// The server refused the call for this device.
    Refused(ResultCode),
    /// No usable answer (network, TLS, account, malformed answer).
    Failed(String),
    /// Not sent (why).
    NotSent(String),
}

/// One device's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceOutcome {
    pub mac_id: String,
    pub mac: Option<Mac>,
    pub answer: Answer,
    /// The answer is recorded with an inventory device (false: no such device).
    pub recorded: bool,
}

impl DeviceOutcome {
    /// The call did what was asked (a check that finds no registration succeeded too).
    pub fn succeeded(&self) -> bool {
        matches!(
            self.answer,
            Answer::Registered { .. }
                | Answer::NotRegistered
                | Answer::Deregistered
                | Answer::WasNotRegistered
        )
    }

    /// The answer as a sentence whose subject is the device (`… is registered with …`).
    pub fn sentence(&self) -> String {
        match &self.answer {
            Answer::Registered {
                provider,
                url,
                since,
                mac_password,
            } => {
                let since = since
                    .as_ref()
                    .map(|date| format!(", since {}", shown(date, 40)))
                    .unwrap_or_default();
                let kept = match (mac_password, self.recorded) {
                    (true, true) => "; its MAC password is kept in the inventory",
                    (true, false) => {
                        "; it is not in the inventory, so its MAC password was not kept: add the device, then deregister and register it again (or read the password in the Gigaset web portal)"
                    }
                    (false, _) => "",
                };
                format!(
                    "is registered with provider {}: {}{since}{kept}",
                    shown(provider, 60),
                    shown_url(url)
                )
            }
            Answer::NotRegistered => "is not registered on the redirect server".into(),
            Answer::Deregistered => "is deregistered".into(),
            Answer::WasNotRegistered => "was not registered; nothing to remove".into(),
            Answer::Refused(code) => code.to_string(),
            Answer::Failed(error) | Answer::NotSent(error) => error.clone(),
        }
    }

    /// What the inventory keeps of this answer; `None` where the server said nothing new.
    fn update(&self) -> Option<RedirectUpdate> {
        match &self.answer {
            Answer::Registered {
                provider,
                url,
                since,
                ..
            } => Some(RedirectUpdate::Registered {
                provider: provider.clone(),
                url: url.clone(),
                date: since.clone(),
                mac_password: None,
            }),
            Answer::NotRegistered | Answer::Deregistered | Answer::WasNotRegistered => {
                Some(RedirectUpdate::NotRegistered)
            }
            Answer::Refused(code) => Some(RedirectUpdate::Failed {
                error: format!("{}: {code}", code.code()),
            }),
            Answer::Failed(_) | Answer::NotSent(_) => None,
        }
    }
}

/// Makes the calls, a few at once, recording each answer as it arrives. Calls not yet sent
/// when `cancel` is set are answered [`Answer::NotSent`]. `progress` hears each outcome.
///
/// An inventory write that fails (after [`RECORD_ATTEMPTS`] tries) stops sending: `cancel` is
/// set, the calls already in flight are still awaited and recorded where the inventory takes
/// them, and registrations it did not take go, with their MAC passwords, to a recovery file
/// next to the inventory that the next sync records; the error names it
/// ([`InventoryError::KeptForRecovery`]). Answers already recorded stay recorded.
pub async fn device_calls<S: RedirectService>(
    service: &S,
    inventory: &mut Inventory,
    requests: Vec<DeviceRequest>,
    progress: &mut dyn FnMut(&DeviceOutcome),
    cancel: &CancelFlag,
) -> Result<Vec<DeviceOutcome>, InventoryError> {
    let calls = requests.into_iter().map(|request| async move {
        let answer = if cancel.is_cancelled() {
            (Answer::NotSent("not sent: cancelled".into()), None)
        } else {
            call(service, &request).await
        };
        (request, answer)
    });
    let mut answers = stream::iter(calls).buffered(CONCURRENCY);
    let mut outcomes = Vec::new();
    let mut failure = None;
    let mut unrecorded = Vec::new();
    while let Some((request, (answer, mac_password))) = answers.next().await {
        let mut outcome = DeviceOutcome {
            mac: request.mac(),
            mac_id: request.mac_id,
            answer,
            recorded: false,
        };
        match record(inventory, &outcome, mac_password.clone()) {
            Ok(recorded) => outcome.recorded = recorded,
            Err(error) => {
                cancel.cancel();
                unrecorded.extend(recovered(&outcome, mac_password));
                failure.get_or_insert(error);
            }
        }
        progress(&outcome);
        outcomes.push(outcome);
    }
    let Some(error) = failure else {
        return Ok(outcomes);
    };
    if unrecorded.is_empty() {
        return Err(error);
    }
    let recovery = write_recovery(inventory.path(), &unrecorded)?;
    Err(InventoryError::KeptForRecovery {
        source: Box::new(error),
        recovery,
    })
}

/// A registration's answer as a recovery file keeps it; `None` for any other answer.
fn recovered(
    outcome: &DeviceOutcome,
    mac_password: Option<MacPassword>,
) -> Option<RecoveredAnswer> {
    let Answer::Registered { provider, url, .. } = &outcome.answer else {
        return None;
    };
    let mac_password = mac_password?;
    Some(RecoveredAnswer {
        mac: outcome.mac?.macd(),
        mac_id: outcome.mac_id.clone(),
        provider: provider.clone(),
        url: url.clone(),
        mac_password: Some(mac_password.secret().expose().to_string()),
    })
}

/// One call and its answer, with the MAC password a registration issued kept apart from the
/// answer, so that it goes to the inventory and never into a report.
async fn call<S: RedirectService>(
    service: &S,
    request: &DeviceRequest,
) -> (Answer, Option<MacPassword>) {
    let id = request.mac_id.trim();
    let failed = |error: RedirectError| (Answer::Failed(error.to_string()), None);
    match &request.call {
        DeviceCall::Unsendable(why) => (Answer::NotSent(why.clone()), None),
        DeviceCall::Register { url, provider } => match service.register(id, url, provider).await {
            Ok(DeviceAnswer::Ok { mac_password }) => (
                Answer::Registered {
                    provider: provider.clone(),
                    url: url.clone(),
                    since: None,
                    mac_password: mac_password.is_some(),
                },
                mac_password,
            ),
            Ok(DeviceAnswer::Refused(code)) => (Answer::Refused(code), None),
            Err(error) => failed(error),
        },
        DeviceCall::Check => match service.check(id).await {
            Ok(CheckAnswer::Registered(remote)) => (
                Answer::Registered {
                    since: Some(remote.date).filter(|d| !d.is_empty()),
                    provider: remote.provider,
                    url: remote.url,
                    mac_password: false,
                },
                None,
            ),
            Ok(CheckAnswer::Refused(ResultCode::MacNotFound(_))) => (Answer::NotRegistered, None),
            Ok(CheckAnswer::Refused(code)) => (Answer::Refused(code), None),
            Err(error) => failed(error),
        },
        DeviceCall::Deregister => match service.deregister(id).await {
            Ok(DeviceAnswer::Ok { .. }) => (Answer::Deregistered, None),
            Ok(DeviceAnswer::Refused(ResultCode::MacNotFound(_))) => {
                (Answer::WasNotRegistered, None)
            }
            Ok(DeviceAnswer::Refused(code)) => (Answer::Refused(code), None),
            Err(error) => failed(error),
        },
    }
}

/// Records the outcome with its inventory device, trying again when the write fails; says
/// whether the inventory holds it.
fn record(
    inventory: &mut Inventory,
    outcome: &DeviceOutcome,
    mac_password: Option<MacPassword>,
) -> Result<bool, InventoryError> {
    let (Some(mac), Some(mut update)) = (outcome.mac, outcome.update()) else {
        return Ok(false);
    };
    if let RedirectUpdate::Registered {
        mac_password: kept, ..
    } = &mut update
    {
        *kept = mac_password;
    }
    let updates = [(mac, update)];
    let mut last = None;
    for _ in 0..RECORD_ATTEMPTS {
        match inventory.record_redirect(&updates) {
            Ok(recorded) => return Ok(recorded == 1),
            Err(error) => last = Some(error),
        }
    }
    Err(last.expect("at least one attempt"))
}
