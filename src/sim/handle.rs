//! What every simulator shares: the accept loop, and what it needs to stop (the signal to the
//! loop, the loop's task and, when it was started from blocking code, the runtime it runs on).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

/// A serving accept loop. Stops on [`shutdown`](Self::shutdown) or drop.
#[derive(Debug)]
pub struct ServerHandle {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    runtime: Option<Runtime>,
}

impl ServerHandle {
    /// Serves `listener` on the current runtime: each accepted connection runs `connection`
    /// as its own task. `name` labels the log lines.
    pub fn serve<F, C>(listener: TcpListener, name: &'static str, connection: F) -> Self
    where
        F: FnMut(TcpStream, SocketAddr) -> C + Send + 'static,
        C: Future<Output = ()> + Send + 'static,
    {
        let (stop, stopped) = oneshot::channel();
        Self {
            stop: Some(stop),
            task: Some(tokio::spawn(accept_loop(
                listener, name, stopped, connection,
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

/// Accepts until `stop` fires or its sender is dropped. Connections live in a [`JoinSet`] owned
/// by this loop, so when the loop ends every connection task is aborted with it — including
/// those a fault keeps waiting forever.
async fn accept_loop<F, C>(
    listener: TcpListener,
    name: &'static str,
    mut stop: oneshot::Receiver<()>,
    mut connection: F,
) where
    F: FnMut(TcpStream, SocketAddr) -> C,
    C: Future<Output = ()> + Send + 'static,
{
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(connection(stream, peer));
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
