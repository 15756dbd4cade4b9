//! The redirect simulator against a client that never finishes its request: the connection is
//! closed after the header-read timeout instead of being held for ever.

use std::time::Duration;

use provdesk::secret::Secret;
use provdesk::sim::redirect::{RedirectSim, RedirectSimConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::test]
async fn a_request_head_that_never_ends_is_closed() {
    let config = RedirectSimConfig::new("gigaset", Secret::new("aptest"));
    let sim = RedirectSim::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap();
    let mut stream = TcpStream::connect(sim.addr()).await.unwrap();
    stream
        .write_all(b"POST /apxml/rpc.do HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // Only a bound so that a simulator without the timeout fails here instead of hanging;
    // the simulator's own timeout is far shorter.
    let mut answer = Vec::new();
    let closed =
        tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer)).await;
    assert!(
        matches!(closed, Ok(Ok(_)) | Ok(Err(_))),
        "the simulator still holds the connection open"
    );
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.is_empty() || answer.contains("408"), "{answer}");
}
