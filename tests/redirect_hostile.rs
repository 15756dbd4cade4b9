//! The redirect client against hostile servers written here, on loopback: an endless answer, a
//! huge declared length, deep nesting, a slow drip, endless headers, a page that is not XML and
//! a MAC password where it does not belong. Each ends with a clear error; memory is bounded
//! (asserted on the bytes the server got to write, never on elapsed time); no password shows.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use provdesk::redirect::{
    Account, GigasetClient, MAX_ANSWER_BYTES, RedirectError, RedirectService,
};
use provdesk::secret::Secret;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PASSWORD: &str = "provisioner-pw";
const MAC_PASSWORD: &str = "2EE3EECC82C4";
const ID: &str = "7C2F80820EC0-55DF";
const URL: &str = "http://p.example/%MACD.xml";

type BoxFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// What a hostile server does once it has read a request.
type Respond = fn(TcpStream, Arc<AtomicU64>) -> BoxFuture;

/// A loopback server answering every request with `respond`; the counter holds the bytes it
/// managed to write, and the headers of the last request are kept.
struct Hostile {
    url: String,
    written: Arc<AtomicU64>,
    requests: Arc<std::sync::Mutex<Vec<String>>>,
}

async fn hostile(respond: Respond) -> Hostile {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/apxml/rpc.do", listener.local_addr().unwrap());
    let written = Arc::new(AtomicU64::new(0));
    let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (count, seen) = (written.clone(), requests.clone());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let head = read_request(&mut stream).await;
            seen.lock().unwrap().push(head);
            tokio::spawn(respond(stream, count.clone()));
        }
    });
    Hostile {
        url,
        written,
        requests,
    }
}

/// Reads one request's head and body (by Content-Length); returns the head.
async fn read_request(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            return String::from_utf8_lossy(&bytes).into_owned();
        }
        bytes.extend_from_slice(&buf[..n]);
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut have = bytes.len() - head_end;
    while have < length {
        let n = stream.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        have += n;
    }
    head
}

/// Writes `bytes`, counting them; false once the client has gone.
async fn send(stream: &mut TcpStream, count: &AtomicU64, bytes: &[u8]) -> bool {
    let ok = stream.write_all(bytes).await.is_ok();
    if ok {
        count.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    }
    ok
}

fn account(url: &str) -> Account {
    Account::new(url, "gigaset", Secret::new(PASSWORD))
}

fn client(url: &str, timeout: Duration) -> GigasetClient {
    GigasetClient::new(&account(url), timeout).unwrap()
}

/// A `listDevices` against a server answering with `respond`: the error, and the server.
async fn list_error(respond: Respond, timeout: Duration) -> (RedirectError, Hostile) {
    let server = hostile(respond).await;
    let error = client(&server.url, timeout).list(&[]).await.unwrap_err();
    (error, server)
}

fn ok_xml(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn no_secret(text: &str) {
    for secret in [PASSWORD, MAC_PASSWORD] {
        assert!(!text.contains(secret), "a password leaked: {text}");
    }
}

/// Four times the cap, then the end: enough to prove the client stops, little enough that a
/// client without a cap survives the check.
const STREAM_LIMIT: u64 = 4 * MAX_ANSWER_BYTES as u64;

/// What the kernel may hold in the socket buffers of both ends beyond what the client read.
const SOCKET_SLACK: u64 = 32 << 20;

fn endless(mut stream: TcpStream, count: Arc<AtomicU64>) -> BoxFuture {
    Box::pin(async move {
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n";
        if !send(&mut stream, &count, head.as_bytes()).await {
            return;
        }
        let start = "<?xml version=\"1.0\"?><methodResponse><params><param><value><array><data>";
        let row = "<value><array><data><value><string>7C2F80820EC0</string></value>\
            <value><string>Daryna</string></value><value><string>http://p.example/x</string></value>\
            <value><string>2015-11-17</string></value></data></array></value>";
        let mut data = start.to_string();
        while data.len() < 64 << 10 {
            data.push_str(row);
        }
        let chunk = format!("{:x}\r\n{data}\r\n", data.len());
        while count.load(Ordering::Relaxed) < STREAM_LIMIT {
            if !send(&mut stream, &count, chunk.as_bytes()).await {
                return;
            }
        }
        let _ = send(&mut stream, &count, b"0\r\n\r\n").await;
    })
}

#[tokio::test]
async fn an_endless_answer_stops_at_the_cap() {
    let (error, server) = list_error(endless, Duration::from_secs(60)).await;
    let written = server.written.load(Ordering::Relaxed);
    assert_eq!(error.code(), "answer_too_large", "{error}");
    let text = error.to_string();
    assert!(text.contains("autoprov.listDevices"), "{text}");
    assert!(text.contains("64 MiB"), "{text}");
    assert!(
        written <= MAX_ANSWER_BYTES as u64 + SOCKET_SLACK,
        "the server got to write {written} bytes"
    );
}

fn declared_huge(mut stream: TcpStream, count: Arc<AtomicU64>) -> BoxFuture {
    Box::pin(async move {
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 10000000000\r\n\r\n<?xml";
        send(&mut stream, &count, head.as_bytes()).await;
        // Then nothing: a client that believes the length waits for the rest.
        let mut sink = [0u8; 16];
        let _ = stream.read(&mut sink).await;
    })
}

#[tokio::test]
async fn a_declared_length_over_the_cap_is_refused_before_reading() {
    let server = hostile(declared_huge).await;
    let error = client(&server.url, Duration::from_secs(20))
        .check(ID)
        .await
        .unwrap_err();
    assert_eq!(error.code(), "answer_too_large", "{error}");
    assert!(
        error.to_string().contains("autoprov.checkDevice"),
        "{error}"
    );
}

fn deep(mut stream: TcpStream, count: Arc<AtomicU64>) -> BoxFuture {
    Box::pin(async move {
        let levels = 100_000;
        let mut body =
            String::from("<?xml version=\"1.0\"?><methodResponse><params><param><value>");
        body.push_str(&"<array><data><value>".repeat(levels));
        body.push_str("<string>x</string>");
        body.push_str(&"</value></data></array>".repeat(levels));
        body.push_str("</value></param></params></methodResponse>");
        send(&mut stream, &count, ok_xml(&body).as_bytes()).await;
    })
}

#[tokio::test]
async fn deep_nesting_is_a_clear_error_not_a_crash() {
    let (error, _) = list_error(deep, Duration::from_secs(20)).await;
    assert_eq!(error.code(), "malformed_reply", "{error}");
    assert!(error.to_string().contains("nested"), "{error}");
}

fn drip(mut stream: TcpStream, count: Arc<AtomicU64>) -> BoxFuture {
    Box::pin(async move {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n";
        if !send(&mut stream, &count, head.as_bytes()).await {
            return;
        }
        loop {
            if !send(&mut stream, &count, b" ").await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
}

#[tokio::test]
async fn a_slow_drip_ends_at_the_timeout() {
    let (error, server) = list_error(drip, Duration::from_millis(500)).await;
    assert_eq!(error.code(), "timeout", "{error}");
    assert!(server.written.load(Ordering::Relaxed) < 100_000);
}

fn endless_headers(mut stream: TcpStream, count: Arc<AtomicU64>) -> BoxFuture {
    Box::pin(async move {
        if !send(&mut stream, &count, b"HTTP/1.1 200 OK\r\n").await {
            return;
        }
        let line = format!("X-Filler: {}\r\n", "a".repeat(1000));
        while count.load(Ordering::Relaxed) < STREAM_LIMIT {
            if !send(&mut stream, &count, line.as_bytes()).await {
                return;
            }
        }
    })
}

#[tokio::test]
async fn endless_headers_are_refused() {
    let (error, server) = list_error(endless_headers, Duration::from_secs(20)).await;
    assert_eq!(error.code(), "network", "{error}");
    assert!(server.written.load(Ordering::Relaxed) <= SOCKET_SLACK);
}

fn html(mut stream: TcpStream, count: Arc<AtomicU64>) -> BoxFuture {
    Box::pin(async move {
        let page = "<html><body><h1>Gigaset portal</h1>Please log in</body></html>";
        send(&mut stream, &count, ok_xml(page).as_bytes()).await;
    })
}

#[tokio::test]
async fn a_page_that_is_not_xml_rpc_says_so() {
    let (error, _) = list_error(html, Duration::from_secs(20)).await;
    assert_eq!(error.code(), "malformed_reply", "{error}");
    assert!(error.to_string().contains("not XML-RPC"), "{error}");
    assert!(error.to_string().contains("Gigaset portal"), "{error}");
}

fn bare_ok(mut stream: TcpStream, count: Arc<AtomicU64>) -> BoxFuture {
    Box::pin(async move {
        let body = format!("OK:{MAC_PASSWORD}");
        send(&mut stream, &count, ok_xml(&body).as_bytes()).await;
    })
}

#[tokio::test]
async fn a_bare_mac_password_body_is_not_printed() {
    let server = hostile(bare_ok).await;
    let error = client(&server.url, Duration::from_secs(20))
        .register(ID, URL, "Daryna")
        .await
        .unwrap_err();
    assert_eq!(error.code(), "malformed_reply", "{error}");
    assert!(error.to_string().contains("OK:"), "{error}");
    no_secret(&error.to_string());
}

fn ok_string(mut stream: TcpStream, count: Arc<AtomicU64>) -> BoxFuture {
    Box::pin(async move {
        let body = format!(
            "<?xml version=\"1.0\"?><methodResponse><params><param><value><string>OK:{MAC_PASSWORD}</string></value></param></params></methodResponse>"
        );
        send(&mut stream, &count, ok_xml(&body).as_bytes()).await;
    })
}

#[tokio::test]
async fn a_mac_password_where_a_list_belongs_is_not_printed() {
    let server = hostile(ok_string).await;
    let client = client(&server.url, Duration::from_secs(20));
    let errors = [
        client.register(ID, URL, "Daryna").await.unwrap_err(),
        client
            .register_list(&[ID.to_string()], URL, "Daryna")
            .await
            .unwrap_err(),
        client.list(&[]).await.unwrap_err(),
        client.check(ID).await.unwrap_err(),
    ];
    for error in errors {
        assert_eq!(error.code(), "unexpected_reply", "{error}");
        assert!(error.to_string().contains("OK:"), "{error}");
        no_secret(&error.to_string());
    }
}

fn unavailable(mut stream: TcpStream, count: Arc<AtomicU64>) -> BoxFuture {
    Box::pin(async move {
        let page =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        send(&mut stream, &count, page.as_bytes()).await;
    })
}

#[tokio::test]
async fn a_password_typed_into_the_endpoint_is_never_printed_nor_sent_twice() {
    let server = hostile(unavailable).await;
    let endpoint = server
        .url
        .replace("http://", &format!("http://gigaset:{PASSWORD}@"));
    let client = GigasetClient::new(&account(&endpoint), Duration::from_secs(20)).unwrap();
    no_secret(client.endpoint());
    let error = client.list(&[]).await.unwrap_err();
    assert_eq!(error.code(), "unavailable", "{error}");
    assert!(error.to_string().contains("gigaset:"), "{error}");
    no_secret(&error.to_string());
    let head = server.requests.lock().unwrap()[0].to_ascii_lowercase();
    assert_eq!(head.matches("authorization:").count(), 1, "{head}");

    let bad = GigasetClient::new(
        &account(&format!("ftp://gigaset:{PASSWORD}@127.0.0.1/rpc")),
        Duration::from_secs(5),
    )
    .unwrap_err();
    assert_eq!(bad.code(), "bad_endpoint");
    no_secret(&bad.to_string());
}

#[tokio::test]
async fn a_network_error_does_not_print_the_endpoints_password() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let endpoint = format!("http://gigaset:{PASSWORD}@{addr}/apxml/rpc.do");
    let error = GigasetClient::new(&account(&endpoint), Duration::from_secs(5))
        .unwrap()
        .list(&[])
        .await
        .unwrap_err();
    assert_eq!(error.code(), "network", "{error}");
    no_secret(&error.to_string());
}

#[test]
fn plain_http_to_another_machine_is_refused_and_names_https() {
    for endpoint in [
        "http://prov.gigaset.net/apxml/rpc.do",
        "http://192.0.2.10/apxml/rpc.do",
        "HTTP://10.0.0.1:8080/apxml/rpc.do",
        "http://[2001:db8::1]/apxml/rpc.do",
        "http://localhost.example.org/apxml/rpc.do",
    ] {
        let error = GigasetClient::new(&account(endpoint), Duration::from_secs(5)).unwrap_err();
        assert_eq!(error.code(), "insecure_endpoint", "{endpoint}: {error}");
        assert!(error.to_string().contains("https://"), "{error}");
    }
    for endpoint in [
        "https://prov.gigaset.net/apxml/rpc.do",
        "http://127.0.0.1:8080/apxml/rpc.do",
        "http://127.1.2.3/apxml/rpc.do",
        "http://[::1]:8080/apxml/rpc.do",
        "http://localhost:8080/apxml/rpc.do",
        "http://LOCALHOST./apxml/rpc.do",
    ] {
        GigasetClient::new(&account(endpoint), Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
    }
}
