//! The binary as a script runs it: its output as text, the redirect account's arguments, a
//! simulator started in the foreground, read for its URL and stopped with Ctrl+C, and curl
//! fetching from what it serves.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Output};

/// Output as text; what is not UTF-8 shows as U+FFFD instead of failing the test.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs the binary on the inventory `db` with these variables set (a password's), and the
/// caller's `PROVDESK_DB` removed so that no test touches a real inventory.
pub fn provdesk_with(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PROVDESK_DB")
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

/// Runs a command that must succeed; its standard output.
pub fn succeeds(db: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = provdesk_with(db, args, env);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// Runs a command that must fail with exit status 1; its standard error.
pub fn refused(db: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = provdesk_with(db, args, env);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?}: {}",
        text(&out.stdout)
    );
    text(&out.stderr)
}

/// `redirect`/`sync` arguments with the test account: user `installer`, the password in
/// `REDIRECT_PASSWORD`.
pub fn with_account<'a>(command: &'a str, server: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        command,
        "--server",
        server,
        "--user",
        "installer",
        "--password-env",
        "REDIRECT_PASSWORD",
    ];
    args.extend_from_slice(rest);
    args
}

/// A started `provdesk simulate …` (stdout piped), with the URL its first line names.
pub fn listening(mut child: Child) -> (Child, BufReader<ChildStdout>, String) {
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("the first line names the URL: {first:?}"))
        .to_string();
    (child, stdout, url)
}

/// Ctrl+C (a kill where there is no SIGINT), then whether it exited successfully and
/// everything it printed after what was read already.
pub fn interrupt(mut child: Child, mut stdout: BufReader<ChildStdout>) -> (bool, String) {
    #[cfg(unix)]
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    #[cfg(not(unix))]
    child.kill().unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    (child.wait().unwrap().success(), rest)
}

/// The status and body `curl --digest` gets from `url` with `user:password` (curl must be
/// installed).
pub fn curl_digest(url: &str, credentials: &str) -> (u16, String) {
    let output = Command::new("curl")
        .args([
            "--silent",
            "--noproxy",
            "*",
            "--digest",
            "--user",
            credentials,
        ])
        .args(["--write-out", "\n%{http_code}", url])
        .output()
        .expect("curl is installed (apt-get install curl)");
    let text = text(&output.stdout);
    let (body, status) = text.rsplit_once('\n').expect("curl wrote the status");
    (status.trim().parse().unwrap(), body.to_string())
}
