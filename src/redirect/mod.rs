//! The Gigaset redirect server: a typed client behind a vendor-neutral trait, the result codes
//! as sentences, the sync plan and its batched apply, and the provisioner account.
//!
//! ```no_run
//! use provdesk::secret::Secret;
//! use provdesk::redirect::{Account, GigasetClient, RedirectService, DEFAULT_TIMEOUT};
//!
//! # async fn demo() -> Result<(), provdesk::redirect::RedirectError> {
//! let account = Account::new(provdesk::redirect::DEFAULT_ENDPOINT, "gigaset", Secret::new("…"));
//! let client = GigasetClient::new(&account, DEFAULT_TIMEOUT)?;
//! let registered = client.list(&["Daryna".to_string()]).await?;
//! # Ok(()) }
//! ```

mod account;
mod answer;
mod apply;
mod code;
mod endpoint;
mod gigaset;
mod plan;
mod service;
mod xmlrpc;

pub use account::{
    ACCOUNT_FILE, Account, AccountError, AccountStore, DEFAULT_ENDPOINT, KEYRING_SERVICE,
    NO_KEYRING_ENV, PasswordHome,
};
pub use answer::{
    CheckAnswer, DeviceAnswer, ListAnswer, RemoteDevice, ShapeError, ShownRegistration,
    check_answer, device_answer, device_list, list_answer, shown, shown_url, single_answer,
};
pub use apply::{ApplyOptions, ApplyReport, CANCELLED, DeviceResult, Progress, apply};
pub use code::ResultCode;
pub use endpoint::{Endpoint, checked_endpoint, cleartext_warning, is_loopback};
pub use gigaset::{DEFAULT_TIMEOUT, GigasetClient, MAX_ANSWER_BYTES, MAX_TIMEOUT};
pub use plan::{
    Action, DeviceFailure, Lacking, LeftOut, LeftRegistered, PlanItem, PlanOptions, SyncPlan,
    Wanted, build_plan, compare, describe_item, wanted,
};
pub use service::{RedirectError, RedirectService};
pub use xmlrpc::{MAX_NESTING, Param, decode_response, method_call, response_value};
