//! The live log of a simulator on the terminal: one line per thing it saw, until Ctrl+C.

use tokio::sync::broadcast::{self, error::RecvError};

/// Prints a line for each item until Ctrl+C or the sender closes, then the items that arrived
/// before the stop; `what` names them in the note about items the terminal could not keep up
/// with (`(12 requests not shown)`).
pub async fn print_until_ctrl_c<T: Clone>(
    mut items: broadcast::Receiver<T>,
    what: &str,
    line: impl Fn(&T) -> String,
) -> anyhow::Result<()> {
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            received = items.recv() => match received {
                Ok(item) => say!("{}", line(&item)),
                Err(RecvError::Lagged(missed)) => say!("({missed} {what} not shown)"),
                Err(RecvError::Closed) => break,
            },
        }
    }
    while let Ok(item) = items.try_recv() {
        say!("{}", line(&item));
    }
    Ok(())
}
