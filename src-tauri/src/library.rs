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

/// Most an export may hold (a 10 000-line transcript is well under 2 MiB).
const MAX_EXPORT_BYTES: usize = 20 * 1024 * 1024;

/// Writes `text` as `name` in `dir` (`name (2).txt` … when taken); returns the path written.
/// `name` must be a plain `.txt`/`.json` file name: nothing from the page picks a folder.
pub fn save_export(dir: &std::path::Path, name: &str, text: &str) -> Result<String, EngineError> {
    let bad = |m: &str| EngineError::new(ErrorCode::InvalidInput, m.to_string());
    let ok_chars = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '(' | ')'));
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if matches!(e, "txt" | "json") && !s.is_empty() => (s, e),
        _ => return Err(bad("an export is a .txt or .json file")),
    };
    if !ok_chars || name.starts_with('.') || name.chars().count() > 120 {
        return Err(bad("that file name cannot be used"));
    }
    if text.len() > MAX_EXPORT_BYTES {
        return Err(bad("the export is larger than 20 MiB"));
    }
    std::fs::create_dir_all(dir).map_err(|e| storage(&e))?;
    for n in 1..1000 {
        let file = if n == 1 {
            name.to_string()
        } else {
            format!("{stem} ({n}).{ext}")
        };
        let path = dir.join(file);
        // `create_new`: never overwrite a file that is already there.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(text.as_bytes()).map_err(|e| storage(&e))?;
                return Ok(path.display().to_string());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(storage(&e)),
        }
    }
    Err(bad("too many exports with that name in the folder"))
}

fn storage(e: &std::io::Error) -> EngineError {
    EngineError::new(ErrorCode::Storage, format!("cannot save the export: {e}"))
}

#[cfg(test)]
mod tests {
    use super::save_export;

    #[test]
    fn exports_never_overwrite_and_never_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
        let first = save_export(dir.path(), "Chat with Vera.txt", "hello").unwrap_or_default();
        let second = save_export(dir.path(), "Chat with Vera.txt", "again").unwrap_or_default();
        assert!(first.ends_with("Chat with Vera.txt"), "{first}");
        assert!(second.ends_with("Chat with Vera (2).txt"), "{second}");
        assert_eq!(std::fs::read_to_string(&first).unwrap_or_default(), "hello");
        for bad in [
            "../x.txt",
            "a/b.txt",
            ".hidden.txt",
            "run.sh",
            "x.txt\n",
            ".txt",
        ] {
            assert!(save_export(dir.path(), bad, "x").is_err(), "{bad}");
        }
    }
}
