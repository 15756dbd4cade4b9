//! The value of each variable for one device: from the device, its site, its model and the
//! render settings, or the reason it has none; and the credential elements the model's format
//! writes.

use std::borrow::Cow;

use super::error::{RenderProblem, ValueProblem};
use super::escape::escape_into;
use super::settings::RenderSettings;
use super::syntax::Context;
use super::urls::{Urls, userinfo_encode};
use super::variables::{AccountVar, Variable};
use crate::device::{
    AccountField, ConfigFormat, Device, Encoding, ModelSpec, ParamStyle, SipAccount,
};
use crate::secret::Secret;

const URL_HINT: &str = "set a provisioning URL on the device or on its site";
const CREDENTIALS_HINT: &str =
    "set a digest user name and password on the device or on its site, or generate passwords";
const SETTING_HINT: &str = "give it in the render settings (command line: --set NAME=VALUE)";

/// The values of one device, computed on demand.
pub(super) struct Values<'a> {
    device: &'a Device,
    model: &'static ModelSpec,
    settings: &'a RenderSettings,
    urls: Option<Result<Urls, RenderProblem>>,
}

impl<'a> Values<'a> {
    pub(super) fn new(
        device: &'a Device,
        model: &'static ModelSpec,
        settings: &'a RenderSettings,
    ) -> Self {
        Self {
            device,
            model,
            settings,
            urls: Urls::of(device),
        }
    }

    fn urls(&self, variable: Variable) -> Result<&Urls, RenderProblem> {
        match &self.urls {
            Some(Ok(urls)) => Ok(urls),
            Some(Err(problem)) => Err(problem.clone()),
            None => Err(RenderProblem::MissingValue {
                variable: variable.name(),
                hint: URL_HINT,
            }),
        }
    }

    /// The configured digest credentials, when both the user name and a password are set.
    pub(super) fn credentials(&self) -> Option<(&'a str, &'a Secret)> {
        self.device.digest_credentials()
    }

    fn credentials_for(&self, variable: Variable) -> Result<(&'a str, &'a Secret), RenderProblem> {
        self.credentials().ok_or(RenderProblem::MissingValue {
            variable: variable.name(),
            hint: CREDENTIALS_HINT,
        })
    }

    pub(super) fn value(&self, variable: Variable) -> Result<Cow<'a, str>, RenderProblem> {
        let device = self.device;
        Ok(match variable {
            Variable::Mac => Cow::Owned(device.mac.macd()),
            Variable::MacColons => Cow::Owned(device.mac.macc()),
            Variable::MacId => Cow::Owned(
                device
                    .mac_id
                    .as_ref()
                    .map_or_else(|| device.mac.macd(), ToString::to_string),
            ),
            Variable::Model => Cow::Borrowed(self.model.name),
            Variable::ProductId => Cow::Borrowed(self.model.product_id.ok_or(
                RenderProblem::MissingValue {
                    variable: variable.name(),
                    hint: "the catalogue knows no productID for this model; use a template without {{product_id}}",
                },
            )?),
            Variable::ProfileName => Cow::Borrowed(self.model.profile_name.ok_or(
                RenderProblem::MissingValue {
                    variable: variable.name(),
                    hint: "the catalogue knows no PROFILE_NAME for this model; pick the device's model",
                },
            )?),
            Variable::Dvid => Cow::Borrowed(self.model.dvid.ok_or(RenderProblem::MissingValue {
                variable: variable.name(),
                hint: "the catalogue knows no %DVID for this model; use {{model_dvid}} or leave it out",
            })?),
            Variable::ModelDvid => match self.model.dvid {
                Some(dvid) => Cow::Owned(format!("{} (%DVID {dvid})", self.model.name)),
                None => Cow::Borrowed(self.model.name),
            },
            Variable::Site => Cow::Borrowed(device.site.as_deref().unwrap_or_default()),
            Variable::Provider => Cow::Borrowed(device.effective_provider().unwrap_or_default()),
            Variable::Version => Cow::Owned(self.settings.version.clone()),
            Variable::ProvUrl
            | Variable::ProvServer
            | Variable::ProvBase
            | Variable::ProvBaseAuth => Cow::Owned(self.url_value(variable)?),
            Variable::DigestUsername => Cow::Borrowed(self.credentials_for(variable)?.0),
            Variable::DigestPassword => Cow::Borrowed(self.credentials_for(variable)?.1.expose()),
            Variable::SipDomain
            | Variable::SipServer
            | Variable::SipPort
            | Variable::SipOutboundProxy => self.first_account_value(variable).ok_or(
                RenderProblem::MissingValue {
                    variable: variable.name(),
                    hint: SETTING_HINT,
                },
            )?,
            Variable::Account(var) => self.account_var(var),
            // Written by `credentials_block` and `sip_accounts_block`, never as a single value.
            Variable::Credentials | Variable::SipAccounts => Cow::Borrowed(""),
        })
    }

    /// The device's SIP account numbered `index`, as stored; `None` when it has none, or the
    /// model has fewer accounts.
    fn account(&self, index: u8) -> Option<&'a SipAccount> {
        (index <= self.model.sip_accounts)
            .then(|| self.device.sip_accounts.iter().find(|a| a.index == index))
            .flatten()
    }

    /// One account variable: empty (`0` for `sip_active_n`) when the device has no such
    /// account, so one template serves devices with any number of accounts.
    fn account_var(&self, var: AccountVar) -> Cow<'a, str> {
        match self.account(var.index) {
            Some(account) => self.account_value(account, var.field),
            None if var.field == AccountField::Active => Cow::Borrowed("0"),
            None => Cow::Borrowed(""),
        }
    }

    /// A field of an account the device has: the account's own value, else its site's
    /// default, else the render settings', else the transport's default port.
    fn account_value(&self, account: &'a SipAccount, field: AccountField) -> Cow<'a, str> {
        let site = &self.device.site_defaults;
        let transport = account.transport.or(site.sip_transport).unwrap_or_default();
        match field {
            AccountField::User => Cow::Borrowed(&account.user),
            AccountField::AuthUser => Cow::Borrowed(account.digest_user()),
            AccountField::Password => {
                Cow::Borrowed(account.password.as_ref().map_or("", Secret::expose))
            }
            AccountField::DisplayName => {
                Cow::Borrowed(account.display_name.as_deref().unwrap_or(&account.user))
            }
            AccountField::Registrar => Cow::Borrowed(
                account
                    .registrar
                    .as_deref()
                    .or(site.sip_registrar.as_deref())
                    .or_else(|| self.settings.value(Variable::SipServer))
                    .or_else(|| self.settings.value(Variable::SipDomain))
                    .unwrap_or_default(),
            ),
            AccountField::Port => match account.port.or(site.sip_port) {
                Some(port) => Cow::Owned(port.to_string()),
                None => self.settings.value(Variable::SipPort).map_or_else(
                    || Cow::Owned(transport.default_port().to_string()),
                    Cow::Borrowed,
                ),
            },
            AccountField::Transport => Cow::Borrowed(transport.as_str()),
            AccountField::OutboundProxy => Cow::Borrowed(
                account
                    .outbound_proxy
                    .as_deref()
                    .or_else(|| self.settings.value(Variable::SipOutboundProxy))
                    .unwrap_or_default(),
            ),
            AccountField::Active => Cow::Borrowed("1"),
        }
    }

    /// `sip_domain`, `sip_server`, `sip_port`, `sip_outbound_proxy`: account 1's value from
    /// the inventory (or its site's) where it has one, else the render setting.
    fn first_account_value(&self, variable: Variable) -> Option<Cow<'a, str>> {
        let site = &self.device.site_defaults;
        let first = self.account(1);
        let own: Option<Cow<'a, str>> = first.and_then(|account| match variable {
            Variable::SipDomain | Variable::SipServer => account
                .registrar
                .as_deref()
                .or(site.sip_registrar.as_deref())
                .map(Cow::Borrowed),
            Variable::SipPort => account
                .port
                .or(site.sip_port)
                .map(|port| Cow::Owned(port.to_string())),
            _ => account.outbound_proxy.as_deref().map(Cow::Borrowed),
        });
        own.or_else(|| self.settings.value(variable).map(Cow::Borrowed))
            .or_else(|| {
                (variable == Variable::SipPort)
                    .then_some(first)
                    .flatten()
                    .map(|account| self.account_value(account, AccountField::Port))
            })
    }

    /// Writes every SIP account the device has (up to its model's count) with the model's
    /// parameter names; nothing when it has none or the model's file carries none.
    pub(super) fn sip_accounts_block(
        &self,
        format: ConfigFormat,
        indent: &str,
        out: &mut String,
    ) -> Result<(), RenderProblem> {
        let spec = format.spec();
        let (Some(params), Some(style)) = (self.model.sip_params, spec.settings.map(|s| s.style))
        else {
            return Ok(());
        };
        let latin1 = spec.encoding == Encoding::Latin1;
        let accounts = self
            .device
            .sip_accounts
            .iter()
            .filter(|account| account.index <= self.model.sip_accounts);
        let mut first = true;
        for account in accounts {
            for param in params.params {
                let mut escaped = String::new();
                escape_into(
                    &mut escaped,
                    &self.account_value(account, param.value),
                    Context::Attribute,
                    latin1,
                )
                .map_err(|problem| RenderProblem::BadValue {
                    variable: Variable::SipAccounts.name(),
                    problem,
                })?;
                if !first {
                    out.push('\n');
                    out.push_str(indent);
                }
                first = false;
                let name = params.name(param, account.index);
                match style {
                    ParamStyle::Element => out.push_str(&format!(
                        "<{name} class=\"{}\" value=\"{escaped}\"/>",
                        param.class
                    )),
                    ParamStyle::NameValue => {
                        out.push_str(&format!("<param name=\"{name}\" value=\"{escaped}\"/>"))
                    }
                }
            }
        }
        Ok(())
    }

    /// The variables that write (a part of) the provisioning URL; `{{prov_server}}` for any
    /// other.
    fn url_value(&self, variable: Variable) -> Result<String, RenderProblem> {
        let urls = self.urls(variable)?;
        Ok(match variable {
            Variable::ProvUrl => format!("{}{}", urls.server(), urls.rest),
            Variable::ProvBase => format!("{}{}", urls.server(), urls.base_path()),
            Variable::ProvBaseAuth => {
                let (username, password) = self.credentials_for(variable)?;
                format!(
                    "{}{}:{}@{}{}",
                    urls.scheme,
                    userinfo_encode(username),
                    userinfo_encode(password.expose()),
                    urls.host_port,
                    urls.base_path()
                )
            }
            _ => urls.server(),
        })
    }

    /// Writes the model's credential elements (and the setting the password depends on) with
    /// the catalogue's parameter names; nothing when no credentials are configured.
    pub(super) fn credentials_block(
        &self,
        format: ConfigFormat,
        indent: &str,
        out: &mut String,
    ) -> Result<(), RenderProblem> {
        let spec = format.spec();
        let (Some(params), Some((username, password)), Some(style)) = (
            self.model.credentials,
            self.credentials(),
            spec.settings.map(|s| s.style),
        ) else {
            return Ok(());
        };
        let mut lines: Vec<(&str, &str, &str)> = Vec::new();
        if let Some(required) = self.model.password_requires {
            lines.push((required.param, "integer", required.value));
        }
        lines.push((params.username_param, "string", username));
        lines.push((params.password_param, "string", password.expose()));
        for (index, (param, class, value)) in lines.into_iter().enumerate() {
            if index > 0 {
                out.push('\n');
                out.push_str(indent);
            }
            let mut escaped = String::new();
            escape_into(
                &mut escaped,
                value,
                Context::Attribute,
                spec.encoding == Encoding::Latin1,
            )
            .map_err(|problem: ValueProblem| RenderProblem::BadValue {
                variable: Variable::Credentials.name(),
                problem,
            })?;
            match style {
                ParamStyle::Element => {
                    out.push_str(&format!("<{param} class=\"{class}\" value=\"{escaped}\"/>"))
                }
                ParamStyle::NameValue => {
                    out.push_str(&format!("<param name=\"{param}\" value=\"{escaped}\"/>"))
                }
            }
        }
        Ok(())
    }
}
