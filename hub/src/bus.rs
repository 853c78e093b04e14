//! The bus remote guidance is relayed on: a terminal's connection and the console helping it may be held
//! by different hub processes behind a load balancer, so every relayed message is published on a topic
//! (`t:DEVICE` for a terminal, `c:SESSION` for a console, `queue` when the help queue changed) and
//! delivered to whichever connections of any process subscribed to it.
//!
//! On SQLite (one hub process) the bus is in memory. On PostgreSQL it is the database's own
//! `LISTEN/NOTIFY` on one channel: each process listens once, and hands each notification to its local
//! subscribers of the topic. Nothing but the subscriptions of live connections is kept in memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use crate::store::{Backend, Store};

/// The PostgreSQL channel every hub process listens on.
const CHANNEL: &str = "kiosk_assist";

type Subscribers = HashMap<String, Vec<(u64, UnboundedSender<String>)>>;

pub struct Bus {
    subscribers: Arc<Mutex<Subscribers>>,
    next: Mutex<u64>,
    store: Store,
    /// PostgreSQL: the listener task, started on first use.
    listening: tokio::sync::OnceCell<()>,
}

/// A subscription to one topic: messages arrive on `recv`; dropping it unsubscribes.
pub struct Subscription {
    topic: String,
    id: u64,
    rx: UnboundedReceiver<String>,
    subscribers: Arc<Mutex<Subscribers>>,
}

impl Subscription {
    pub async fn recv(&mut self) -> Option<String> {
        self.rx.recv().await
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut subscribers = self.subscribers.lock().expect("bus lock");
        if let Some(list) = subscribers.get_mut(&self.topic) {
            list.retain(|(id, _)| *id != self.id);
            if list.is_empty() {
                subscribers.remove(&self.topic);
            }
        }
    }
}

impl Bus {
    pub fn new(store: Store) -> Bus {
        Bus {
            subscribers: Default::default(),
            next: Mutex::new(0),
            store,
            listening: tokio::sync::OnceCell::new(),
        }
    }

    /// Subscribes to `topic`; on PostgreSQL, once this process listens (so nothing published after this
    /// returns is missed).
    pub async fn subscribe(&self, topic: &str) -> Result<Subscription, sqlx::Error> {
        self.listen().await?;
        let (tx, rx) = unbounded_channel();
        let id = {
            let mut next = self.next.lock().expect("bus lock");
            *next += 1;
            *next
        };
        self.subscribers
            .lock()
            .expect("bus lock")
            .entry(topic.to_string())
            .or_default()
            .push((id, tx));
        Ok(Subscription {
            topic: topic.to_string(),
            id,
            rx,
            subscribers: self.subscribers.clone(),
        })
    }

    /// Publishes `payload` to every subscriber of `topic`, in every hub process.
    pub async fn publish(&self, topic: &str, payload: &str) -> Result<(), sqlx::Error> {
        match self.store.backend() {
            Backend::Sqlite => deliver(&self.subscribers, topic, payload),
            Backend::Postgres => {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(format!("{topic}\n{payload}"))
                    .execute(self.store.pool())
                    .await?;
            }
        }
        Ok(())
    }

    /// PostgreSQL: starts this process's one listener.
    async fn listen(&self) -> Result<(), sqlx::Error> {
        if self.store.backend() != Backend::Postgres {
            return Ok(());
        }
        self.listening
            .get_or_try_init(|| async {
                let mut listener = sqlx::postgres::PgListener::connect(self.store.url()).await?;
                listener.listen(CHANNEL).await?;
                let subscribers = self.subscribers.clone();
                tokio::spawn(async move {
                    loop {
                        match listener.recv().await {
                            Ok(note) => {
                                if let Some((topic, payload)) = note.payload().split_once('\n') {
                                    deliver(&subscribers, topic, payload);
                                }
                            }
                            // recv reconnects by itself; what was published meanwhile is lost, and the
                            // relay's ends see a session go quiet, as on a dropped connection.
                            Err(error) => {
                                tracing::warn!(%error, "remote-guidance bus: listener lost");
                                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                            }
                        }
                    }
                });
                Ok(())
            })
            .await
            .map(drop)
    }
}

fn deliver(subscribers: &Mutex<Subscribers>, topic: &str, payload: &str) {
    let mut subscribers = subscribers.lock().expect("bus lock");
    if let Some(list) = subscribers.get_mut(topic) {
        list.retain(|(_, tx)| tx.send(payload.to_string()).is_ok());
    }
}
