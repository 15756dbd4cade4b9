//! How far the rollouts have come, per site and per way: forward to new credentials, or back
//! to the old ones after a cancel ([`super::RolloutCancel`]). A rollout back counts the same
//! things with the meanings turned round ("switched" is a phone back on the old credentials,
//! "on old" one still answering with those the cancel took back), so each row says which way
//! it goes: a bare "0 of 2 switched" after a cancel reads as if the cancel did nothing.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Inventory, InventoryError};
use crate::device::Mac;

/// Which way a rollout goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RolloutDirection {
    /// To the new credentials, from a start.
    Forward,
    /// Back to the credentials from before a rollout that was cancelled: the phones that may
    /// hold the cancelled ones keep them accepted until this is enforced.
    Back,
}

/// How far a rollout has come, per site and way. "Since the rollout started" compares the
/// times as text, so both are written with milliseconds (`…T12:00:05.250Z`), as the server's
/// events are. (`None`: devices without a site).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloutProgress {
    pub site: Option<String>,
    pub direction: RolloutDirection,
    /// When the rollout was cancelled and turned back (the latest, if its devices differ);
    /// `None` going forward.
    pub cancelled_at: Option<String>,
    pub devices: usize,
    /// Devices served with their present credentials since the rollout started (or turned
    /// back): the new ones forward, the old ones again going back.
    pub switched: usize,
    /// Devices last served with the credentials being replaced: the old ones forward, the
    /// cancelled ones going back.
    pub on_old: usize,
    /// Devices whose phones may hold credentials a cancel takes back: served since the rollout
    /// started (their file carried the new ones), or started again (an in-between file). A
    /// cancel keeps those credentials accepted for them ([`Inventory::cancel_rollout`]).
    pub may_hold_new: usize,
}

impl RolloutProgress {
    /// Devices that would be locked out if the rollout were enforced now.
    pub fn pending(&self) -> usize {
        self.devices - self.switched
    }

    /// Devices not served since the rollout started.
    pub fn unseen(&self) -> usize {
        self.devices - self.switched - self.on_old
    }

    pub fn is_back(&self) -> bool {
        self.direction == RolloutDirection::Back
    }

    /// The site's name as shown, `(no site)` for devices without one.
    pub fn site_name(&self) -> &str {
        self.site.as_deref().unwrap_or("(no site)")
    }

    /// The site with the way, as a table row or a line starts: `Hotel`, or `Hotel — going
    /// back to the old credentials (cancelled 21:15 UTC)`.
    pub fn title(&self) -> String {
        self.title_at(Utc::now())
    }

    fn title_at(&self, now: DateTime<Utc>) -> String {
        match (self.direction, self.cancelled_at_text(now)) {
            (RolloutDirection::Forward, _) => self.site_name().to_string(),
            (RolloutDirection::Back, cancelled) => format!(
                "{} — going back to the old credentials{}",
                self.site_name(),
                cancelled
                    .map(|at| format!(" (cancelled {at})"))
                    .unwrap_or_default()
            ),
        }
    }

    /// When the rollout was cancelled, as the hour (with the date when not today):
    /// `21:15 UTC`; `None` going forward.
    pub fn cancelled(&self) -> Option<String> {
        self.cancelled_at_text(Utc::now())
    }

    fn cancelled_at_text(&self, now: DateTime<Utc>) -> Option<String> {
        self.cancelled_at.as_deref().map(|at| time_of_day(at, now))
    }

    /// The row in one line, the same words in both faces: `Hotel: 7 of 10 switched, 2 still
    /// on the old credentials, 1 not seen since`, or going back `Hotel — going back to the old
    /// credentials (cancelled 21:15 UTC): 1 of 2 back, 0 still on the cancelled ones, 1 not
    /// seen since`.
    pub fn line(&self) -> String {
        self.line_at(Utc::now())
    }

    fn line_at(&self, now: DateTime<Utc>) -> String {
        let (done, old) = match self.direction {
            RolloutDirection::Forward => ("switched", "old credentials"),
            RolloutDirection::Back => ("back", "cancelled ones"),
        };
        format!(
            "{}: {} of {} {done}, {} still on the {old}, {} not seen since",
            self.title_at(now),
            self.switched,
            self.devices,
            self.on_old,
            self.unseen()
        )
    }
}

/// A stored UTC time as the hour it was, with the date when that is not today's:
/// `21:15 UTC`, `2026-12-05 21:15 UTC`; text that is no time, as stored.
fn time_of_day(at: &str, now: DateTime<Utc>) -> String {
    match DateTime::parse_from_rfc3339(at) {
        Ok(then) if then.with_timezone(&Utc).date_naive() == now.date_naive() => {
            format!("{} UTC", then.format("%H:%M"))
        }
        Ok(then) => format!("{} UTC", then.format("%Y-%m-%d %H:%M")),
        Err(_) => at.to_string(),
    }
}

impl Inventory {
    /// How many devices in a rollout have switched, per site and way.
    pub fn rollout_progress(&self) -> Result<Vec<RolloutProgress>, InventoryError> {
        let mut statement = self.conn.prepare(
            "SELECT s.name, d.rollout_cancelled_at IS NOT NULL AS back,
                    max(d.rollout_cancelled_at), count(*),
                    sum(d.seen_credential = 'configured' AND d.seen_at >= d.rollout_started_at),
                    sum(d.seen_credential = 'old_configured' AND d.seen_at >= d.rollout_started_at),
                    sum(d.seen_at >= d.rollout_started_at OR d.rollout_interim IS NOT NULL)
             FROM devices d LEFT JOIN sites s ON s.id = d.site_id
             WHERE d.rollout_started_at IS NOT NULL
             GROUP BY s.name, back ORDER BY s.name COLLATE NOCASE, back",
        )?;
        let rows = statement.query_map([], |row| {
            let count = |index| -> rusqlite::Result<usize> {
                Ok(row.get::<_, Option<i64>>(index)?.unwrap_or(0) as usize)
            };
            Ok(RolloutProgress {
                site: row.get(0)?,
                direction: if row.get(1)? {
                    RolloutDirection::Back
                } else {
                    RolloutDirection::Forward
                },
                cancelled_at: row.get(2)?,
                devices: count(3)?,
                switched: count(4)?,
                on_old: count(5)?,
                may_hold_new: count(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Which way each device in a rollout goes, by MAC (`7C2F80820EC0`): what the phones'
    /// diagnoses say of one served with the credentials being replaced.
    pub fn rollout_directions(&self) -> Result<BTreeMap<String, RolloutDirection>, InventoryError> {
        let mut statement = self.conn.prepare(
            "SELECT mac, rollout_cancelled_at IS NOT NULL FROM devices
             WHERE rollout_started_at IS NOT NULL",
        )?;
        let rows = statement.query_map([], |row| {
            let direction = if row.get(1)? {
                RolloutDirection::Back
            } else {
                RolloutDirection::Forward
            };
            Ok((super::query::mac_column(row, 0)?.macd(), direction))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The devices that enforcing every rollout now would lock out: in a rollout and not served
    /// with their new credentials since it started, by MAC. What a face names before the user
    /// confirms, read when asked (the CLI may have started or moved a rollout meanwhile).
    pub fn rollout_pending(&self) -> Result<Vec<Mac>, InventoryError> {
        let mut statement = self.conn.prepare(
            "SELECT mac FROM devices
             WHERE rollout_started_at IS NOT NULL
               AND NOT coalesce(seen_credential = 'configured' AND seen_at >= rollout_started_at, 0)
             ORDER BY mac",
        )?;
        let rows = statement.query_map([], |row| super::query::mac_column(row, 0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(direction: RolloutDirection, cancelled_at: Option<&str>) -> RolloutProgress {
        RolloutProgress {
            site: Some("Hotel".into()),
            direction,
            cancelled_at: cancelled_at.map(str::to_string),
            devices: 2,
            switched: 1,
            on_old: 0,
            may_hold_new: 1,
        }
    }

    /// After a cancel the row read "Hotel: 0 of 2 switched", as if the cancel did nothing.
    #[test]
    fn a_rollout_back_says_which_way_it_goes_and_since_when() {
        let now = DateTime::parse_from_rfc3339("2026-12-07T23:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            row(RolloutDirection::Forward, None).line_at(now),
            "Hotel: 1 of 2 switched, 0 still on the old credentials, 1 not seen since"
        );
        assert_eq!(
            row(RolloutDirection::Back, Some("2026-12-07T21:15:03.250Z")).line_at(now),
            "Hotel — going back to the old credentials (cancelled 21:15 UTC): 1 of 2 back, 0 still on the cancelled ones, 1 not seen since"
        );
        assert_eq!(
            row(RolloutDirection::Back, Some("2026-12-05T08:01:00.000Z")).title_at(now),
            "Hotel — going back to the old credentials (cancelled 2026-12-05 08:01 UTC)"
        );
    }
}
