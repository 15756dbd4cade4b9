//! Trying a template before it is saved: rendering it for a sample device of each model that
//! reads its format. A template can parse and still give files every device refuses (a literal
//! MAC, a PROFILE_NAME of one model in a template two models read, a variable the model has no
//! value for); saved, it would make every such phone fail its fetch. The problems come back at
//! the template's own lines.

use super::error::{Located, Problem, TemplateErrors};
use super::render::Template;
use super::settings::RenderSettings;
use crate::device::{CATALOGUE, ConfigFormat, Device, Mac, ModelSpec, SipAccount};
use crate::secret::Secret;
use crate::words;

/// A device of `model` with every value a template can ask for: its URL, digest credentials,
/// MAC password, site and one SIP account with a registrar. Whatever its file lacks is then
/// the template's doing, not the data's.
fn sample_device(model: &ModelSpec) -> Device {
    let account = SipAccount {
        index: 1,
        registrar: Some("sip.example.com".into()),
        port: Some(5060),
        transport: None,
        user: "100".into(),
        auth_user: None,
        password: Some(Secret::new("sample-sip-password")),
        display_name: Some("Sample".into()),
        outbound_proxy: None,
    };
    Device {
        mac_password: Some(Secret::new("ABCDEFGHIJKL")),
        model: Some(model.name.to_string()),
        site: Some("Sample site".into()),
        url: Some(format!(
            "https://prov.example.com/cfg/%MACD.{}",
            model.config_format.spec().extension
        )),
        digest_username: Some("provision".into()),
        digest_password: Some(Secret::new("sample-password")),
        sip_accounts: vec![account],
        ..Device::bare(0, Mac::SAMPLE)
    }
}

/// The catalogue models that read `format`.
fn models_of(format: ConfigFormat) -> impl Iterator<Item = &'static ModelSpec> {
    CATALOGUE
        .iter()
        .filter(move |model| model.config_format == format)
}

/// "a sample N510 IP PRO", or "a sample N510 IP PRO (and 5 other models)".
fn samples_named(models: &[&'static str]) -> String {
    match models {
        [only] => format!("a sample {only}"),
        [first, others @ ..] => format!(
            "a sample {first} (and {})",
            words::count(others.len(), "other model")
        ),
        [] => "a sample device".to_string(),
    }
}

impl Template {
    /// The problems of the files this template renders for a sample device of each model that
    /// reads its format, at the template's lines, each once with the models it concerns.
    /// Empty when every sample file would be taken.
    pub fn trial(&self) -> Vec<Located> {
        let settings = RenderSettings::default();
        let mut found: Vec<(Located, Vec<&'static str>)> = Vec::new();
        for model in models_of(self.format()) {
            let Err(refused) = self.render_placed(&sample_device(model), &settings) else {
                continue;
            };
            for located in refused.in_template {
                match found.iter_mut().find(|(seen, _)| *seen == located) {
                    Some((_, models)) => models.push(model.name),
                    None => found.push((located, vec![model.name])),
                }
            }
        }
        let mut problems: Vec<Located> = found
            .into_iter()
            .map(|(located, models)| Located {
                at: located.at,
                problem: Problem::InFileFor {
                    device: samples_named(&models),
                    problem: Box::new(located.problem),
                },
            })
            .collect();
        problems.sort_by_key(|problem| problem.at);
        problems
    }

    /// Checks a template before it is saved: it parses ([`Template::parse`]) and the file of
    /// every model that reads it renders ([`Template::trial`]). What saving and `template
    /// validate` ask, so neither calls a template valid that no phone would take.
    pub fn check_draft(
        name: &str,
        format: ConfigFormat,
        source: &str,
    ) -> Result<Self, TemplateErrors> {
        let template = Self::parse(name, format, source, None)?;
        let problems = template.trial();
        if problems.is_empty() {
            Ok(template)
        } else {
            Err(TemplateErrors(problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::{DEFAULT_TEMPLATES, find_default};

    fn line_of(text: &str, needle: &str) -> usize {
        text[..text.find(needle).unwrap()].matches('\n').count() + 1
    }

    #[test]
    fn every_builtin_template_passes_its_trial() {
        for default in DEFAULT_TEMPLATES {
            let checked = Template::check_draft(default.name, default.format, default.text);
            assert!(checked.is_ok(), "{}: {checked:?}", default.name);
        }
    }

    #[test]
    fn a_literal_mac_is_refused_once_at_its_template_line_for_every_model() {
        let default = find_default("provider-frame").unwrap();
        let text = default.text.replace("{{mac}}", "7C2F80820EC0");
        let errors = Template::check_draft(default.name, default.format, &text).unwrap_err();
        assert_eq!(errors.0.len(), 1, "{errors}");
        assert_eq!(
            errors.0[0].at.map(|at| at.line),
            Some(line_of(&text, "<MAC_ADDRESS"))
        );
        let message = errors.0[0].problem.to_string();
        assert!(
            message.starts_with("the file for a sample N510 IP PRO (and ")
                && message.contains("other models) would be refused: MAC_ADDRESS is"),
            "{message}"
        );
    }

    #[test]
    fn a_problem_inside_a_block_is_placed_at_the_block_variable() {
        let default = find_default("provider-frame").unwrap();
        let template = Template::builtin(default);
        let model = crate::device::find_model("N510").unwrap();
        let device = Device {
            digest_password: Some(Secret::new("p".repeat(60))),
            ..sample_device(model)
        };
        let refused = template
            .render_placed(&device, &RenderSettings::default())
            .unwrap_err();
        assert_eq!(refused.in_template.len(), 1, "{refused:?}");
        assert_eq!(
            refused.in_template[0].at.map(|at| at.line),
            Some(line_of(default.text, "{{credentials}}"))
        );
        assert!(matches!(
            refused.in_template[0].problem,
            Problem::TooLong { length: 60, .. }
        ));
    }

    #[test]
    fn a_rule_of_one_model_is_refused_for_that_model_only() {
        let default = find_default("provider-frame").unwrap();
        // The N720's password needs I_PHONE_SYSTEM = 5; a literal 0 after the credentials
        // contradicts the block's own setting for the N720 only.
        let text = default.text.replace(
            "{{credentials}}",
            "{{credentials}}\n<I_PHONE_SYSTEM class=\"integer\" value=\"0\"/>",
        );
        let errors = Template::check_draft(default.name, default.format, &text).unwrap_err();
        assert_eq!(errors.0.len(), 1, "{errors}");
        assert_eq!(
            errors.0[0].at.map(|at| at.line),
            Some(line_of(&text, "<I_PHONE_SYSTEM"))
        );
        assert!(
            errors.0[0]
                .problem
                .to_string()
                .starts_with("the file for a sample N720 IP PRO would be refused: I_PHONE_SYSTEM"),
            "{errors}"
        );
    }

    #[test]
    fn a_value_the_model_lacks_is_placed_at_its_variable() {
        let default = find_default("provisioning-1.1").unwrap();
        let text = default.text.replace("{{provider}}", "{{dvid}}");
        let errors = Template::check_draft(default.name, default.format, &text).unwrap_err();
        let at = errors.0[0].at.unwrap();
        assert_eq!(
            crate::templates::Position::at(&text, text.find("{{dvid}}").unwrap()),
            at,
            "{errors}"
        );
        assert!(
            errors.to_string().contains("{{dvid}} has no value"),
            "{errors}"
        );
    }
}
