//! `provdesk rollout start|status|enforce|cancel`: change phones' digest credentials in two
//! phases, so that no phone in the field is locked out by the change, or by going back.

mod json;

use clap::{Args, Subcommand};

use crate::device::Mac;
use crate::inventory::{Inventory, RolloutPlan, RolloutProgress, RolloutScope};
use crate::secret::Secret;
use crate::words;

#[derive(Debug, Subcommand)]
pub enum RolloutCommand {
    /// Set new digest credentials; `provdesk serve` accepts the old ones too until `enforce`
    Start(StartArgs),
    /// How many devices have fetched their new credentials, per site (and, after a cancel,
    /// how many are back on the old ones)
    Status(StatusArgs),
    /// End the rollout: the old credentials are no longer accepted
    Enforce(EnforceArgs),
    /// Go back to the old credentials (a rollout started by mistake); phones that may hold
    /// the new ones keep them accepted until they have switched back. A rollout already going
    /// back is left alone
    Cancel(CancelArgs),
}

#[derive(Debug, Args)]
#[group(id = "scope", required = true, multiple = false)]
pub struct ScopeArgs {
    /// The site whose credentials change (its devices that use the site's credentials)
    #[arg(long, value_name = "SITE", group = "scope")]
    site: Option<String>,
    /// A device whose own credentials change (repeat for several)
    #[arg(long, value_name = "MAC", group = "scope")]
    mac: Vec<String>,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    #[command(flatten)]
    scope: ScopeArgs,
    /// The new digest user name
    #[arg(long, value_name = "U")]
    user: String,
    /// Environment variable holding the new password (never on the command line)
    #[arg(long, value_name = "VAR", required_unless_present = "generate")]
    password_env: Option<String>,
    /// Generate a strong password every model in scope accepts, and print it once
    #[arg(long, conflicts_with = "password_env")]
    generate: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print JSON
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct EnforceArgs {
    /// Only this site's devices (default: every device in a rollout)
    #[arg(long, value_name = "SITE")]
    site: Option<String>,
    /// Enforce even though some devices have not fetched their new credentials yet
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
pub struct CancelArgs {
    /// Only this site's devices (default: every device in a rollout)
    #[arg(long, value_name = "SITE")]
    site: Option<String>,
    /// Cancel even though some phones may hold the new credentials already (they stay
    /// accepted for those until the rollout back is enforced)
    #[arg(long)]
    force: bool,
}

pub fn run(inventory: &mut Inventory, command: RolloutCommand) -> anyhow::Result<bool> {
    match command {
        RolloutCommand::Start(args) => {
            let scope = scope(args.scope)?;
            let password = match &args.password_env {
                Some(var) => Secret::new(super::secret_from_env(var)?),
                None => inventory.generate_rollout_password(&scope)?,
            };
            let started = inventory.start_rollout(&scope, &args.user, &password)?;
            if args.generate {
                say!(
                    "generated password (shown only now; keep it where your team keeps secrets): {}",
                    password.expose()
                );
            }
            say!(
                "rollout started for {}{}: {} user \"{}\"; each phone takes them from its next file, and `provdesk serve` accepts the old credentials until `provdesk rollout enforce`",
                words::count(started.devices, "device"),
                models(&started),
                words::agree(started.devices, "its file carries", "their files carry"),
                args.user.trim()
            );
            if let Some(note) = started.again_note() {
                say!("{note}");
            }
            if !started.own_credentials.is_empty() {
                say!(
                    "left alone, with credentials of their own: {}",
                    started.own_credentials.join(", ")
                );
            }
            Ok(true)
        }
        RolloutCommand::Status(args) => {
            let progress = inventory.rollout_progress()?;
            if args.json {
                let rows: Vec<json::Status> = progress.iter().map(json::Status::from).collect();
                say!("{}", serde_json::to_string_pretty(&rows)?);
            } else if progress.is_empty() {
                say!("no rollout is on");
            } else {
                for row in &progress {
                    say!("{}", row.line());
                }
            }
            Ok(true)
        }
        RolloutCommand::Enforce(args) => enforce(inventory, args),
        RolloutCommand::Cancel(args) => cancel(inventory, args),
    }
}

/// The rows of the progress `site` names (every row without one).
fn rows_of(progress: Vec<RolloutProgress>, site: Option<&str>) -> Vec<RolloutProgress> {
    progress
        .into_iter()
        .filter(|row| {
            site.is_none_or(|site| {
                row.site
                    .as_deref()
                    .is_some_and(|name| name.eq_ignore_ascii_case(site.trim()))
            })
        })
        .collect()
}

/// Enforces; refuses without `--force` while phones would be locked out, saying which way
/// they lag: not on the new credentials yet, or (going back) not on the old ones again.
fn enforce(inventory: &mut Inventory, args: EnforceArgs) -> anyhow::Result<bool> {
    let rows = rows_of(inventory.rollout_progress()?, args.site.as_deref());
    let lag = |back: bool| -> usize {
        rows.iter()
            .filter(|row| row.is_back() == back)
            .map(RolloutProgress::pending)
            .sum()
    };
    let (forward, back) = (lag(false), lag(true));
    if forward + back > 0 && !args.force {
        let mut lags = Vec::new();
        if forward > 0 {
            lags.push(format!(
                "{} {} not fetched {} new credentials yet",
                words::count(forward, "device"),
                words::agree(forward, "has", "have"),
                words::agree(forward, "its", "their"),
            ));
        }
        if back > 0 {
            lags.push(format!(
                "{} going back {} not come back to the old credentials yet",
                words::count(back, "device"),
                words::agree(back, "has", "have"),
            ));
        }
        let pending = forward + back;
        eprintln!(
            "provdesk: {} and would be locked out; wait for {} (provdesk rollout status) or pass --force",
            lags.join(", and "),
            words::agree(pending, "it", "them")
        );
        return Ok(false);
    }
    let scope = match args.site {
        Some(site) => RolloutScope::Site(site),
        None => RolloutScope::All,
    };
    let ended = inventory.enforce_rollout(&scope)?;
    let kept = if !rows.is_empty() && rows.iter().all(RolloutProgress::is_back) {
        "only the old credentials are accepted again"
    } else if rows.iter().any(RolloutProgress::is_back) {
        "only the credentials each file carries are accepted"
    } else {
        "only the new credentials are accepted"
    };
    say!(
        "rollout enforced for {}: {kept}",
        words::count(ended, "device")
    );
    Ok(true)
}

/// Cancels; refuses without `--force` when phones may hold the new credentials, saying what
/// the cancel would do with them, and says so when the rollouts are going back already.
fn cancel(inventory: &mut Inventory, args: CancelArgs) -> anyhow::Result<bool> {
    let site = args.site.clone();
    let scope = match args.site {
        Some(site) => RolloutScope::Site(site),
        None => RolloutScope::All,
    };
    let plan = inventory.plan_cancel_rollout(&scope)?;
    if plan.only_going_back() {
        let back: Vec<String> = rows_of(inventory.rollout_progress()?, site.as_deref())
            .iter()
            .filter(|row| row.is_back())
            .map(RolloutProgress::line)
            .collect();
        let option = site
            .as_deref()
            .map(|site| format!(" --site {}", shell_word(site)))
            .unwrap_or_default();
        eprintln!(
            "provdesk: nothing was cancelled: {} cancelled already and {} going back. {}. Once every phone is back, end it with `provdesk rollout enforce{option}`; to go to the new credentials after all, start the rollout again (`provdesk rollout start`)",
            words::agree(back.len(), "this rollout was", "these rollouts were"),
            words::agree(back.len(), "is", "are"),
            back.join("; ")
        );
        return Ok(false);
    }
    if plan.rolled_back > 0 && !args.force {
        eprintln!(
            "provdesk: nothing was cancelled: {n} may hold the new credentials already ({how}), and forgetting them would lock {them} out. Cancelling keeps them accepted for {them} while {their} next file carries the old ones again; enforce that once {they} switched back. Pass --force to cancel so",
            n = words::count(plan.rolled_back, "device"),
            how = how_they_may_hold_them(plan.switched, plan.rolled_back),
            them = words::agree(plan.rolled_back, "it", "them"),
            their = words::agree(plan.rolled_back, "its", "their"),
            they = words::agree(plan.rolled_back, "it has", "they have"),
        );
        return Ok(false);
    }
    let done = inventory.cancel_rollout(&scope)?;
    say!("rollout cancelled: {}", done.summary());
    Ok(true)
}

/// Why `may_hold` devices may hold a rollout's new credentials, `switched` of them because
/// they fetched with them and the others because a file carrying them was served.
fn how_they_may_hold_them(switched: usize, may_hold: usize) -> String {
    let carried = "fetched a file carrying them";
    match (switched, may_hold - switched.min(may_hold)) {
        (0, 1) => format!("it {carried}"),
        (0, _) => format!("each {carried}"),
        (1, 0) => "it switched".into(),
        (_, 0) => "all switched".into(),
        (switched, others) => format!("{switched} switched, {others} more {carried}"),
    }
}

fn scope(args: ScopeArgs) -> anyhow::Result<RolloutScope> {
    match args.site {
        Some(site) => Ok(RolloutScope::Site(site)),
        None => Ok(RolloutScope::Devices(
            args.mac
                .iter()
                .map(|text| Mac::parse(text).map_err(|e| anyhow::anyhow!("--mac {text}: {e}")))
                .collect::<anyhow::Result<_>>()?,
        )),
    }
}

/// ` (2 × N510 IP PRO, 1 × Maxwell 3)`, or nothing for no device.
fn models(plan: &RolloutPlan) -> String {
    if plan.models.is_empty() {
        String::new()
    } else {
        format!(" ({})", plan.models_text())
    }
}

/// A site's name as a shell takes it: quoted when it holds anything but letters, digits and
/// `-_.`, so that a command said can be pasted.
fn shell_word(text: &str) -> String {
    let text = text.trim();
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::how_they_may_hold_them;

    /// "1 switched, the others fetched a file carrying them" was said of one other too.
    #[test]
    fn why_devices_may_hold_the_new_credentials_counts_them() {
        assert_eq!(
            how_they_may_hold_them(1, 2),
            "1 switched, 1 more fetched a file carrying them"
        );
        assert_eq!(
            how_they_may_hold_them(2, 5),
            "2 switched, 3 more fetched a file carrying them"
        );
        assert_eq!(
            how_they_may_hold_them(0, 1),
            "it fetched a file carrying them"
        );
        assert_eq!(
            how_they_may_hold_them(0, 3),
            "each fetched a file carrying them"
        );
        assert_eq!(how_they_may_hold_them(1, 1), "it switched");
        assert_eq!(how_they_may_hold_them(4, 4), "all switched");
    }
}
