//! The accept loop: each connection served by hyper's HTTP/1 server with a header read
//! timeout, under a cap on open connections, so that clients that open connections and send
//! nothing (or headers a byte at a time) cannot exhaust the file limit or hold the server.
//! What a client may take to send a body is `abuse`'s (it knows which route is which).
//!
//! The client's address is handed to the app as `ConnectInfo` and reaches only the rate
//! limiter (see `abuse`).

use crate::abuse::SlowClients;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Serves `app` on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, app: Router, slow: SlowClients) -> anyhow::Result<()> {
    let open = Arc::new(Semaphore::new(slow.max_connections.max(1)));
    loop {
        // At the cap, stop accepting: new connections wait in the backlog, not in memory.
        let permit = open.clone().acquire_owned().await?;
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: pause rather than spin.
                eprintln!("unrest: accepting a connection failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let app = app
            .clone()
            .map_request(move |req: hyper::Request<hyper::body::Incoming>| {
                let mut req = req.map(axum::body::Body::new);
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                req
            });
        let header_timeout = slow.header_timeout;
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app))
                .await;
            drop(permit);
        });
    }
}
