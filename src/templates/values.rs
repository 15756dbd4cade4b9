//! The value of each variable for one device: from the device, its site, its model and the
//! render settings, or the reason it has none; and the credential elements the model's format
//! writes.

use std::borrow::Cow;

use super::error::{RenderProblem, ValueProblem};
use super::escape::escape_into;
use super::settings::RenderSettings;
use super::syntax::Context;
use super::urls::{Urls, userinfo_encode};
use super::variables::Variable;
use crate::device::{ConfigFormat, Device, Encoding, ModelSpec, ParamStyle};
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
        let username = self.device.effective_digest_username()?;
        let password = self.device.effective_digest_password()?;
        (!username.is_empty() && !password.is_empty()).then_some((username, password))
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
            | Variable::SipOutboundProxy => Cow::Borrowed(self.settings.value(variable).ok_or(
                RenderProblem::MissingValue {
                    variable: variable.name(),
                    hint: SETTING_HINT,
                },
            )?),
            // Written by `credentials_block`, never as a single value.
            Variable::Credentials => Cow::Borrowed(""),
        })
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
