//! Routes and the transport layers every provider request goes through, outermost first:
//! request log → concurrency limit → latency → faults → provider handler.
//! The admin API bypasses all of them so a test can always steer the sandbox; it has its own
//! guard instead (see [`admin_guard`](crate::admin_guard)).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;

use crate::provider::{self, Provider};
use crate::request_log::{self, RequestId};
use crate::state::Sandbox;
use crate::{admin, elks, faults, telnyx, twilio};

pub fn build(sandbox: Arc<Sandbox>) -> Router {
    let providers = Router::new()
        .nest("/twilio", twilio::router())
        .nest("/telnyx", telnyx::router())
        .nest("/46elks", elks::router())
        .layer(middleware::from_fn_with_state(
            sandbox.clone(),
            faults::inject,
        ))
        .layer(middleware::from_fn_with_state(sandbox.clone(), delay))
        .layer(middleware::from_fn_with_state(
            sandbox.clone(),
            limit_concurrency,
        ))
        .layer(middleware::from_fn_with_state(
            sandbox.clone(),
            request_log::record,
        ));
    Router::new()
        .nest("/_sandbox", admin::router(&sandbox))
        .merge(providers)
        .with_state(sandbox)
}

/// `--latency-ms`: every provider answer waits this long.
async fn delay(State(sandbox): State<Arc<Sandbox>>, request: Request, next: Next) -> Response {
    let latency = sandbox.latency();
    if !latency.is_zero() {
        tokio::select! {
            () = tokio::time::sleep(latency) => {}
            () = sandbox.shutdown.cancelled() => {}
        }
    }
    next.run(request).await
}

/// Decrements the in-flight count however the request ends (answered, dropped, reset).
struct InFlight(Arc<Sandbox>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// `--concurrency-limit`: requests beyond the limit in flight are refused with 429, never
/// processed, like Twilio's error 20429 (see [`provider::too_many_in_flight`]).
async fn limit_concurrency(
    State(sandbox): State<Arc<Sandbox>>,
    request: Request,
    next: Next,
) -> Response {
    let in_flight = sandbox.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let guard = InFlight(sandbox.clone());
    if sandbox
        .concurrency_limit()
        .is_some_and(|limit| in_flight > limit)
    {
        drop(guard);
        if let Some(RequestId(id)) = request.extensions().get::<RequestId>().copied() {
            sandbox.requests().set_fault(id, "concurrency".to_string());
        }
        return provider::too_many_in_flight(
            Provider::from_path(request.uri().path()),
            sandbox.concurrency_retry_after(),
        );
    }
    let response = next.run(request).await;
    drop(guard);
    response
}
