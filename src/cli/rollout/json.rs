//! `rollout status --json`. Its keys say what they count in the rollout's own direction: going
//! back after a cancel, the progress's "switched" is a phone back on the old credentials and its
//! "on old" one still on the cancelled ones, so a script reading `switched`/`on_old` of a rollout
//! back read the opposite of the truth.

use serde::Serialize;

use crate::inventory::{RolloutDirection, RolloutProgress};

#[derive(Serialize)]
#[serde(tag = "direction", rename_all = "snake_case")]
pub(super) enum Status<'a> {
    Forward {
        site: Option<&'a str>,
        devices: usize,
        /// Served with the new credentials since the rollout started.
        switched: usize,
        /// Last served with the old ones.
        on_old: usize,
        not_seen_since: usize,
        /// Enforcing now would lock these out.
        pending: usize,
        /// May hold the new credentials: a cancel keeps them accepted for these.
        may_hold_new: usize,
    },
    Back {
        site: Option<&'a str>,
        cancelled_at: Option<&'a str>,
        devices: usize,
        /// Served with the old credentials again since the cancel.
        back: usize,
        /// Last served with the cancelled ones.
        on_cancelled: usize,
        not_seen_since: usize,
        /// Not back yet, so may still hold the cancelled credentials: enforcing now would lock
        /// these out.
        pending: usize,
    },
}

impl<'a> From<&'a RolloutProgress> for Status<'a> {
    fn from(row: &'a RolloutProgress) -> Self {
        let site = row.site.as_deref();
        match row.direction {
            RolloutDirection::Forward => Status::Forward {
                site,
                devices: row.devices,
                switched: row.switched,
                on_old: row.on_old,
                not_seen_since: row.unseen(),
                pending: row.pending(),
                may_hold_new: row.may_hold_new,
            },
            RolloutDirection::Back => Status::Back {
                site,
                cancelled_at: row.cancelled_at.as_deref(),
                devices: row.devices,
                back: row.switched,
                on_cancelled: row.on_old,
                not_seen_since: row.unseen(),
                pending: row.pending(),
            },
        }
    }
}
