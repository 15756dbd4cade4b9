//! Counts in sentences as a reader expects them: "1 device", "4 devices", never
//! "1 device(s)"; a few of many named, "A, B, C, …"; and a time, "37 ms", "2.4 s". The
//! window, the command line and the core's messages all say them.

use std::time::Duration;

/// The count and its noun, in the plural unless the count is one. Every noun provdesk counts
/// takes a plain "s".
pub fn count<N>(count: N, noun: &str) -> String
where
    N: Copy + std::fmt::Display + PartialEq + From<u8>,
{
    if count == N::from(1) {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The form of a verb or pronoun that agrees with `count`: `one` for one, `many` otherwise
/// ("is"/"are", "has"/"have", "it"/"them").
pub fn agree<'a, N>(count: N, one: &'a str, many: &'a str) -> &'a str
where
    N: PartialEq + From<u8>,
{
    if count == N::from(1) { one } else { many }
}

/// A few of `total` things, named: "A, B, C, …" when there are more than those given.
pub fn some_of(named: impl IntoIterator<Item = String>, total: usize) -> String {
    let mut named: Vec<String> = named.into_iter().collect();
    if total > named.len() {
        named.push("…".into());
    }
    named.join(", ")
}

/// A time as the app shows it: milliseconds below a second ("37 ms", "3.2 ms" below ten),
/// seconds with a tenth above ("2.4 s"), so that a test of tens of milliseconds never reads
/// "0.0 s".
pub fn duration(time: Duration) -> String {
    let ms = time.as_secs_f64() * 1000.0;
    if ms < 9.95 {
        format!("{ms:.1} ms")
    } else if ms < 999.5 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

/// `text` as a sentence of its own: the core's reasons start in lower case, to follow
/// "Could not …: ", and read as a fragment where they stand alone.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_below_a_second_is_in_milliseconds() {
        assert_eq!(duration(Duration::from_micros(3_240)), "3.2 ms");
        assert_eq!(duration(Duration::from_micros(37_400)), "37 ms");
        assert_eq!(duration(Duration::from_micros(999_600)), "1.0 s");
        assert_eq!(duration(Duration::from_millis(2_449)), "2.4 s");
        assert_eq!(duration(Duration::ZERO), "0.0 ms");
    }

    #[test]
    fn a_reason_standing_alone_starts_with_a_capital() {
        assert_eq!(sentence("nothing was moved"), "Nothing was moved");
        assert_eq!(sentence("élan"), "Élan");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1usize, "device"), "1 device");
        assert_eq!(count(0usize, "device"), "0 devices");
        assert_eq!(count(2u32, "SIP account"), "2 SIP accounts");
        assert_eq!(agree(1usize, "is", "are"), "is");
        assert_eq!(agree(3usize, "is", "are"), "are");
        assert_eq!(agree(0u64, "has", "have"), "have");
    }

    #[test]
    fn some_of_says_when_there_are_more() {
        let named = || ["A".to_string(), "B".to_string()];
        assert_eq!(some_of(named(), 2), "A, B");
        assert_eq!(some_of(named(), 5), "A, B, …");
    }
}
