//! The server as a worker job: started on the shared runtime, every request forwarded to the
//! panel as it is answered, stopped when the panel says so.

use std::net::SocketAddr;

use tokio::sync::oneshot;

use crate::device::{Mac, NewDevice, find_model};
use crate::serve::{ServeConfig, start};
use crate::ui::serve::events::ServePanelEvent;
use crate::ui::serve::log::AddPhone;
use crate::ui::worker::Worker;

/// The panel's hold on the running server.
pub struct ServeHandle {
    stop: Option<oneshot::Sender<()>>,
}

impl ServeHandle {
    /// Stops accepting and closes the connections; the panel hears `Stopped`.
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Drop for ServeHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn start_serving(worker: &Worker, bind: SocketAddr, config: ServeConfig) -> ServeHandle {
    let (stop, stopped) = oneshot::channel();
    let sink = worker.sink();
    let db = worker.db_path().to_path_buf();
    worker.spawn(async move {
        let mut server = match start(&db, bind, config).await {
            Ok(server) => server,
            Err(error) => {
                sink.send(ServePanelEvent::Stopped {
                    error: Some(error.to_string()),
                });
                return;
            }
        };
        sink.send(ServePanelEvent::Started {
            addr: server.addr(),
            url_pattern: server.url_pattern(),
        });
        tokio::pin!(stopped);
        loop {
            tokio::select! {
                _ = &mut stopped => break,
                event = server.next_event() => match event {
                    Some(event) => sink.send(ServePanelEvent::Request(Box::new(event))),
                    None => break,
                },
            }
        }
        while let Some(event) = server.try_event() {
            sink.send(ServePanelEvent::Request(Box::new(event)));
        }
        server.shutdown().await;
        sink.send(ServePanelEvent::Stopped { error: None });
    });
    ServeHandle { stop: Some(stop) }
}

/// Adds a phone that asked but was not in the inventory, with the model its User-Agent named.
pub fn add_phone(worker: &Worker, phone: AddPhone) {
    worker.inventory(move |inventory, _| {
        let added = Mac::parse(&phone.device)
            .map_err(|e| e.to_string())
            .and_then(|mac| {
                let mut device = NewDevice::with_mac(mac);
                device.model = phone.model.as_deref().and_then(find_model);
                inventory
                    .add_device(&device)
                    .map(|added| added.mac.macd())
                    .map_err(|e| e.to_string())
            });
        ServePanelEvent::Added(added)
    });
}
