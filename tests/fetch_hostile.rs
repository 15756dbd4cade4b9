//! The test fetch against hostile servers (issue 11): a huge body, deep nesting, endless
//! headers, a slow drip, 10,000 challenges in one header and a redirect loop. Each server is a
//! few lines of tokio on loopback; each fetch gets a short timeout and must end with a clear
//! error and bounded memory, asserted on what it kept (bytes read, body kept, challenges held,
//! text shown), never on elapsed time.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use provdesk::device::find_model;
use provdesk::fetch::{Code, Event, FetchSpec, Transcript, TransportKind, display_body, run_fetch};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The body limit the fetches here keep.
const LIMIT: usize = 64 * 1024;

/// What a hostile server does after reading a request head; `served` counts the bytes it wrote.
type Behaviour = fn(TcpStream, Arc<AtomicUsize>) -> BoxFuture;
type BoxFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// A server on loopback that answers every connection with `behaviour`.
async fn hostile(behaviour: Behaviour) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let served = Arc::new(AtomicUsize::new(0));
    let counter = served.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                if read_head(&mut stream).await {
                    behaviour(stream, counter).await;
                }
            });
        }
    });
    (format!("http://{address}/cfg/7C2F80820EC0.xml"), served)
}

/// Reads up to the end of the request head; false when the client went away.
async fn read_head(stream: &mut TcpStream) -> bool {
    let mut head = Vec::new();
    let mut byte = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => head.extend_from_slice(&byte[..n]),
        }
        if head.len() > 64 * 1024 {
            return false;
        }
    }
    true
}

/// Writes `bytes`, counting them; false once the client is gone.
async fn send(stream: &mut TcpStream, bytes: &[u8], served: &AtomicUsize) -> bool {
    if stream.write_all(bytes).await.is_err() {
        return false;
    }
    served.fetch_add(bytes.len(), Ordering::Relaxed);
    true
}

/// A fetch of `url` as an N510 with a short timeout and a 64 KB body limit.
async fn fetch(url: &str) -> (Transcript, Vec<Event>) {
    let mut spec = FetchSpec::ad_hoc(url, find_model("N510").unwrap());
    spec.timeout = Duration::from_secs(2);
    spec.connect_timeout = Duration::from_secs(2);
    spec.body_limit = LIMIT;
    let mut events = Vec::new();
    // A guard against a hang only (the fetch's own timeout is 2 s): nothing here is timed.
    let transcript = tokio::time::timeout(
        Duration::from_secs(120),
        run_fetch(&spec, None, &mut |event| events.push(event.clone())),
    )
    .await
    .expect("the fetch ends")
    .expect("the fetch starts");
    (transcript, events)
}

fn notes(transcript: &Transcript) -> String {
    transcript
        .notes
        .iter()
        .map(|(_, text)| text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn an_endless_body_is_read_up_to_a_bound_and_said_so() {
    let (url, _) = hostile(|mut stream, served| {
        Box::pin(async move {
            if !send(
                &mut stream,
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n",
                &served,
            )
            .await
            {
                return;
            }
            let chunk = vec![b'x'; 64 * 1024];
            while send(&mut stream, &chunk, &served).await {}
        })
    })
    .await;
    let (transcript, _) = fetch(&url).await;
    let response = transcript.steps[0].response.as_ref().expect("a response");
    assert_eq!(response.body.len(), LIMIT, "the body kept is the limit");
    assert!(response.truncated);
    assert!(
        response.body_size <= 4 * LIMIT + 64 * 1024,
        "read {} bytes of an endless body: the read must stop near 4 × the limit",
        response.body_size
    );
    let notes = notes(&transcript);
    assert!(notes.contains("stopped reading"), "{notes}");
}

#[tokio::test]
async fn a_deeply_nested_body_is_shown_in_linear_space() {
    let (url, _) = hostile(|mut stream, served| {
        Box::pin(async move {
            // 4,000 levels (28 KB): indented, that was 32 MB of text.
            let depth = 4_000;
            let body = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            let _ = send(&mut stream, head.as_bytes(), &served).await
                && send(&mut stream, body.as_bytes(), &served).await;
        })
    })
    .await;
    let (transcript, _) = fetch(&url).await;
    let response = transcript.steps[0].response.as_ref().expect("a response");
    assert_eq!(response.status, 200);
    let shown = display_body(response);
    assert!(
        shown.len() <= response.body.len() + 512,
        "{} bytes of text for a {}-byte body",
        shown.len(),
        response.body.len()
    );
    assert!(
        shown.contains("not indented"),
        "says why: {}",
        &shown[..200]
    );
}

#[tokio::test]
async fn endless_headers_end_in_a_transport_error() {
    let (url, _) = hostile(|mut stream, served| {
        Box::pin(async move {
            if !send(&mut stream, b"HTTP/1.1 200 OK\r\n", &served).await {
                return;
            }
            let mut n = 0u64;
            loop {
                n += 1;
                let line = format!("X-Padding-{n}: {}\r\n", "y".repeat(100));
                if !send(&mut stream, line.as_bytes(), &served).await {
                    return;
                }
            }
        })
    })
    .await;
    let (transcript, _) = fetch(&url).await;
    let step = &transcript.steps[0];
    assert!(
        step.response.is_none(),
        "no response is made of endless headers"
    );
    let (kind, message) = step.error.as_ref().expect("a transport error");
    assert!(!message.is_empty());
    assert_eq!(*kind, TransportKind::Protocol, "{message}");
    assert_eq!(transcript.steps.len(), 1, "no retry");
    assert_eq!(
        transcript.diagnosis()[0].code,
        Code::ProtocolError,
        "the server was reached: not a connection failure"
    );
}

#[tokio::test]
async fn one_endless_header_line_ends_in_a_transport_error() {
    let (url, _) = hostile(|mut stream, served| {
        Box::pin(async move {
            if !send(&mut stream, b"HTTP/1.1 200 OK\r\nX-Long: ", &served).await {
                return;
            }
            let chunk = vec![b'z'; 16 * 1024];
            while send(&mut stream, &chunk, &served).await {}
        })
    })
    .await;
    let (transcript, _) = fetch(&url).await;
    assert!(transcript.steps[0].response.is_none());
    assert!(transcript.steps[0].error.is_some());
    assert_eq!(transcript.diagnosis()[0].code, Code::ProtocolError);
}

#[tokio::test]
async fn a_malformed_header_is_a_protocol_error() {
    let (url, _) = hostile(|mut stream, served| {
        Box::pin(async move {
            send(
                &mut stream,
                b"HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 0\r\n\r\n",
                &served,
            )
            .await;
        })
    })
    .await;
    let (transcript, _) = fetch(&url).await;
    let (kind, message) = transcript.steps[0].error.as_ref().expect("no response");
    assert_eq!(*kind, TransportKind::Protocol, "{message}");
    let diagnosis = &transcript.diagnosis()[0];
    assert_eq!(diagnosis.code, Code::ProtocolError);
    assert!(
        diagnosis.message.contains("not with valid HTTP"),
        "{}",
        diagnosis.message
    );
}

#[tokio::test]
async fn a_slow_drip_ends_at_the_timeout_with_what_came() {
    let (url, _) = hostile(|mut stream, served| {
        Box::pin(async move {
            if !send(
                &mut stream,
                b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n",
                &served,
            )
            .await
            {
                return;
            }
            while send(&mut stream, b"<", &served).await {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    })
    .await;
    let (transcript, _) = fetch(&url).await;
    let response = transcript.steps[0].response.as_ref().expect("headers came");
    assert!(response.body.len() < 100_000, "the body never completes");
    let notes = notes(&transcript);
    assert!(
        notes.contains("within 2 s"),
        "the note names the timeout: {notes}"
    );
}

#[tokio::test]
async fn ten_thousand_challenges_in_one_header_are_capped() {
    let (url, _) = hostile(|mut stream, served| {
        Box::pin(async move {
            let challenges: Vec<String> = (0..10_000)
                .map(|i| format!("Digest realm=\"r\", nonce=\"n{i}\", qop=\"auth\""))
                .collect();
            let head = format!(
                "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: {}\r\nContent-Length: 0\r\n\r\n",
                challenges.join(", ")
            );
            let _ = send(&mut stream, head.as_bytes(), &served).await;
        })
    })
    .await;
    let (transcript, events) = fetch(&url).await;
    let held: usize = transcript.steps.iter().map(|s| s.challenges.len()).sum();
    assert!(
        held <= 64,
        "{held} challenges held over {} steps",
        transcript.steps.len()
    );
    let emitted: usize = events
        .iter()
        .map(|e| match e {
            Event::Challenges { challenges, .. } => challenges.len(),
            _ => 0,
        })
        .sum();
    assert!(emitted <= 64, "{emitted} challenges emitted");
    let notes = notes(&transcript);
    assert!(notes.contains("10000 challenges"), "{notes}");
}

#[tokio::test]
async fn a_redirect_loop_stops() {
    let (url, served) = hostile(|mut stream, served| {
        Box::pin(async move {
            let _ = send(
                &mut stream,
                b"HTTP/1.1 302 Found\r\nLocation: /cfg/7C2F80820EC0.xml\r\nContent-Length: 0\r\n\r\n",
                &served,
            )
            .await;
        })
    })
    .await;
    let (transcript, _) = fetch(&url).await;
    assert!(
        transcript.steps.len() <= 6,
        "{} requests",
        transcript.steps.len()
    );
    assert!(served.load(Ordering::Relaxed) < 1024 * 6);
    assert!(notes(&transcript).contains("redirects"));
    assert_eq!(transcript.final_status(), Some(302));
    assert!(!transcript.diagnosis().is_empty());
}
