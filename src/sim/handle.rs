//! What every simulator shares: the accept loop, and what it needs to stop (the signal to the
//! loop, the loop's task and, when it was started from blocking code, the runtime it runs on).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;

use tokio::sync::{Semaphore, oneshot};
use tokio::task::{JoinHandle, JoinSet};

/// The most connections a simulator serves at once. A test or a demo opens a handful; the cap
/// keeps a flood of idle connections from taking every file descriptor.
pub const MAX_CONNECTIONS: usize = 256;

/// How long a client may take to send a request's head; then the connection is closed, so a
/// client that never finishes cannot hold it (or one of the loop's connection slots) for ever.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// A serving accept loop. Stops on [`shutdown`](Self::shutdown) or drop.
#[derive(Debug)]
pub struct ServerHandle {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    runtime: Option<Runtime>,
}

impl ServerHandle {
    /// Serves `listener` on the current runtime: each accepted connection runs `connection`
    /// as its own task, at most [`MAX_CONNECTIONS`] at once. `name` labels the log lines.
    pub fn serve<F, C>(listener: TcpListener, name: &'static str, connection: F) -> Self
    where
        F: FnMut(TcpStream, SocketAddr) -> C + Send + 'static,
        C: Future<Output = ()> + Send + 'static,
    {
        Self::serve_limited(listener, name, MAX_CONNECTIONS, connection)
    }

    /// [`serve`](Self::serve) with at most `limit` connections at once: the loop accepts the
    /// next one only when one has ended, so the others wait in the listen backlog instead of
    /// each holding a task and a socket.
    pub fn serve_limited<F, C>(
        listener: TcpListener,
        name: &'static str,
        limit: usize,
        connection: F,
    ) -> Self
    where
        F: FnMut(TcpStream, SocketAddr) -> C + Send + 'static,
        C: Future<Output = ()> + Send + 'static,
    {
        let (stop, stopped) = oneshot::channel();
        let slots = Arc::new(Semaphore::new(limit.max(1)));
        Self {
            stop: Some(stop),
            task: Some(tokio::spawn(accept_loop(
                listener, name, slots, stopped, connection,
            ))),
            runtime: None,
        }
    }

    /// Stops accepting, closes every connection and waits until the loop's task is gone.
    pub async fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Dropping a runtime blocks, which async callers may not do; this never blocks and
        // still ends the simulator's tasks.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Runs an async `start` for code without a runtime (plain `#[test]`s, the CLI): the simulator
/// gets its own one-thread runtime, kept in its handle for as long as it serves. Refused inside
/// a runtime, where blocking would stall it.
pub fn start_blocking<T>(
    thread_name: &str,
    start: impl Future<Output = io::Result<T>>,
    handle: impl FnOnce(&mut T) -> &mut ServerHandle,
) -> io::Result<T> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(io::Error::other(
            "start_blocking inside a tokio runtime would block it; use start",
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name(thread_name)
        .enable_all()
        .build()?;
    let mut running = runtime.block_on(start)?;
    handle(&mut running).runtime = Some(runtime);
    Ok(running)
}

/// Accepts until `stop` fires or its sender is dropped, taking a slot of `slots` before each
/// accept and giving it back when that connection ends. Connections live in a [`JoinSet`]
/// owned by this loop, so when the loop ends every connection task is aborted with it —
/// including those a fault keeps waiting forever.
async fn accept_loop<F, C>(
    listener: TcpListener,
    name: &'static str,
    slots: Arc<Semaphore>,
    mut stop: oneshot::Receiver<()>,
    mut connection: F,
) where
    F: FnMut(TcpStream, SocketAddr) -> C,
    C: Future<Output = ()> + Send + 'static,
{
    let mut connections = JoinSet::new();
    loop {
        let slot = tokio::select! {
            _ = &mut stop => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let serving = connection(stream, peer);
                    connections.spawn(async move {
                        serving.await;
                        drop(slot);
                    });
                }
                Err(error) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(%error, "{name}: accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
    }
    connections.shutdown().await;
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Connections that stay open until more than `LIMIT` are open at once (or a moment has
    /// passed): without a cap the loop accepts them all and the most open at once exceeds it.
    #[tokio::test]
    async fn no_more_connections_than_the_cap_are_served_at_once() {
        const LIMIT: usize = 2;
        const CLIENTS: usize = 5;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let active = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let served = Arc::new(AtomicUsize::new(0));
        let (a, m, s) = (active.clone(), most.clone(), served.clone());
        let mut handle = ServerHandle::serve_limited(listener, "test", LIMIT, move |stream, _| {
            let (active, most, served) = (a.clone(), m.clone(), s.clone());
            async move {
                let now = active.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                let crowded = async {
                    while active.load(Ordering::SeqCst) <= LIMIT {
                        tokio::task::yield_now().await;
                    }
                };
                let _ = tokio::time::timeout(Duration::from_millis(300), crowded).await;
                active.fetch_sub(1, Ordering::SeqCst);
                served.fetch_add(1, Ordering::SeqCst);
                drop(stream);
            }
        });
        let mut clients = Vec::new();
        for _ in 0..CLIENTS {
            clients.push(TcpStream::connect(addr).await.unwrap());
        }
        while served.load(Ordering::SeqCst) < CLIENTS {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        handle.shutdown().await;
        assert!(
            most.load(Ordering::SeqCst) <= LIMIT,
            "{} connections were served at once",
            most.load(Ordering::SeqCst)
        );
    }
}
