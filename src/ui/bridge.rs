//! The one bridge from blocking threads to the interface: a worker thread's reports as a subscription's
//! stream, and one call on its own thread as a task. Every device, sync and service-mode thread reaches
//! iced through these two.

use iced::futures::channel::{mpsc, oneshot};
use iced::futures::{SinkExt, Stream, StreamExt};
use iced::Task;

/// Forwards one report to the interface; false once nobody listens (the worker then stops).
pub type Sink<T> = Box<dyn FnMut(T) -> bool + Send>;

/// The reports of the worker `start` spawns, as a stream. The worker's handle lives as long as the stream:
/// dropping the subscription stops the thread.
pub fn reports<T, W>(
    capacity: usize,
    start: impl FnOnce(Sink<T>) -> W + Send + 'static,
) -> impl Stream<Item = T>
where
    T: Send + 'static,
    W: Send + 'static,
{
    iced::stream::channel(capacity, async move |mut output| {
        let (tx, mut rx) = mpsc::unbounded();
        let _worker = start(Box::new(move |report| tx.unbounded_send(report).is_ok()));
        while let Some(report) = rx.next().await {
            if output.send(report).await.is_err() {
                break;
            }
        }
    })
}

/// Runs `work` on a thread named `name`; its answer comes back as `done(answer)`. `lost` is the answer
/// when the thread cannot start or ends without one, so no screen waits for ever.
pub fn once<A, M>(
    name: &str,
    work: impl FnOnce() -> A + Send + 'static,
    lost: A,
    done: impl FnOnce(A) -> M + Send + 'static,
) -> Task<M>
where
    A: Send + 'static,
    M: Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let _ = tx.send(work());
        });
    if let Err(error) = spawned {
        tracing::error!(%error, thread = name, "cannot start a background call");
    }
    Task::perform(async move { rx.await.unwrap_or(lost) }, done)
}

/// Runs `job` on a thread named `name`, which sends its messages (progress, then the end) through the
/// sink it is given; the task ends when the thread is done. `failed` is the one message when the thread
/// cannot start.
pub fn job<M>(name: &str, job: impl FnOnce(Sink<M>) + Send + 'static, failed: M) -> Task<M>
where
    M: Send + 'static,
{
    let name = name.to_string();
    Task::run(
        iced::stream::channel(4, async move |mut output| {
            let (tx, mut rx) = mpsc::unbounded();
            let sink = tx.clone();
            let spawned = std::thread::Builder::new()
                .name(name.clone())
                .spawn(move || {
                    job(Box::new(move |message| {
                        sink.unbounded_send(message).is_ok()
                    }))
                });
            if let Err(error) = spawned {
                tracing::error!(%error, thread = name, "cannot start a background job");
                let _ = tx.unbounded_send(failed);
            }
            // The stream ends when the job's thread drops its sender: this one must not outlive it.
            drop(tx);
            while let Some(message) = rx.next().await {
                if output.send(message).await.is_err() {
                    break;
                }
            }
        }),
        |message| message,
    )
}
