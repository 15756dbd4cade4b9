//! What this binary is: its version, the target it was built for and the day it was built
//! (set by build.rs), for `provdesk --version` and the window's About section.

/// The crate version from Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The target triple, e.g. `x86_64-pc-windows-gnu`.
pub const TARGET: &str = env!("PROVDESK_TARGET");

/// `YYYY-MM-DD` (UTC): `SOURCE_DATE_EPOCH`'s day when it was set, else the day build.rs ran.
pub const BUILD_DATE: &str = env!("PROVDESK_BUILD_DATE");

/// The licence from Cargo.toml.
pub const LICENSE: &str = env!("CARGO_PKG_LICENSE");

/// What `provdesk --version` prints after the name: `0.1.0 (x86_64-pc-windows-gnu, built
/// 2026-12-06)`.
pub const VERSION_LINE: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("PROVDESK_TARGET"),
    ", built ",
    env!("PROVDESK_BUILD_DATE"),
    ")"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_line_names_version_target_and_a_calendar_day() {
        assert!(VERSION_LINE.starts_with(VERSION));
        assert!(VERSION_LINE.contains(TARGET));
        let day: Vec<&str> = BUILD_DATE.split('-').collect();
        assert_eq!(day.len(), 3, "{BUILD_DATE}");
        assert_eq!(day[0].len(), 4, "{BUILD_DATE}");
        let month: u32 = day[1].parse().unwrap();
        let date: u32 = day[2].parse().unwrap();
        assert!(
            (1..=12).contains(&month) && (1..=31).contains(&date),
            "{BUILD_DATE}"
        );
    }
}
