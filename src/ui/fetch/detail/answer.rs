//! The answer a step sent, worked out in words: the Basic credentials, or every value of the
//! digest computation with what it is made of, masked until the user reveals it.

use egui::RichText;

use super::{mono, section};
use crate::digest::DigestComputation;
use crate::fetch::{Answer, AnswerKind, Transcript};
use crate::secret::MASK;

pub(super) fn answer_section(
    ui: &mut egui::Ui,
    transcript: &Transcript,
    answer: &Answer,
    reveal: &mut bool,
) {
    let answered = transcript.steps.get(answer.answers_step);
    let challenge = answered.and_then(|s| s.challenges.get(answer.challenge_index));
    match &answer.kind {
        AnswerKind::Basic => {
            section(ui, "Basic credentials");
            ui.add(
                egui::Label::new(format!(
                    "The device sends user \"{}\" and its password Basic-encoded: readable by \
                     anyone who sees the request. DE phones do this for testing only.",
                    answer.username
                ))
                .wrap(),
            );
        }
        AnswerKind::Digest(digest) => {
            ui.horizontal(|ui| {
                section(ui, "How the digest was computed");
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let text = if *reveal {
                        "Hide secrets"
                    } else {
                        "Reveal secrets"
                    };
                    if ui
                        .button(text)
                        .on_hover_text(
                            "Show A1, HA1, the hashed string, the response and the cnonce in the \
                             clear. They hold the password, or let it be guessed offline: mind \
                             who sees the screen.",
                        )
                        .clicked()
                    {
                        *reveal = !*reveal;
                    }
                });
            });
            ui.label(
                RichText::new(format!(
                    "Answers challenge {} of response {}{}",
                    answer.challenge_index + 1,
                    answer.answers_step + 1,
                    challenge
                        .map(|c| format!(": {}", c.describe()))
                        .unwrap_or_default()
                ))
                .weak(),
            );
            ui.add_space(2.0);
            digest_lines(ui, &answer.username, digest, answer.answers_step, *reveal);
        }
    }
}

/// One worked line: what it is in words, then the value.
fn worked(ui: &mut egui::Ui, words: &str, value: &str) {
    ui.add(egui::Label::new(RichText::new(words).small().weak()).wrap());
    mono(ui, value);
    ui.add_space(3.0);
}

fn digest_lines(
    ui: &mut egui::Ui,
    username: &str,
    d: &DigestComputation,
    answers_step: usize,
    reveal: bool,
) {
    let h = d.algorithm.name();
    let a1 = if reveal {
        d.a1.expose().to_string()
    } else if d.algorithm.is_session() {
        format!("H({username}:{}:{MASK}):{}:{MASK}", d.realm, d.nonce)
    } else {
        format!("{username}:{}:{MASK}", d.realm)
    };
    let ha1 = if reveal { d.ha1.expose() } else { MASK };
    let hashed = if reveal {
        d.response_input.expose().to_string()
    } else {
        d.response_input_masked().replace(&d.cnonce, MASK)
    };
    // With the cnonce and nonce, the response lets anyone guess a short password offline.
    let (cnonce, response) = if reveal {
        (d.cnonce.as_str(), d.response.as_str())
    } else {
        (MASK, MASK)
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        worked(
            ui,
            &format!(
                "nonce: the server's one-time value, from response {}",
                answers_step + 1
            ),
            &d.nonce,
        );
        worked(
            ui,
            "realm: the name the server gives its protected area",
            &d.realm,
        );
        worked(
            ui,
            &format!(
                "HA1: your user name, the realm and the password, hashed with {h}{}",
                if d.algorithm.is_session() {
                    " (-sess: then hashed again with the nonce and cnonce)"
                } else {
                    ""
                }
            ),
            &format!("H({a1}) = {ha1}"),
        );
        worked(
            ui,
            "HA2: the method and the path asked for, hashed",
            &format!("H({}) = {}", d.a2, d.ha2),
        );
        worked(ui, "nc: how often the device has used this nonce", &d.nc);
        worked(
            ui,
            "cnonce: a random value the device adds, so no two answers are alike",
            cnonce,
        );
        worked(
            ui,
            "response: HA1, nonce, nc, cnonce, qop and HA2 joined by colons and hashed; the server \
             computes the same from its copy of the password and compares",
            &format!("H({hashed}) = {response}"),
        );
        let mut extra = vec![format!("algorithm {}", d.algorithm)];
        extra.push(format!("qop {}", d.qop.map_or("none", |q| q.name())));
        extra.push(format!("uri {}", d.uri));
        if d.userhash {
            extra.push(format!("user name sent hashed: {}", d.username_field));
        }
        if let Some(opaque) = &d.opaque {
            extra.push(format!("opaque {opaque} (returned unchanged)"));
        }
        ui.label(RichText::new(extra.join(" · ")).small().weak());
    });
}
