//! Putting a render's htdigest lines into the file already there, so a render for one site
//! does not lock out the phones of the sites that share the file: only the lines of the
//! users this render writes are replaced. Lines of other realms, and lines that are no user
//! line, are never this render's to judge and stay as they are.

use crate::secret::Secret;

/// The file to write, and what happened to the users of the realm the render did not write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedHtdigest {
    pub text: Secret,
    /// Users of the realm the file held and this render did not write, kept.
    pub kept: Vec<String>,
    /// Users of the realm the file held and this render did not write, dropped.
    pub dropped: Vec<String>,
}

/// `fresh` (the lines this render writes for `realm`) put into `existing`: a line of a user
/// `fresh` writes is replaced in place, new users go at the end. The realm's other users stay
/// with `keep_others` (a render for one site or device, which knows nothing of the others) and
/// are dropped without it (a render of the whole inventory, which is the truth for the realm).
pub fn merge_htdigest(
    existing: &Secret,
    fresh: &Secret,
    realm: &str,
    keep_others: bool,
) -> MergedHtdigest {
    let fresh_lines: Vec<(&str, &str)> = fresh
        .expose()
        .lines()
        .filter_map(|line| user_in(line, realm).map(|user| (user, line)))
        .collect();
    let mut placed = vec![false; fresh_lines.len()];
    let mut text = String::with_capacity(existing.expose().len() + fresh.expose().len());
    let (mut kept, mut dropped) = (Vec::new(), Vec::new());
    for line in existing.expose().lines() {
        if line.trim().is_empty() {
            continue;
        }
        let Some(user) = user_in(line, realm) else {
            text.push_str(line);
            text.push('\n');
            continue;
        };
        match fresh_lines.iter().position(|(name, _)| *name == user) {
            Some(at) if !placed[at] => {
                placed[at] = true;
                text.push_str(fresh_lines[at].1);
                text.push('\n');
            }
            // A second line for a user already written: the web server would read one of them.
            Some(_) => {}
            None if keep_others => {
                kept.push(user.to_string());
                text.push_str(line);
                text.push('\n');
            }
            None => dropped.push(user.to_string()),
        }
    }
    for ((_, line), placed) in fresh_lines.iter().zip(placed) {
        if !placed {
            text.push_str(line);
            text.push('\n');
        }
    }
    MergedHtdigest {
        text: Secret::new(text),
        kept,
        dropped,
    }
}

/// The user of a `user:realm:HA1` line of `realm`.
fn user_in<'a>(line: &'a str, realm: &str) -> Option<&'a str> {
    let (user, rest) = line.split_once(':')?;
    let (line_realm, ha1) = rest.rsplit_once(':')?;
    (line_realm == realm && !user.is_empty() && !ha1.is_empty()).then_some(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(existing: &str, fresh: &str, keep_others: bool) -> MergedHtdigest {
        merge_htdigest(
            &Secret::new(existing.to_string()),
            &Secret::new(fresh.to_string()),
            "provdesk",
            keep_others,
        )
    }

    #[test]
    fn a_scoped_render_replaces_its_users_and_keeps_the_others() {
        let existing = "# Praxis and Hotel\npraxis:provdesk:aaa\nprovision:provdesk:old\n\
                        provision:other realm:zzz\n";
        let fresh = "provision:provdesk:new\nhotel2:provdesk:bbb\n";
        let out = merged(existing, fresh, true);
        assert_eq!(
            out.text.expose(),
            "# Praxis and Hotel\npraxis:provdesk:aaa\nprovision:provdesk:new\n\
             provision:other realm:zzz\nhotel2:provdesk:bbb\n"
        );
        assert_eq!(out.kept, ["praxis"]);
        assert!(out.dropped.is_empty());
    }

    #[test]
    fn a_render_of_everything_drops_the_realms_other_users_and_says_which() {
        let existing = "praxis:provdesk:aaa\nprovision:provdesk:old\nx:other:zzz\n";
        let out = merged(existing, "provision:provdesk:new\n", false);
        assert_eq!(out.text.expose(), "provision:provdesk:new\nx:other:zzz\n");
        assert_eq!(out.dropped, ["praxis"]);
        assert!(out.kept.is_empty());
    }

    #[test]
    fn no_file_yet_is_the_fresh_lines_and_a_users_second_line_goes() {
        let out = merged("", "a:provdesk:1\n", true);
        assert_eq!(out.text.expose(), "a:provdesk:1\n");
        let out = merged("a:provdesk:0\na:provdesk:9\n", "a:provdesk:1\n", true);
        assert_eq!(out.text.expose(), "a:provdesk:1\n");
    }
}
