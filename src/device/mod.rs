//! The device model: MACs, MAC-IDs, the model catalogue with its format table and the source
//! of every fact, recognising a phone from what it says of itself, provisioning URLs, and where
//! a configuration file keeps passwords. Pure data and validation, no I/O.

mod catalogue;
mod facts;
mod file_name;
mod format;
mod lookup;
mod mac;
mod masked_url;
mod model;
mod oui;
mod passwords;
mod reach;
mod recognize;
mod record;
mod sip_account;
mod source;
mod text;
mod url;

pub use catalogue::CATALOGUE;
pub use facts::{FETCH_FACTS, FactRow, RENDER_FACTS};
pub use file_name::{last_path_segment, url_file_name, url_file_warning};
pub use format::{
    ConfigFormat, Delivery, Encoding, FORMATS, FormatSpec, ParamStyle, SettingsElement,
};
pub use lookup::{
    DEFAULT_MODEL, UnknownModel, default_model, find_model, model_names, resolve_model,
};
pub use mac::{Mac, MacError, MacId, MacPassword};
pub use masked_url::{MaskedUrl, MaskedUrlError};
pub use model::{
    AccountField, AuthAttempt, CredentialParams, Family, ManualEntry, ModelSpec, ParamValue,
    SipParam, SipParams, UrlCredentials, UserAgentShape,
};
pub use oui::{OuiHint, oui_hint};
pub use passwords::{is_password_name, mask_passwords, password_params};
pub use reach::names_this_computer;
pub use recognize::{
    Clue, FirmwareCheck, Recognition, firmware_at_least, firmware_checks, recognize,
    recognize_dvid, recognize_user_agent, recognize_vendor_class,
};
pub use record::{
    Device, DeviceDraft, DeviceSummary, FetchState, Field, FieldError, NewDevice, RedirectState,
    RolloutState, SeenState, SipTestState, SiteDefaults, too_long,
};
pub use sip_account::{
    SIP_HOST_MAX, SIP_TEXT_MAX, SipAccount, SipAccountDraft, SipDefaults, SipField, SipFieldError,
    SipTransport, UnknownTransport, sip_account_limit,
};
pub use source::{Fact, Source, Sourced};
pub use text::{NAME_MAX, NOTES_MAX, URL_MAX, line_problem, notes_problem};
pub use url::{
    DeviceFacts, Placeholder, ProvisioningUrl, UrlError, mask_url_password, percent_decode,
};
