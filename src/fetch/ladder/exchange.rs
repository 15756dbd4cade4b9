//! The requests of one fetch, one at a time: follow redirects (withholding credentials from
//! another origin), answer a stale nonce again with the same credentials, answer a new
//! challenge after a redirect, and otherwise climb to the next rung.

use std::ops::ControlFlow;

use super::choose::Chosen;
use super::{Run, Rung};
use crate::fetch::events::{Attempt, ReceivedResponse};
use crate::fetch::target::{MAX_REDIRECTS, Redirect, origin};

/// More requests than any honest ladder needs (3 rungs, 3 manual tries, stale retries and
/// redirects): the guard against a loop provdesk itself could fall into.
const MAX_REQUESTS: usize = 16;
/// A nonce reported stale this many times in a row is a loop, not bad luck.
const MAX_STALE_RETRIES: u32 = 3;

/// Where the exchange stands between two requests.
struct Exchange {
    url: reqwest::Url,
    rung: Option<Rung>,
    /// The challenge the next request answers, and the step whose response carried it.
    challenge: Option<(usize, Chosen)>,
    stale_retries: u32,
    redirects: usize,
    /// A redirect led to another origin: the device sends no credentials there.
    foreign_host: bool,
}

/// Stop when the fetch is over, for better or worse.
type Next = ControlFlow<()>;

impl Run<'_, '_> {
    /// Sends requests until one ends the fetch or the guard stops a loop.
    pub(super) async fn exchange(&mut self) {
        let mut exchange = Exchange {
            url: self.plan.url.clone(),
            rung: None,
            challenge: None,
            stale_retries: 0,
            redirects: 0,
            foreign_host: false,
        };
        for step in 0..MAX_REQUESTS {
            if self.request(step, &mut exchange).await.is_break() {
                return;
            }
        }
        self.log.note(
            None,
            format!("Stopped after {MAX_REQUESTS} requests: the exchange does not converge."),
        );
    }

    /// One request, and what its response means for the next one.
    async fn request(&mut self, step: usize, exchange: &mut Exchange) -> Next {
        let authorization = match (&exchange.rung, &exchange.challenge) {
            (Some(rung), Some((answers_step, chosen))) if !exchange.foreign_host => {
                Some(self.answer(step, *answers_step, chosen, rung, &exchange.url))
            }
            _ => None,
        };
        let attempt = exchange.rung.as_ref().map_or(Attempt::None, |r| r.attempt);
        let Some(response) = self.send(step, attempt, &exchange.url, authorization).await else {
            return Next::Break(());
        };
        if response.is_success() {
            return Next::Break(());
        }
        match Redirect::of(&response, &exchange.url) {
            Some(Redirect::To(location)) => return self.follow_redirect(step, exchange, location),
            Some(unusable) => {
                self.log.note(
                    Some(step),
                    format!(
                        "The server redirects to {}, which is no http:// or https:// URL: the device does not follow it.",
                        unusable.shown()
                    ),
                );
                return Next::Break(());
            }
            None => {}
        }
        if response.status != 401 {
            return Next::Break(());
        }
        self.unauthorized(step, exchange, &response).await
    }

    /// Follows a redirect; credentials go only where the device was sent, never to another origin.
    fn follow_redirect(
        &mut self,
        step: usize,
        exchange: &mut Exchange,
        mut location: reqwest::Url,
    ) -> Next {
        if !location.username().is_empty() || location.password().is_some() {
            // reqwest would send a URL's `user:pass@` as Basic on its own, unlogged; the
            // device answers challenges, and logs never show a URL password.
            self.log.note(
                Some(step),
                format!(
                    "The redirect's URL carries credentials for \"{}\": they are left out, the device answers only with its own credentials.",
                    location.username()
                ),
            );
            let _ = location.set_username("");
            let _ = location.set_password(None);
        }
        exchange.redirects += 1;
        if exchange.redirects > MAX_REDIRECTS {
            self.log.note(
                Some(step),
                format!("More than {MAX_REDIRECTS} redirects; the device gives up."),
            );
            return Next::Break(());
        }
        let text = if origin(&location) != origin(&exchange.url) {
            exchange.foreign_host = true;
            format!(
                "Redirected to another host ({}): no credentials are sent there.",
                origin(&location)
            )
        } else {
            format!(
                "Redirected to {}: a new digest is computed for the new URI.",
                location.path()
            )
        };
        self.log.note(Some(step), text);
        exchange.url = location;
        exchange.challenge = None;
        Next::Continue(())
    }

    /// A 401: answer it again (stale nonce, new URI after a redirect) or climb a rung.
    async fn unauthorized(
        &mut self,
        step: usize,
        exchange: &mut Exchange,
        response: &ReceivedResponse,
    ) -> Next {
        let carried_answer = self
            .log
            .transcript
            .steps
            .get(step)
            .is_some_and(|s| s.answer.is_some());
        let Some(chosen) = self.read_challenges(step, response) else {
            return Next::Break(());
        };
        if exchange.foreign_host {
            self.log.note(
                Some(step),
                "The other host asks for credentials; the device never sends them there.",
            );
            return Next::Break(());
        }
        if carried_answer && chosen.is_stale() {
            return self.retry_stale(step, exchange, chosen);
        }
        exchange.stale_retries = 0;
        if !carried_answer && exchange.rung.is_some() {
            // After a redirect: answer the new challenge with the same credentials.
            exchange.challenge = Some((step, chosen));
            return Next::Continue(());
        }
        let Some(next) = self.climb(step).await else {
            return Next::Break(());
        };
        exchange.rung = Some(next);
        exchange.challenge = Some((step, chosen));
        Next::Continue(())
    }

    /// The credentials were right but the nonce expired: answer the new nonce, a few times.
    fn retry_stale(&mut self, step: usize, exchange: &mut Exchange, chosen: Chosen) -> Next {
        exchange.stale_retries += 1;
        if exchange.stale_retries > MAX_STALE_RETRIES {
            self.log.note(
                Some(step),
                format!(
                    "The nonce was reported stale {} times in a row; stopping here.",
                    exchange.stale_retries
                ),
            );
            return Next::Break(());
        }
        self.log.note(
            Some(step),
            "stale=true: the credentials were right but the nonce expired; answering again with the new nonce.",
        );
        exchange.challenge = Some((step, chosen));
        Next::Continue(())
    }
}
