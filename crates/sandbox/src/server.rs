//! The accept loop. It is hand-written (rather than `axum::serve`) for one reason: the "reset"
//! fault must close a connection without any HTTP response, with a TCP RST, and only code that
//! owns the connection can do that.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt as _;

/// Put in every request's extensions; `reset()` makes the connection that carried the request
/// close abruptly.
#[derive(Clone, Default)]
pub struct ConnectionKiller(Arc<Notify>);

impl ConnectionKiller {
    pub fn reset(&self) {
        // notify_one keeps a permit, so the reset is not lost if the connection task is busy.
        self.0.notify_one();
    }
}

pub async fn serve(listener: TcpListener, app: Router, shutdown: CancellationToken) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    connections.spawn(serve_connection(stream, app.clone(), shutdown.clone()));
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

async fn serve_connection(stream: TcpStream, app: Router, shutdown: CancellationToken) {
    // Best effort: small answers should not wait for Nagle.
    let _ = stream.set_nodelay(true);
    let killer = ConnectionKiller::default();
    let request_killer = killer.clone();
    let service = service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(request_killer.clone());
        app.clone().oneshot(request.map(Body::new))
    });
    let mut connection = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = &mut connection => {}
        () = killer.0.notified() => {
            let stream = connection.into_parts().io.into_inner();
            // A zero linger makes close() send RST instead of FIN: the client sees
            // "connection reset by peer" with no response, like a crashed upstream.
            let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
            drop(stream);
        }
        () = shutdown.cancelled() => {}
    }
}
