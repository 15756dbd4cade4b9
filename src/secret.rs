//! A string that never prints itself.
//!
//! Passwords, MAC passwords and HA1 values travel through logs, tables, JSON and screenshots.
//! Making them a type whose `Debug` and `Display` mask the value means forgetting to mask is a
//! compile-time choice (`expose()`) rather than a runtime accident.
//!
//! It sits at the bottom of the crate and imports nothing from it, so every module (the digest
//! engine as much as the device model) can hold a secret without depending on another.

use std::fmt;

/// What a masked secret looks like wherever it is shown.
pub const MASK: &str = "••••••";

/// A secret value: compare, store and pass it around freely; read it only through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The clear text. Call it only where the value must leave the program on purpose: the
    /// database, an HTTP header, or a field the user chose to reveal.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The clear text for an editor. Only a password field the user is typing into uses it.
    pub fn expose_mut(&mut self) -> &mut String {
        &mut self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Length in characters, for limits such as "at most 50 characters".
    pub fn char_len(&self) -> usize {
        self.0.chars().count()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({MASK})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() { "" } else { MASK })
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = Secret::new("Circle Of Life");
        assert!(!format!("{secret:?}").contains("Circle"));
        assert!(!format!("{secret}").contains("Circle"));
        assert_eq!(secret.expose(), "Circle Of Life");
    }

    #[test]
    fn an_empty_secret_displays_as_nothing() {
        assert_eq!(Secret::default().to_string(), "");
    }
}
