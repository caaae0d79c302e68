//! Bounding the work in progress, so that the service sheds load instead of queueing without
//! end, and `/healthz` answers while big solves run:
//!
//! - at most `max_in_flight` requests are being answered; one more gets 503 problem+json with
//!   `Retry-After` at once (`/healthz` and `/metrics` are never refused, so a probe or a scrape
//!   still sees the service);
//! - every request has `request_timeout` to be answered, reading its body included, or gets 503
//!   naming the limit;
//! - CPU-heavy work runs through [`blocking`] (or, for a stream's producer, [`start`]) on the
//!   solver pool: at most `solver_threads` jobs compute at once, each on a blocking thread,
//!   never on the async workers that answer `/healthz`; the others wait (in the bounded set of
//!   requests in flight).
//! - a stream's time limit applies only until its first byte: the limit wraps the handler, which
//!   returns as soon as the stream's producer has started; the body then runs under the
//!   stream's own limit (`api::stream`).
//!
//! The pool reaches [`blocking`] through a task-local set by [`guard`] for the request being
//! answered, so every handler that calls `blocking` is bounded by its app's pool without
//! threading the pool through each signature. Outside a request (unit tests, the CLI) a
//! process-wide pool sized from the cores is used.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::IntGauge;
use tokio::sync::Semaphore;

use super::error::ApiError;
use super::metrics::Metrics;

/// Seconds a client is told to wait before retrying a shed request.
pub const RETRY_AFTER_SECONDS: u64 = 1;

/// Paths that are never shed: liveness probes and metric scrapes must see an overloaded
/// service as up and busy, not as down.
const NEVER_SHED: &[&str] = &["/healthz", "/metrics"];

/// Whether requests to `path` are never shed.
pub fn is_never_shed(path: &str) -> bool {
    NEVER_SHED.contains(&path)
}

tokio::task_local! {
    /// The solver pool of the app answering the current request.
    static POOL: SolverPool;
}

/// A bounded set of threads for CPU-heavy work.
#[derive(Clone)]
pub struct SolverPool {
    permits: Arc<Semaphore>,
    busy: IntGauge,
    waiting: IntGauge,
}

impl SolverPool {
    /// A pool of `threads` (at least 1) that reports its load in `metrics`.
    pub fn new(threads: usize, metrics: &Metrics) -> Self {
        SolverPool {
            permits: Arc::new(Semaphore::new(threads.max(1))),
            busy: metrics.solver_busy.clone(),
            waiting: metrics.solver_waiting.clone(),
        }
    }

    /// The pool used outside a request: one thread per core, shared by the whole process.
    fn fallback() -> SolverPool {
        static FALLBACK: OnceLock<SolverPool> = OnceLock::new();
        FALLBACK
            .get_or_init(|| {
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                SolverPool::new(cores, &Metrics::new(cores))
            })
            .clone()
    }

    /// Run `work` on a blocking thread once a permit is free. If the caller stops waiting (its
    /// request timed out), a job that has not started never starts; one that has started runs
    /// to the end and keeps its permit until then, so the bound holds for real CPU use.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        // Raised before the thread is spawned, so that no moment shows the permit taken and
        // no thread busy (a scrape between the two saw `busy 0` with the pool full).
        let (permit, busy) = self.admit().await?;
        tokio::task::spawn_blocking(move || {
            let _busy = busy;
            let result = work();
            drop(permit);
            result
        })
        .await
        .map_err(|error| ApiError::internal(format!("the computation failed: {error}")))
    }
}

impl SolverPool {
    /// A permit, waited for (and counted as waiting meanwhile), and the job counted as busy.
    async fn admit(&self) -> Result<(tokio::sync::OwnedSemaphorePermit, Counted), ApiError> {
        let permit = {
            let _waiting = Counted::new(&self.waiting);
            self.permits.clone().acquire_owned().await
        }
        .map_err(|_| ApiError::internal("the solver pool is closed"))?;
        Ok((permit, Counted::new(&self.busy)))
    }

    /// Start `work` on a blocking thread once a permit is free, and return as soon as it has
    /// started (a stream's producer, which hands its output over a channel). If the caller stops
    /// waiting for the permit, the job never starts; once started it holds its permit, and
    /// counts as busy, until `work` returns — so a stream's solver is bounded like any solve.
    pub async fn start(&self, work: impl FnOnce() + Send + 'static) -> Result<(), ApiError> {
        // Busy from before the thread is spawned, so it is up when the response starts.
        let (permit, busy) = self.admit().await?;
        tokio::task::spawn_blocking(move || {
            let _busy = busy;
            work();
            drop(permit);
        });
        Ok(())
    }

    fn current() -> SolverPool {
        POOL.try_with(SolverPool::clone)
            .unwrap_or_else(|_| SolverPool::fallback())
    }
}

/// Start CPU-bound work on the solver pool of the request being answered, without waiting for
/// it to end ([`SolverPool::start`]).
pub async fn start(work: impl FnOnce() + Send + 'static) -> Result<(), ApiError> {
    SolverPool::current().start(work).await
}

/// Run CPU-bound work on the solver pool of the request being answered (see the module
/// header), off the async workers.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    SolverPool::current().run(work).await
}

/// The most work (`solve::work`, about a microsecond a unit) that is done on the async worker
/// where the request arrived: handing a solve to a solver thread and back costs two context
/// switches, more than a small solve itself (the course's problems are 10–100 units), while
/// 200 µs on a worker delays nothing measurably (`/healthz` stays within its 50 ms).
pub const INLINE_WORK: u128 = 200;

/// Run `work` where the request is being answered when it is at most [`INLINE_WORK`], else on
/// the solver pool ([`blocking`]).
pub async fn blocking_unless_small<T: Send + 'static>(
    units: u128,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    if units <= INLINE_WORK {
        // As on the pool, a panic is an internal error, not a dropped connection.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
            .map_err(|_| ApiError::internal("the computation failed".to_string()))
    } else {
        blocking(work).await
    }
}

/// A gauge raised for as long as this value lives, lowered even when a future is dropped.
pub struct Counted(IntGauge);

impl Counted {
    pub fn new(gauge: &IntGauge) -> Self {
        gauge.inc();
        Counted(gauge.clone())
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// What [`guard`] needs: the in-flight bound, the time limit, the pool and the metrics (shared:
/// axum clones the state for every request).
#[derive(Clone)]
pub struct Guard(Arc<Guarding>);

pub struct Guarding {
    in_flight: Arc<Semaphore>,
    timeout: Duration,
    pool: SolverPool,
    metrics: Metrics,
}

impl Guard {
    pub fn new(
        max_in_flight: usize,
        timeout: Duration,
        pool: SolverPool,
        metrics: Metrics,
    ) -> Self {
        Guard(Arc::new(Guarding {
            in_flight: Arc::new(Semaphore::new(max_in_flight.max(1))),
            timeout,
            pool,
            metrics,
        }))
    }
}

/// Middleware: shed what is over the in-flight bound, time the rest out, and hand the handler
/// the app's solver pool.
pub async fn guard(State(Guard(guard)): State<Guard>, request: Request, next: Next) -> Response {
    let exempt = is_never_shed(request.uri().path());
    let permit = if exempt {
        None
    } else {
        match guard.in_flight.clone().try_acquire_owned() {
            Ok(permit) => Some(permit),
            Err(_) => {
                guard.metrics.shed("in_flight");
                return ApiError::Overloaded {
                    retry_after: RETRY_AFTER_SECONDS,
                }
                .into_response();
            }
        }
    };
    let answer = POOL.scope(guard.pool.clone(), next.run(request));
    let response = match tokio::time::timeout(guard.timeout, answer).await {
        Ok(response) => response,
        Err(_) => {
            guard.metrics.shed("timeout");
            ApiError::Timeout {
                limit: guard.timeout,
                retry_after: RETRY_AFTER_SECONDS,
            }
            .into_response()
        }
    };
    drop(permit);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(threads: usize) -> SolverPool {
        SolverPool::new(threads, &Metrics::new(threads))
    }

    #[tokio::test]
    async fn a_pool_of_one_runs_one_job_at_a_time() {
        let pool = pool(1);
        let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let jobs = (0..4).map(|_| {
            let (running, most) = (running.clone(), most.clone());
            let pool = pool.clone();
            tokio::spawn(async move {
                pool.run(move || {
                    use std::sync::atomic::Ordering::SeqCst;
                    let now = running.fetch_add(1, SeqCst) + 1;
                    most.fetch_max(now, SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, SeqCst);
                })
                .await
            })
        });
        for job in jobs.collect::<Vec<_>>() {
            assert!(matches!(job.await, Ok(Ok(()))));
        }
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(pool.busy.get(), 0);
        assert_eq!(pool.waiting.get(), 0);
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_internal_error_not_a_crash() {
        let result = pool(1).run(|| -> u8 { panic!("boom") }).await;
        assert!(matches!(
            result,
            Err(ApiError::Case(crate::usecase::Error::Internal(_)))
        ));
    }
}
