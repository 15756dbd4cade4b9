//! Hostile-input review 4, findings 11 and 13: the verdicts a hostile server gets. A 2xx whose
//! body timed out, broke off, ran past the read bound or fell short of its Content-Length was
//! `[ok]` ("gets its configuration") with exit status 0; a redirect loop was "unexpected
//! answer 302 … check the URL"; a redirect to `file:///etc/passwd` was "another host
//! (file://:0)" and then "could not build the request"; a `Retry-After` of 10^23 was "Wait
//! 18446744073709551615 s". Each server is a few lines on loopback; nothing is timed.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

use provdesk::device::find_model;
use provdesk::fetch::{BodyCut, Code, FetchSpec, Severity, Transcript, run_fetch};

/// What a server writes after reading a request head; `None` closes the connection.
type Reply = fn(usize, &mut std::net::TcpStream);

/// A loopback server answering every request with `reply` (told the request's number) in a
/// thread of its own.
fn server(reply: Reply) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for (index, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut buffer = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                reply(index, &mut stream);
            });
        }
    });
    format!("http://{address}/cfg/7C2F80820EC0.xml")
}

/// The fetch as an N510 with a 2 s timeout and a 64 KB body limit.
fn fetch(url: &str) -> Transcript {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut spec = FetchSpec::ad_hoc(url, find_model("N510").unwrap());
    spec.timeout = Duration::from_secs(2);
    spec.connect_timeout = Duration::from_secs(2);
    spec.body_limit = 64 * 1024;
    runtime
        .block_on(run_fetch(&spec, None, &mut |_| {}))
        .expect("the fetch starts")
}

fn main_finding(transcript: &Transcript) -> &provdesk::fetch::Diagnosis {
    transcript.diagnosis().first().expect("a diagnosis")
}

/// A 2xx whose body did not arrive whole: not ok, its own code, an error, and what came kept.
fn assert_incomplete(transcript: &Transcript, cut: &BodyCut, says: &str) {
    let main = main_finding(transcript);
    assert_eq!(main.code, Code::BodyIncomplete, "{main:#?}");
    assert_eq!(main.severity, Severity::Error);
    assert!(!transcript.ok(), "an incomplete file is no success");
    assert!(
        transcript.accepted(),
        "but the server took the request: its credentials are worth keeping"
    );
    assert!(main.message.contains(says), "{}", main.message);
    assert!(main.message.contains("200 OK"), "{}", main.message);
    let response = transcript.steps[0].response.as_ref().unwrap();
    assert_eq!(response.incomplete.as_ref(), Some(cut));
    assert!(!response.body.is_empty(), "what came is kept");
    assert!(!response.shown.text.is_empty(), "and shown");
}

#[test]
fn a_body_that_stalls_is_incomplete_and_names_a_timeout() {
    let url = server(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 100000\r\n\r\n<a>",
        );
        std::thread::sleep(Duration::from_secs(30));
    });
    let transcript = fetch(&url);
    assert_incomplete(
        &transcript,
        &BodyCut::TimedOut,
        "did not arrive within the timeout: 3 bytes of the 100000",
    );
    assert!(main_finding(&transcript).fix.contains("proxy_read_timeout"));
}

#[test]
fn a_chunked_body_that_breaks_off_is_incomplete() {
    let url = server(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nContent-Type: text/xml\r\n\r\n10\r\n<a>0123456789ab\r\n10\r\n<b>",
        );
    });
    let transcript = fetch(&url);
    assert_incomplete(&transcript, &BodyCut::BrokeOff, "broke off after");
    assert!(main_finding(&transcript).fix.contains("proxy"));
}

#[test]
fn a_body_shorter_than_its_content_length_is_incomplete() {
    let url = server(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 50\r\n\r\n<a>0123</a>",
        );
    });
    let transcript = fetch(&url);
    let main = main_finding(&transcript);
    assert_eq!(main.code, Code::BodyIncomplete, "{main:#?}");
    assert!(main.message.contains("of the 50"), "{}", main.message);
    assert!(!transcript.ok());
}

#[test]
fn an_endless_body_is_incomplete_and_names_the_size() {
    let url = server(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5000000000\r\n\r\n",
        );
        let block = vec![b'x'; 64 * 1024];
        while stream.write_all(&block).is_ok() {}
    });
    let transcript = fetch(&url);
    assert_incomplete(
        &transcript,
        &BodyCut::TooLarge {
            bound: 4 * 64 * 1024,
        },
        "ran past 262144 bytes of the 5000000000",
    );
    assert!(
        main_finding(&transcript)
            .fix
            .contains("larger than 262144 bytes")
    );
}

#[test]
fn a_whole_body_is_still_ok() {
    let url = server(|_, stream| {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 4\r\n\r\n<a/>");
    });
    let transcript = fetch(&url);
    assert_eq!(main_finding(&transcript).code, Code::Ok);
    assert!(transcript.ok());
    assert!(transcript.accepted());
    assert_eq!(
        transcript.steps[0].response.as_ref().unwrap().incomplete,
        None
    );
}

#[test]
fn a_redirect_loop_is_named_with_the_location_it_kept_sending() {
    let url = server(|_, stream| {
        let _ = stream
            .write_all(b"HTTP/1.1 302 Found\r\nConnection: close\r\nLocation: /redirloop\r\nContent-Length: 0\r\n\r\n");
    });
    let transcript = fetch(&url);
    let main = main_finding(&transcript);
    assert_eq!(main.code, Code::RedirectLoop, "{main:#?}");
    assert!(
        main.message.contains("6 redirects in a row")
            && main.message.contains("gives up after 5")
            && main
                .message
                .contains("kept sending the device to http://127.0.0.1:")
            && main.message.contains("/redirloop"),
        "{}",
        main.message
    );
    assert!(!main.fix.contains("Check the URL"), "{}", main.fix);
    assert_eq!(transcript.steps.len(), 6);
}

#[test]
fn a_redirect_round_two_places_names_both() {
    let url = server(|index, stream| {
        let to = if index % 2 == 0 { "/a" } else { "/b" };
        let _ = stream.write_all(
            format!("HTTP/1.1 301 Moved\r\nConnection: close\r\nLocation: {to}\r\nContent-Length: 0\r\n\r\n").as_bytes(),
        );
    });
    let transcript = fetch(&url);
    let main = main_finding(&transcript);
    assert_eq!(main.code, Code::RedirectLoop, "{main:#?}");
    assert!(main.message.contains("/a → http://"), "{}", main.message);
    assert!(main.message.contains("/b."), "{}", main.message);
}

#[test]
fn a_redirect_to_a_file_url_is_not_followed_and_says_no_phone_follows_it() {
    let url = server(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 302 Found\r\nConnection: close\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n",
        );
    });
    let transcript = fetch(&url);
    let main = main_finding(&transcript);
    assert_eq!(main.code, Code::RedirectUnusable, "{main:#?}");
    assert!(
        main.message
            .contains("to a file: URL (file:///etc/passwd), which no phone follows"),
        "{}",
        main.message
    );
    assert_eq!(transcript.steps.len(), 1, "nothing more is sent");
    assert_eq!(
        transcript.diagnosis().len(),
        1,
        "{:#?}",
        transcript.diagnosis()
    );
    let notes: Vec<&str> = transcript.notes.iter().map(|(_, n)| n.as_str()).collect();
    assert!(
        !notes.iter().any(|n| n.contains("another host")),
        "{notes:?}"
    );
}

#[test]
fn a_location_that_is_no_url_is_quoted() {
    let url = server(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 302 Found\r\nConnection: close\r\nLocation: http://[::1/x\r\nContent-Length: 0\r\n\r\n",
        );
    });
    let transcript = fetch(&url);
    let main = main_finding(&transcript);
    assert_eq!(main.code, Code::RedirectUnusable, "{main:#?}");
    assert!(
        main.message.contains("which is not a URL"),
        "{}",
        main.message
    );
    assert!(!main.message.contains('\u{1b}'), "{}", main.message);
}

#[test]
fn a_retry_after_of_ten_to_the_23_is_no_usable_time() {
    let url = server(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 429 Too Many\r\nConnection: close\r\nRetry-After: 99999999999999999999999\r\nContent-Length: 0\r\n\r\n",
        );
    });
    let transcript = fetch(&url);
    let main = main_finding(&transcript);
    assert_eq!(main.code, Code::RateLimited, "{main:#?}");
    assert!(!main.fix.contains("18446744073709551615"), "{}", main.fix);
    assert!(main.fix.contains("no usable time"), "{}", main.fix);
}

/// The command line: an incomplete file exits non-zero with its code, and shows what came.
#[test]
fn the_command_line_exits_non_zero_on_an_incomplete_body() {
    let url = server(|_, stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 100\r\nContent-Type: text/xml\r\n\r\n<settings><a>1</a>",
        );
    });
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .arg("--db")
        .arg(dir.path().join("never-created.db"))
        .args(["fetch", &url, "--timeout", "2"])
        .env_remove("PROVDESK_DB")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{stdout}");
    assert!(stdout.contains("✗ [body_incomplete]"), "{stdout}");
    assert!(!stdout.contains("[ok]"), "{stdout}");
    assert!(
        stdout.contains("| <settings>"),
        "what came is shown: {stdout}"
    );
}
