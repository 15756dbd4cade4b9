//! The device model: MACs, MAC-IDs, the model catalogue with its format table, and provisioning
//! URLs. Pure data and validation, no I/O.

mod format;
mod mac;
mod model;
mod oui;
mod record;
mod url;

pub use format::{ConfigFormat, Encoding, FORMATS, FormatSpec, ParamStyle, SettingsElement};
pub use mac::{Mac, MacError, MacId, MacPassword};
pub use model::{
    AuthAttempt, CATALOGUE, CredentialParams, DEFAULT_MODEL, Family, ManualEntry, ModelSpec,
    ParamValue, UnknownModel, UrlCredentials, default_model, find_model, model_names,
    resolve_model,
};
pub use oui::{OuiHint, oui_hint};
pub use record::{
    Device, DeviceDraft, DeviceSummary, FetchState, Field, FieldError, NewDevice, RedirectState,
    SiteDefaults,
};
pub use url::{
    DeviceFacts, Placeholder, ProvisioningUrl, UrlError, mask_url_password, percent_decode,
};
