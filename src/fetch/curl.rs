//! "Copy as curl" for one step: a command that repeats the request, for the shell it is pasted
//! into (installers' laptops run Windows as often as Linux) and with the fetch's TLS options, so
//! that curl meets the server as the fetch did. The password never goes into the clipboard:
//! curl is told the user name only and asks for the password (or a PKCS#12 pass phrase) itself.

use super::events::{AnswerKind, Step};
use super::spec::{ClientIdentity, TlsOptions};

/// The shell a command is quoted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// bash, zsh, sh: single quotes.
    Posix,
    /// Windows PowerShell and pwsh: single quotes, and `curl.exe`, since `curl` there names
    /// Invoke-WebRequest in Windows PowerShell 5.
    PowerShell,
}

impl Shell {
    /// The shell of the platform provdesk runs on.
    pub fn native() -> Self {
        if cfg!(windows) {
            Shell::PowerShell
        } else {
            Shell::Posix
        }
    }

    fn program(self) -> &'static str {
        match self {
            Shell::Posix => "curl",
            Shell::PowerShell => "curl.exe",
        }
    }

    /// `text` as one argument: bare where that is safe in both shells, else single-quoted.
    fn quote(self, text: &str) -> String {
        if !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./:%+=,".contains(&b))
        {
            return text.to_string();
        }
        match self {
            Shell::Posix => format!("'{}'", text.replace('\'', "'\\''")),
            Shell::PowerShell => format!("'{}'", text.replace('\'', "''")),
        }
    }
}

/// A command that repeats `step` in `shell`. For an answered step curl is asked to do the
/// digest (or Basic) exchange itself with the same user, since a copied nonce would be stale.
pub fn to_curl(step: &Step, tls: &TlsOptions, shell: Shell) -> String {
    let mut parts = vec![shell.program().to_string(), "-v".to_string()];
    let mut option = |name: &str, value: Option<&str>| {
        parts.push(name.to_string());
        if let Some(value) = value {
            parts.push(shell.quote(value));
        }
    };
    if tls.accept_invalid_certs {
        option("--insecure", None);
    }
    if let Some(ca) = &tls.ca_file {
        option("--cacert", Some(&ca.display().to_string()));
    }
    match &tls.client_identity {
        Some(ClientIdentity::Pem { cert, key }) => {
            option("--cert", Some(&cert.display().to_string()));
            option("--key", Some(&key.display().to_string()));
        }
        Some(ClientIdentity::Pkcs12 { path, .. }) => {
            option("--cert-type", Some("P12"));
            option("--cert", Some(&path.display().to_string()));
        }
        None => {}
    }
    if let Some(answer) = &step.answer {
        match &answer.kind {
            AnswerKind::Digest(_) => option("--digest", None),
            AnswerKind::Basic => option("--basic", None),
        }
        option("--user", Some(&answer.username));
    }
    for header in &step.request.headers {
        if header.name.eq_ignore_ascii_case("user-agent") {
            option("-A", Some(&header.value));
        }
    }
    parts.push(shell.quote(&step.request.url));
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_quotes_and_blanks_in_either_shell() {
        assert_eq!(Shell::Posix.quote("7C2F80820EC0"), "7C2F80820EC0");
        assert_eq!(Shell::Posix.quote("it's me"), "'it'\\''s me'");
        assert_eq!(Shell::Posix.quote(""), "''");
        assert_eq!(Shell::PowerShell.quote("it's me"), "'it''s me'");
        // `@` starts a splat in PowerShell: quoted there, so quoted everywhere.
        assert_eq!(Shell::PowerShell.quote("admin@site"), "'admin@site'");
    }
}
