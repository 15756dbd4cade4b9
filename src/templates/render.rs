//! Rendering one device's file: each variable's value from the device, its site, its model and
//! the render settings, escaped for its place; the result checked as the device would check it
//! and encoded as the format declares; named as the device will ask for it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use thiserror::Error;

use super::defaults::{DEFAULT_TEMPLATES, DefaultTemplate};
use super::error::{RenderError, RenderProblem, TemplateErrors, ValueProblem};
use super::escape::escape_into;
use super::syntax::{Context, Part};
use super::validate::{
    check_for_device, check_patch_lines, check_structure, read_xml, validate_template,
};
use super::variables::{VARIABLES, Variable};
use crate::device::{
    ConfigFormat, Device, DeviceFacts, Encoding, Mac, ModelSpec, ParamStyle, ProvisioningUrl,
    percent_decode,
};
use crate::secret::Secret;

/// Values a render needs that the inventory does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderSettings {
    /// Provider-level SIP values by variable name (`sip_domain`, `sip_server`, `sip_port`,
    /// `sip_outbound_proxy`).
    values: BTreeMap<&'static str, String>,
    /// `{{version}}`: DDMMYYHHMM. ProviderFrame devices apply only a newer version, so it
    /// defaults to the time of the render (UTC).
    pub version: String,
}

impl Default for RenderSettings {
    fn default() -> Self {
        Self {
            values: BTreeMap::new(),
            version: chrono::Utc::now().format("%d%m%y%H%M").to_string(),
        }
    }
}

/// A render setting that no variable reads.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("\"{0}\" is not a render setting; settings are: {known}", known = setting_names().join(", "))]
pub struct UnknownSetting(pub String);

fn setting_names() -> Vec<&'static str> {
    VARIABLES
        .iter()
        .filter_map(|spec| spec.variable.setting_key())
        .collect()
}

impl RenderSettings {
    /// Sets a provider-level value, e.g. `sip_domain`.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), UnknownSetting> {
        let key = Variable::from_name(key.trim())
            .and_then(Variable::setting_key)
            .ok_or_else(|| UnknownSetting(key.to_string()))?;
        self.values.insert(key, value.to_string());
        Ok(())
    }
}

/// One rendered file. Its bytes hold the device's passwords, so `Debug` shows only its size.
#[derive(Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub mac: Mac,
    pub model: &'static str,
    /// The template's name and version (`provider-frame v3`, or `provider-frame (built-in)`).
    pub template: String,
    /// The name the device asks for, e.g. `7C2F80820EC0.xml`.
    pub file_name: String,
    bytes: Vec<u8>,
}

impl RenderedFile {
    /// The file as written: ISO-8859-1 for ProviderFrame, UTF-8 otherwise.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for RenderedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RenderedFile")
            .field("mac", &self.mac)
            .field("template", &self.template)
            .field("file_name", &self.file_name)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// A template ready to render: parsed once, rendered for many devices.
#[derive(Debug, Clone)]
pub struct Template {
    name: String,
    format: ConfigFormat,
    source: String,
    /// `None` for the built-in one.
    version: Option<u32>,
    parts: Result<Vec<Part>, TemplateErrors>,
}

impl Template {
    /// Parses and validates a user's template; every problem comes back with its position.
    pub fn parse(
        name: &str,
        format: ConfigFormat,
        source: &str,
        version: Option<u32>,
    ) -> Result<Self, TemplateErrors> {
        let parts = validate_template(source, format)?;
        Ok(Self {
            name: name.to_string(),
            format,
            source: source.to_string(),
            version,
            parts: Ok(parts),
        })
    }

    /// The built-in template. A built-in that failed validation renders nothing but its errors.
    pub fn builtin(default: &DefaultTemplate) -> Self {
        Self {
            name: default.name.to_string(),
            format: default.format,
            source: default.text.to_string(),
            version: None,
            parts: validate_template(default.text, default.format),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn format(&self) -> ConfigFormat {
        self.format
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The stored version this came from; `None` for the built-in one.
    pub fn version(&self) -> Option<u32> {
        self.version
    }

    /// `provider-frame v3`, or `provider-frame (built-in)`.
    pub fn label(&self) -> String {
        match self.version {
            Some(version) => format!("{} v{version}", self.name),
            None => format!("{} (built-in)", self.name),
        }
    }

    /// Renders the file for `device`, checked as the device checks it. The device's model
    /// decides the credential parameters and rules.
    pub fn render(
        &self,
        device: &Device,
        settings: &RenderSettings,
    ) -> Result<RenderedFile, RenderError> {
        let fail = |problem| RenderError {
            mac: device.mac.macd(),
            problem,
        };
        let parts = self.parts.as_ref().map_err(|errors| {
            fail(RenderProblem::Template {
                template: self.label(),
                errors: errors.clone(),
            })
        })?;
        let model = model_of(device).map_err(fail)?;
        let file_name = file_name_for(device, self.format).map_err(fail)?;
        let values = Values::new(device, model, settings);
        let latin1 = self.format.spec().encoding == Encoding::Latin1;
        let mut text = String::with_capacity(self.source.len() + 256);
        for part in parts {
            match part {
                Part::Text(range) => text.push_str(&self.source[range.clone()]),
                Part::Var {
                    variable: Variable::Credentials,
                    indent,
                    ..
                } => values
                    .credentials_block(self.format, &self.source[indent.clone()], &mut text)
                    .map_err(fail)?,
                Part::Var {
                    variable, context, ..
                } => {
                    let value = values.value(*variable).map_err(fail)?;
                    escape_into(&mut text, &value, *context, latin1).map_err(|problem| {
                        fail(RenderProblem::BadValue {
                            variable: variable.name(),
                            problem,
                        })
                    })?;
                }
            }
        }
        let mut problems = Vec::new();
        if self.format.spec().xml {
            match read_xml(&text) {
                Err(problem) => problems.push(problem),
                Ok(facts) => {
                    problems.extend(check_structure(self.format, &facts, &text));
                    problems.extend(check_for_device(
                        self.format,
                        model,
                        &device.mac.macd(),
                        values.credentials().is_some(),
                        &facts,
                        &text,
                    ));
                }
            }
        } else if self.format.spec().setting_lines {
            problems.extend(check_patch_lines(&text));
        }
        if !problems.is_empty() {
            problems.sort_by_key(|problem| problem.at);
            return Err(fail(RenderProblem::Rendered {
                file: file_name,
                errors: TemplateErrors(problems),
            }));
        }
        let bytes = if latin1 {
            text.chars()
                .map(|c| u8::try_from(c).unwrap_or(b'?'))
                .collect()
        } else {
            text.into_bytes()
        };
        Ok(RenderedFile {
            mac: device.mac,
            model: model.name,
            template: self.label(),
            file_name,
            bytes,
        })
    }
}

/// The template for each format: the user's current version where there is one, else the
/// built-in one.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    templates: Vec<Template>,
}

impl TemplateSet {
    pub fn builtin() -> Self {
        Self {
            templates: DEFAULT_TEMPLATES.iter().map(Template::builtin).collect(),
        }
    }

    /// Uses `template` for its format instead of the one there.
    pub fn replace(&mut self, template: Template) {
        match self
            .templates
            .iter_mut()
            .find(|t| t.format == template.format)
        {
            Some(slot) => *slot = template,
            None => self.templates.push(template),
        }
    }

    pub fn templates(&self) -> &[Template] {
        &self.templates
    }

    pub fn for_format(&self, format: ConfigFormat) -> Option<&Template> {
        self.templates.iter().find(|t| t.format == format)
    }

    /// Renders `device` with the template of its model's format.
    pub fn render(
        &self,
        device: &Device,
        settings: &RenderSettings,
    ) -> Result<RenderedFile, RenderError> {
        let model = model_of(device).map_err(|problem| RenderError {
            mac: device.mac.macd(),
            problem,
        })?;
        match self.for_format(model.config_format) {
            Some(template) => template.render(device, settings),
            None => Template::builtin(super::defaults::default_for(model.config_format))
                .render(device, settings),
        }
    }
}

fn model_of(device: &Device) -> Result<&'static ModelSpec, RenderProblem> {
    match &device.model {
        None => Err(RenderProblem::NoModel),
        Some(name) => device
            .model_spec()
            .ok_or_else(|| RenderProblem::UnknownModel(name.clone())),
    }
}

/// A provisioning URL taken apart, placeholders filled in for the device.
struct Urls {
    /// `https://` or `http://`, as written.
    scheme: String,
    host_port: String,
    /// Path, query and fragment.
    rest: String,
}

impl Urls {
    fn of(device: &Device) -> Option<Result<Self, RenderProblem>> {
        let url = device.effective_url()?;
        Some(
            ProvisioningUrl::parse(url)
                .map_err(RenderProblem::Url)
                .map(|url| {
                    let expanded = url.expand(&DeviceFacts {
                        mac: device.mac,
                        dvid: None,
                    });
                    Self::split(&expanded)
                }),
        )
    }

    fn split(expanded: &str) -> Self {
        let scheme_end = expanded.find("://").map_or(0, |i| i + 3);
        let after = &expanded[scheme_end..];
        let authority_end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let authority = &after[..authority_end];
        let host_port = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        Self {
            scheme: expanded[..scheme_end].to_string(),
            host_port: host_port.to_string(),
            rest: after[authority_end..].to_string(),
        }
    }

    fn path(&self) -> &str {
        self.rest.split(['?', '#']).next().unwrap_or_default()
    }

    fn server(&self) -> String {
        format!("{}{}", self.scheme, self.host_port)
    }

    fn base_path(&self) -> &str {
        let path = self.path();
        path.rfind('/').map_or("/", |i| &path[..=i])
    }

    fn last_segment(&self) -> &str {
        let path = self.path();
        path.rfind('/').map_or(path, |i| &path[i + 1..])
    }
}

/// The name the device asks for: the last path segment of its provisioning URL with its
/// placeholders filled in (`%MACD.xml` → `7C2F80820EC0.xml`). A device without a URL gets
/// `MAC.xml` (`.cfg` for a patch file, `.txt` for plain text).
pub fn file_name_for(device: &Device, format: ConfigFormat) -> Result<String, RenderProblem> {
    let Some(urls) = Urls::of(device) else {
        return Ok(format!("{}.{}", device.mac.macd(), format.spec().extension));
    };
    let urls = urls?;
    let raw = urls.last_segment();
    let bad = |why| {
        Err(RenderProblem::FileName {
            name: raw.to_string(),
            why,
        })
    };
    if raw.contains("%DVID") {
        return bad(
            "still holds %DVID, which only the device knows: keep %DVID in the folder part of the URL",
        );
    }
    let name = percent_decode(raw);
    if name.is_empty() {
        return bad(
            "is empty: the URL ends with '/', so the device asks for a folder; end it with a file name such as %MACD.xml",
        );
    }
    if name == "." || name == ".." || name.contains(['/', '\\', '\0']) {
        return bad("is not a plain file name: end the URL with a file name such as %MACD.xml");
    }
    Ok(name)
}

/// Percent-encodes everything but RFC 3986's unreserved characters, for `user:pass@` in a URL.
fn userinfo_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

const URL_HINT: &str = "set a provisioning URL on the device or on its site";
const CREDENTIALS_HINT: &str =
    "set a digest user name and password on the device or on its site, or generate passwords";
const SETTING_HINT: &str = "give it in the render settings (command line: --set NAME=VALUE)";

/// The values of one device, computed on demand.
struct Values<'a> {
    device: &'a Device,
    model: &'static ModelSpec,
    settings: &'a RenderSettings,
    urls: Option<Result<Urls, RenderProblem>>,
}

impl<'a> Values<'a> {
    fn new(device: &'a Device, model: &'static ModelSpec, settings: &'a RenderSettings) -> Self {
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
    fn credentials(&self) -> Option<(&'a str, &'a Secret)> {
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

    fn value(&self, variable: Variable) -> Result<Cow<'a, str>, RenderProblem> {
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
            Variable::Site => Cow::Borrowed(device.site.as_deref().unwrap_or_default()),
            Variable::Provider => Cow::Borrowed(device.effective_provider().unwrap_or_default()),
            Variable::Version => Cow::Owned(self.settings.version.clone()),
            Variable::ProvUrl => {
                let urls = self.urls(variable)?;
                Cow::Owned(format!("{}{}", urls.server(), urls.rest))
            }
            Variable::ProvServer => Cow::Owned(self.urls(variable)?.server()),
            Variable::ProvBase => {
                let urls = self.urls(variable)?;
                Cow::Owned(format!("{}{}", urls.server(), urls.base_path()))
            }
            Variable::ProvBaseAuth => {
                let urls = self.urls(variable)?;
                let (username, password) = self.credentials_for(variable)?;
                Cow::Owned(format!(
                    "{}{}:{}@{}{}",
                    urls.scheme,
                    userinfo_encode(username),
                    userinfo_encode(password.expose()),
                    urls.host_port,
                    urls.base_path()
                ))
            }
            Variable::DigestUsername => Cow::Borrowed(self.credentials_for(variable)?.0),
            Variable::DigestPassword => Cow::Borrowed(self.credentials_for(variable)?.1.expose()),
            Variable::SipDomain
            | Variable::SipServer
            | Variable::SipPort
            | Variable::SipOutboundProxy => Cow::Owned(
                self.settings
                    .values
                    .get(variable.name())
                    .cloned()
                    .ok_or(RenderProblem::MissingValue {
                        variable: variable.name(),
                        hint: SETTING_HINT,
                    })?,
            ),
            // Written by `credentials_block`, never as a single value.
            Variable::Credentials => Cow::Borrowed(""),
        })
    }

    /// Writes the model's credential elements (and the setting the password depends on) with
    /// the catalogue's parameter names; nothing when no credentials are configured.
    fn credentials_block(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_template_is_valid() {
        for template in TemplateSet::builtin().templates() {
            assert!(
                template.parts.is_ok(),
                "{}: {:?}",
                template.name,
                template.parts
            );
        }
    }

    #[test]
    fn urls_come_apart_without_their_credentials() {
        let urls = Urls::split("https://u:p@prov.example.com:8443/cfg/7C2F80820EC0.xml?x=1");
        assert_eq!(urls.server(), "https://prov.example.com:8443");
        assert_eq!(urls.base_path(), "/cfg/");
        assert_eq!(urls.last_segment(), "7C2F80820EC0.xml");
        let bare = Urls::split("http://host");
        assert_eq!(bare.base_path(), "/");
        assert_eq!(bare.last_segment(), "");
    }

    #[test]
    fn userinfo_and_file_names_are_encoded_and_decoded() {
        assert_eq!(userinfo_encode("a:b@c/d é"), "a%3Ab%40c%2Fd%20%C3%A9");
        assert_eq!(percent_decode("a%20b%zz%4"), "a b%zz%4");
    }

    #[test]
    fn only_known_settings_are_taken() {
        let mut settings = RenderSettings::default();
        assert!(settings.set("sip_domain", "sip.example.com").is_ok());
        assert!(settings.set("mac", "x").is_err());
        assert_eq!(settings.version.len(), 10);
    }
}
