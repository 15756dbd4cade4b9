//! What a server sends back is outside data: bodies and challenge headers of any shape must
//! neither panic the log nor the diagnosis, and every finished exchange gets a diagnosis.

use std::time::Duration;

use proptest::prelude::*;
use provdesk::device::password_params;
use provdesk::fetch::{
    Answer, AnswerKind, Attempt, Event, HeaderLine, ReceivedResponse, SentRequest, ShownBody,
    Transcript, diagnose, display_body,
};

fn response(step: usize, status: u16, headers: Vec<HeaderLine>, body: Vec<u8>) -> ReceivedResponse {
    ReceivedResponse {
        step,
        status,
        reason: String::new(),
        http_version: "HTTP/1.1".into(),
        headers,
        wait: Duration::ZERO,
        total: Duration::ZERO,
        body_size: body.len(),
        truncated: false,
        incomplete: None,
        body,
        shown: Default::default(),
    }
}

fn request(step: usize) -> SentRequest {
    SentRequest {
        step,
        attempt: Attempt::None,
        method: "GET".into(),
        url: "http://127.0.0.1:1/cfg/x.xml".into(),
        target: "/cfg/x.xml".into(),
        headers: Vec::new(),
        at: Duration::ZERO,
    }
}

/// The body as the fetch shows and exports it, with no password known to the fetch: what is
/// masked is masked by where it stands.
fn shown(body: &[u8], xml: bool) -> ShownBody {
    ShownBody::new(body, xml.then_some("application/xml"), &[])
}

/// A password setting in one of the shapes the formats write: the catalogue's parameter names
/// (`#` an account's number) as ProviderFrame elements, symbolic items, provisioning 1.1
/// params and patch-file lines, and the shapes a name alone says (a Spectralink `<password>`,
/// a URL's `user:pass@`).
fn planted(name: &str, shape: usize, password: &str, xml: bool) -> String {
    match (xml, shape) {
        (true, 0) => format!("<{name} class=\"string\" value=\"{password}\"/>"),
        (true, 1) => {
            format!(
                "<SYMB_ITEM ID=\"BS_IP_Data1.auc{name}\" class=\"symb_item\" value='\"{password}\"'/>"
            )
        }
        (true, 2) => format!("<param name=\"{name}\" value=\"{password}\"/>"),
        (true, 3) => format!("<password>{password}</password>"),
        (true, _) => format!("<url>https://provision:{password}@prov.example.com/cfg/</url>"),
        (false, 0 | 1) => format!("BS_IP_Data1.auc{name}={password}"),
        (false, 2) => format!("{} = {password}", name.to_ascii_lowercase()),
        (false, _) => format!("provisioning_url=https://u:{password}@h.example/%MACD.xml"),
    }
}

proptest! {
    /// Review item 7: whatever a server sends, masking never panics and keeps every line.
    #[test]
    fn masking_any_body_keeps_its_lines(
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
        tokens in proptest::collection::vec(
            proptest::sample::select(vec![
                "<", ">", "\"", "'", "=", ":", "/", "\n", "\r\n", " ", "x", "\u{fc}", "\u{20ac}",
                "\0", "<password>", "<![CDATA[", "]]>", "://", "u:p@", "value=", "pwd=",
                "<param name=\"x.Password\" ", "<S_SIP_PASSWORD_1 value=\"", "<!--",
            ]),
            0..400,
        ),
        xml in any::<bool>(),
    ) {
        for body in [bytes, tokens.concat().into_bytes()] {
            let shown = shown(&body, xml);
            let breaks = |text: &str| text.matches('\n').count();
            prop_assert_eq!(breaks(shown.text(false)), breaks(shown.text(true)));
            prop_assert_eq!(breaks(&shown.raw(&body, false)), breaks(&shown.raw(&body, true)));
        }
    }

    /// Review item 7: a password planted in any password setting, among lines of anything,
    /// is masked in the text shown and in the body exported, and shown when revealed.
    #[test]
    fn no_planted_password_survives(
        settings in proptest::collection::vec(
            (
                proptest::sample::select(password_params().collect::<Vec<_>>()),
                1u8..13,
                0usize..5,
                "Zx[a-z0-9!$*+.~\u{fc}-]{3,16}",
            ),
            1..6,
        ),
        noise in proptest::collection::vec("\\PC{0,40}", 0..8),
        xml in any::<bool>(),
        latin1 in any::<bool>(),
    ) {
        let mut lines = vec![if xml { "<?xml version=\"1.0\"?>" } else { "# settings" }.to_string()];
        let mut passwords = Vec::new();
        for (i, (pattern, account, shape, password)) in settings.iter().enumerate() {
            let name = pattern.replace('#', &account.to_string());
            lines.push(noise.get(i).cloned().unwrap_or_default());
            lines.push(planted(&name, *shape, password, xml));
            passwords.push(password.clone());
        }
        lines.extend(noise.iter().skip(settings.len()).cloned());
        let text = lines.join("\n");
        for password in &passwords {
            prop_assume!(!noise.iter().any(|line| line.contains(password.as_str())));
        }
        let body: Vec<u8> = if latin1 {
            text.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect()
        } else {
            text.into_bytes()
        };
        let shown = shown(&body, xml);
        for password in &passwords {
            prop_assert!(!shown.text(false).contains(password.as_str()), "{password} in {}", shown.text(false));
            prop_assert!(!shown.raw(&body, false).contains(password.as_str()), "{password} exported");
            prop_assert!(shown.text(true).contains(password.as_str()), "{password} revealed: {}", shown.text(true));
        }
    }

    #[test]
    fn any_body_is_shown_without_panicking(body in proptest::collection::vec(any::<u8>(), 0..512), xml in any::<bool>()) {
        let headers = if xml { vec![HeaderLine::new("Content-Type", "application/xml")] } else { Vec::new() };
        let shown = display_body(&response(0, 200, headers, body.clone()));
        let visible = body.iter().any(|b| !b.is_ascii_whitespace());
        prop_assert!(!visible || !shown.is_empty(), "{body:?} shown as nothing");
    }

    /// Issue 11: indenting stays linear in the body whatever the nesting (the cargo-fuzz
    /// target body_pretty checks the same bound on any bytes).
    #[test]
    fn any_xml_shape_is_shown_in_linear_space(
        tokens in proptest::collection::vec(
            proptest::sample::select(vec!["<a>", "</a>", "<b/>", "x", "<a>\n", "<?p?>", "&amp;", "\u{fc}"]),
            0..3000,
        ),
    ) {
        let body = tokens.concat();
        let shown = provdesk::fetch::body_text(body.as_bytes(), Some("text/xml"), true);
        prop_assert!(shown.len() <= body.len() * 24 + 8192, "{} bytes shown for {}", shown.len(), body.len());
        if let Ok(pretty) = provdesk::fetch::pretty_xml(body.as_bytes()) {
            prop_assert!(pretty.len() <= body.len() * 8 + 4096);
        }
    }

    #[test]
    fn any_exchange_gets_a_diagnosis(
        statuses in proptest::collection::vec(100u16..600, 1..6),
        challenges in proptest::collection::vec(".{0,120}", 1..6),
    ) {
        let mut transcript = Transcript::default();
        for (step, status) in statuses.iter().enumerate() {
            transcript.apply(&Event::Request(request(step)));
            let header = challenges[step % challenges.len()].clone();
            transcript.apply(&Event::Response(response(
                step,
                *status,
                vec![HeaderLine::new("WWW-Authenticate", header)],
                Vec::new(),
            )));
        }
        let found = diagnose(&transcript);
        prop_assert!(!found.is_empty());
        for finding in found {
            prop_assert!(!finding.message.is_empty() && !finding.fix.is_empty());
        }
    }

    /// Issue 12: what a refusal's body and Retry-After say is quoted, never passed on raw: any
    /// bytes give a diagnosis with no control character and of bounded length.
    #[test]
    fn any_refusal_is_diagnosed_printably(
        body in proptest::collection::vec(any::<u8>(), 0..5000),
        retry_after in "(\\PC|[\\x00-\\x1f]){0,100}",
        status in proptest::sample::select(vec![403u16, 429, 503]),
        refused_before in any::<bool>(),
    ) {
        let mut transcript = Transcript::default();
        let mut step = 0;
        if refused_before {
            transcript.apply(&Event::Request(request(0)));
            transcript.apply(&Event::Response(response(0, 401, Vec::new(), Vec::new())));
            transcript.apply(&Event::Answer(Answer {
                step: 1,
                answers_step: 0,
                challenge_index: 0,
                username: "7C2F80820EC0".into(),
                kind: AnswerKind::Basic,
            }));
            transcript.apply(&Event::Request(request(1)));
            transcript.apply(&Event::Response(response(1, 401, Vec::new(), Vec::new())));
            step = 2;
        }
        transcript.apply(&Event::Request(request(step)));
        transcript.apply(&Event::Response(response(
            step,
            status,
            vec![HeaderLine::new("Retry-After", retry_after)],
            body,
        )));
        let found = diagnose(&transcript);
        prop_assert!(!found.is_empty());
        for finding in found {
            for text in [&finding.title, &finding.message, &finding.fix] {
                prop_assert!(!text.chars().any(char::is_control), "{text:?}");
                prop_assert!(text.chars().count() < 1500, "{} characters", text.chars().count());
            }
        }
    }
}
