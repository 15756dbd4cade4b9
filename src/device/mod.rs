//! The device model: MACs, MAC-IDs, the model catalogue and provisioning URLs.
//! Pure data and validation, no I/O.

mod mac;
mod model;
mod record;
mod url;

pub use mac::{Mac, MacError, MacId, MacPassword};
pub use model::{
    AuthAttempt, CATALOGUE, ConfigFormat, CredentialParams, Family, ManualEntry, ModelSpec,
    ParamValue, UnknownModel, UrlCredentials, find_model, model_names, resolve_model,
};
pub use record::{
    Device, DeviceDraft, DeviceSummary, FetchState, Field, FieldError, NewDevice, RedirectState,
    SiteDefaults,
};
pub use url::{
    DeviceFacts, Placeholder, ProvisioningUrl, UrlError, mask_url_password, percent_decode,
};
