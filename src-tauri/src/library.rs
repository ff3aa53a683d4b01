//! The agent's local library and records, read and written by the window without going through
//! the engine's task: predefined responses and the chat history live in the engine's SQLite file
//! but on their own connections (opened on first use, kept), so a search never waits on a poll.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use engine::{EngineError, ErrorCode, HistoryReader, ResponseLibrary};

use crate::error::IpcResult;

/// Lazily opened connections to the data folder's database.
pub struct Library {
    dir: Option<PathBuf>,
    responses: Arc<Mutex<Option<ResponseLibrary>>>,
    history: Arc<Mutex<Option<HistoryReader>>>,
}

fn unavailable() -> EngineError {
    EngineError::new(
        ErrorCode::Storage,
        "this desk has no data folder: the response library and history are unavailable",
    )
}

fn lock_failed() -> EngineError {
    EngineError::new(
        ErrorCode::Internal,
        "the local library is unusable after an earlier failure",
    )
}

impl Library {
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self {
            dir,
            responses: Arc::default(),
            history: Arc::default(),
        }
    }

    /// Forgets history older than the retention setting, in the background.
    pub fn apply_retention_in_background(&self) {
        let Some(dir) = self.dir.clone() else {
            return;
        };
        let slot = self.history.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let Ok(mut guard) = slot.lock() else {
                return;
            };
            if guard.is_none() {
                match HistoryReader::open(&dir) {
                    Ok(r) => *guard = Some(r),
                    Err(e) => {
                        tracing::warn!(error = %e, "history unavailable");
                        return;
                    }
                }
            }
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
            if let Some(reader) = guard.as_ref() {
                match reader.apply_retention(now) {
                    Ok(n) if n > 0 => tracing::info!(removed = n, "old chats removed from history"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "history retention failed"),
                }
            }
        });
    }

    /// Runs `f` on the response library, off the async runtime's threads.
    pub async fn responses<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut ResponseLibrary) -> Result<T, EngineError> + Send + 'static,
    ) -> IpcResult<T> {
        let dir = self.dir.clone().ok_or_else(unavailable)?;
        let slot = self.responses.clone();
        blocking(move || {
            let mut guard = slot.lock().map_err(|_| lock_failed())?;
            if guard.is_none() {
                *guard = Some(ResponseLibrary::open(&dir)?);
            }
            let lib = guard.as_mut().ok_or_else(unavailable)?;
            f(lib)
        })
        .await
    }

    /// Runs `f` on the history reader, off the async runtime's threads.
    pub async fn history<T: Send + 'static>(
        &self,
        f: impl FnOnce(&HistoryReader) -> Result<T, EngineError> + Send + 'static,
    ) -> IpcResult<T> {
        let dir = self.dir.clone().ok_or_else(unavailable)?;
        let slot = self.history.clone();
        blocking(move || {
            let mut guard = slot.lock().map_err(|_| lock_failed())?;
            if guard.is_none() {
                *guard = Some(HistoryReader::open(&dir)?);
            }
            let reader = guard.as_ref().ok_or_else(unavailable)?;
            f(reader)
        })
        .await
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, EngineError> + Send + 'static,
) -> IpcResult<T> {
    match tauri::async_runtime::spawn_blocking(f).await {
        Ok(out) => Ok(out?),
        Err(e) => Err(EngineError::new(
            ErrorCode::Internal,
            format!("library task failed: {e}"),
        )),
    }
}
