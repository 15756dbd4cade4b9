//! Rendering one device's file: each variable's value from the device, its site, its model and
//! the render settings, escaped for its place; the result checked as the device would check it
//! and encoded as the format declares; named as the device will ask for it.

use std::fmt;

use super::defaults::{DEFAULT_TEMPLATES, DefaultTemplate};
use super::error::{Located, Position, Problem, RenderError, RenderProblem, TemplateErrors};
use super::escape::escape_into;
use super::settings::RenderSettings;
use super::syntax::Part;
use super::urls::file_name_for;
use super::validate::{
    check_for_device, check_patch_lines, check_structure, read_xml, validate_template,
};
use super::values::Values;
use super::variables::Variable;
use crate::device::{ConfigFormat, Delivery, Device, Encoding, Fact, Mac, ModelSpec, RENDER_FACTS};

/// One rendered file. Its bytes hold the device's passwords, so `Debug` shows only its size.
#[derive(Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub mac: Mac,
    pub model: &'static str,
    /// The template's name and version (`provider-frame v3`, or `provider-frame (built-in)`).
    pub template: String,
    /// The name the device asks for, e.g. `7C2F80820EC0.xml`.
    pub file_name: String,
    /// What the user should know about this file: the unconfirmed catalogue facts it relies on,
    /// and a file the device does not download.
    pub notes: Vec<String>,
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
            .field("notes", &self.notes)
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

    /// A saved version as it is read back: one that no longer validates (saved by an older
    /// provdesk, whose checks were fewer) keeps its problems and refuses its format's devices
    /// with them, while the other formats' templates go on rendering.
    pub fn stored(name: &str, format: ConfigFormat, source: &str, version: u32) -> Self {
        Self {
            name: name.to_string(),
            format,
            source: source.to_string(),
            version: Some(version),
            parts: validate_template(source, format),
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
        self.render_placed(device, settings)
            .map_err(|refused| refused.error)
    }

    /// Renders as [`Template::render`] does; when the file is refused, also says where in the
    /// template each problem comes from, so an editor can point at the line to change rather
    /// than at a line of a file nobody sees.
    pub fn render_placed(
        &self,
        device: &Device,
        settings: &RenderSettings,
    ) -> Result<RenderedFile, Refused> {
        let refuse = |problem: RenderProblem, in_template: Vec<Located>| Refused {
            error: RenderError {
                mac: device.mac.macd(),
                problem,
            },
            in_template,
        };
        let parts = self.parts.as_ref().map_err(|errors| {
            let problem = RenderProblem::Template {
                template: self.label(),
                errors: errors.clone(),
            };
            refuse(problem, errors.0.clone())
        })?;
        let fail = |problem: RenderProblem| {
            let placed = self.place_problem(parts, &problem);
            refuse(problem, vec![placed])
        };
        let model = model_of(device).map_err(fail)?;
        let file_name = file_name_for(device, self.format).map_err(fail)?;
        let values = Values::new(device, model, settings);
        let (text, map) = self.fill(parts, &values).map_err(fail)?;
        let mut problems = self.check_rendered(&text, model, device, &values);
        if !problems.is_empty() {
            problems.sort_by_key(|problem| problem.at);
            let in_template = problems
                .iter()
                .map(|located| Located {
                    at: located.at.map(|at| {
                        Position::at(&self.source, map.source_offset(at.offset_in(&text)))
                    }),
                    problem: located.problem.clone(),
                })
                .collect();
            let problem = RenderProblem::Rendered {
                file: file_name,
                errors: TemplateErrors(problems),
            };
            return Err(refuse(problem, in_template));
        }
        let bytes = match self.format.spec().encoding {
            Encoding::Latin1 => text
                .chars()
                .map(|c| u8::try_from(c).unwrap_or(b'?'))
                .collect(),
            Encoding::Utf8 => text.into_bytes(),
        };
        Ok(RenderedFile {
            mac: device.mac,
            model: model.name,
            template: self.label(),
            file_name,
            notes: self
                .notes_for(
                    model,
                    values.credentials().is_some(),
                    !device.sip_accounts.is_empty(),
                )
                .into_iter()
                .chain(accounts_without_registrar(device))
                .collect(),
            bytes,
        })
    }

    /// A problem that is not one of the rendered text, at the first variable it names (a
    /// value missing for the model, say), else without a place.
    fn place_problem(&self, parts: &[Part], problem: &RenderProblem) -> Located {
        let named = match problem {
            RenderProblem::MissingValue { variable, .. }
            | RenderProblem::BadValue { variable, .. } => Some(*variable),
            _ => None,
        };
        let at = parts.iter().find_map(|part| match part {
            Part::Var { variable, span, .. } if Some(variable.name()) == named => {
                Some(Position::at(&self.source, span.start))
            }
            _ => None,
        });
        Located {
            at,
            problem: Problem::NotRendered(problem.to_string()),
        }
    }

    /// The unconfirmed catalogue facts this file relies on, and how a file the device does not
    /// download reaches it.
    fn notes_for(
        &self,
        model: &ModelSpec,
        has_credentials: bool,
        has_sip_accounts: bool,
    ) -> Vec<String> {
        let sip_facts: &[Fact] = if has_sip_accounts {
            &[Fact::SipAccounts, Fact::SipParams]
        } else {
            &[]
        };
        let used: Vec<Fact> = RENDER_FACTS
            .iter()
            .copied()
            .filter(|fact| has_credentials || *fact != Fact::CredentialParams)
            .chain(sip_facts.iter().copied())
            .collect();
        let mut notes: Vec<String> = model.unconfirmed_note(&used).into_iter().collect();
        if let Delivery::LoadedByHand { how } = self.format.spec().delivery {
            notes.push(format!("{}: {how}", self.format.spec().name));
        }
        notes
    }

    /// The template's text with every variable's value, escaped for where it stands, and where
    /// each stretch of it came from.
    fn fill(&self, parts: &[Part], values: &Values) -> Result<(String, SourceMap), RenderProblem> {
        let latin1 = self.format.spec().encoding == Encoding::Latin1;
        let mut text = String::with_capacity(self.source.len() + 256);
        let mut map = SourceMap(Vec::with_capacity(parts.len()));
        for part in parts {
            map.0.push(match part {
                Part::Text(range) => (text.len(), range.start, true),
                Part::Var { span, .. } => (text.len(), span.start, false),
            });
            match part {
                Part::Text(range) => text.push_str(&self.source[range.clone()]),
                Part::Var {
                    variable: Variable::Credentials,
                    indent,
                    ..
                } => values.credentials_block(
                    self.format,
                    &self.source[indent.clone()],
                    &mut text,
                )?,
                Part::Var {
                    variable: Variable::SipAccounts,
                    indent,
                    ..
                } => values.sip_accounts_block(
                    self.format,
                    &self.source[indent.clone()],
                    &mut text,
                )?,
                Part::Var {
                    variable, context, ..
                } => {
                    let value = values.value(*variable)?;
                    escape_into(&mut text, &value, *context, latin1).map_err(|problem| {
                        RenderProblem::BadValue {
                            variable: variable.name(),
                            problem,
                        }
                    })?;
                }
            }
        }
        Ok((text, map))
    }

    /// What the device would refuse in the rendered text.
    fn check_rendered(
        &self,
        text: &str,
        model: &ModelSpec,
        device: &Device,
        values: &Values,
    ) -> Vec<Located> {
        let spec = self.format.spec();
        if spec.setting_lines {
            return check_patch_lines(text);
        }
        if !spec.xml {
            return Vec::new();
        }
        match read_xml(text) {
            Err(problem) => vec![problem],
            Ok(facts) => {
                let mut problems = check_structure(self.format, &facts, text);
                problems.extend(check_for_device(
                    self.format,
                    model,
                    &device.mac.macd(),
                    values.credentials().is_some(),
                    &facts,
                    text,
                ));
                problems
            }
        }
    }
}

/// A file that was not rendered: why, and each problem at the place in the template it comes
/// from (where it has one). Like [`RenderError`], never holds a secret value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub error: RenderError,
    /// At template lines: a problem inside a variable's value is at the variable, one of
    /// literal text at that text.
    pub in_template: Vec<Located>,
}

/// Where each stretch of a rendered text starts, and where it came from in the template:
/// (rendered offset, template offset, literal text or a variable's value).
struct SourceMap(Vec<(usize, usize, bool)>);

impl SourceMap {
    /// The template offset of rendered offset `at`: the same byte of literal text, or the
    /// `{{` of the variable whose value holds it.
    fn source_offset(&self, at: usize) -> usize {
        let after = self.0.partition_point(|(start, _, _)| *start <= at);
        match after.checked_sub(1).map(|index| self.0[index]) {
            Some((start, source, true)) => source + (at - start),
            Some((_, source, false)) => source,
            None => 0,
        }
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

/// The device's SIP accounts that neither name a registrar nor get one from their site: the
/// file renders, but the phone has nowhere to register them.
fn accounts_without_registrar(device: &Device) -> Option<String> {
    let missing: Vec<String> = device
        .effective_sip_accounts()
        .iter()
        .filter(|account| account.registrar.is_none())
        .map(|account| account.index.to_string())
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "{}: SIP account {} has no registrar, nor does its site: the phone cannot register \
             it; give one in the device form, the CSV's sipN_registrar or the site's SIP defaults",
            device.mac.macd(),
            missing.join(", ")
        )
    })
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
}
