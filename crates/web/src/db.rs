//! The store, shared by the async handlers: a small pool of open [`Store`]s, each used by one
//! blocking task at a time.
//!
//! The store is synchronous (rusqlite, postgres' blocking client), so every use runs on
//! tokio's blocking threads through [`Db::run`] and never stalls the request loop. A pool
//! rather than one `Mutex<Store>`: public reads are the bulk of the traffic and SQLite in WAL
//! mode, like PostgreSQL, serves several readers beside a writer. A connection that fails
//! with a connection error is dropped and a new one opened on the next use.
//!
//! This module knows nothing of HTTP beyond turning store errors into [`AppError`].

use crate::error::AppError;
use std::sync::{Arc, Condvar, Mutex};
use unrest_store::Store;

pub struct Db {
    url: String,
    size: usize,
    slots: Mutex<Slots>,
    freed: Condvar,
}

struct Slots {
    idle: Vec<Store>,
    /// Stores open, idle or in use.
    open: usize,
}

impl Db {
    /// Opens the first store now (so a bad URL fails at start, and migrations run once),
    /// the others on demand, up to `size`.
    pub fn open(url: &str, size: usize) -> anyhow::Result<Arc<Db>> {
        let first = Store::open(url)?;
        Ok(Arc::new(Db {
            url: url.to_string(),
            size: size.max(1),
            slots: Mutex::new(Slots {
                idle: vec![first],
                open: 1,
            }),
            freed: Condvar::new(),
        }))
    }

    fn take(&self) -> Result<Store, AppError> {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(s) = slots.idle.pop() {
                return Ok(s);
            }
            if slots.open < self.size {
                slots.open += 1;
                drop(slots);
                return Store::open(&self.url).map_err(|e| {
                    let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
                    slots.open -= 1;
                    AppError::from(e)
                });
            }
            slots = self.freed.wait(slots).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn give_back(&self, store: Option<Store>) {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        match store {
            Some(s) => slots.idle.push(s),
            None => slots.open -= 1,
        }
        drop(slots);
        self.freed.notify_one();
    }

    /// Runs `f` with a store on a blocking thread.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, AppError> + Send + 'static,
    {
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut store = db.take()?;
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut store)));
            match out {
                Ok(result) => {
                    let broken = matches!(&result, Err(AppError::Unavailable(_)));
                    db.give_back((!broken).then_some(store));
                    result
                }
                Err(_) => {
                    db.give_back(None);
                    Err(AppError::Internal("a database task panicked".into()))
                }
            }
        })
        .await?
    }
}

impl Drop for Db {
    /// The PostgreSQL client must not be dropped on an async thread (it blocks to close its
    /// connection); the last `Db` may be dropped by the runtime, so the stores go elsewhere.
    fn drop(&mut self) {
        let slots = self.slots.get_mut().unwrap_or_else(|p| p.into_inner());
        let idle = std::mem::take(&mut slots.idle);
        if !idle.is_empty() {
            let _ = std::thread::spawn(move || drop(idle)).join();
        }
    }
}
