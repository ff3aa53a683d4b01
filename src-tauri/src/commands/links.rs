//! What a card or a visitor's HTML line points at: images fetched on the agent's click (handed to
//! the page as `data:` URLs, so the CSP's `img-src 'self' data:` stays as it is) and links opened
//! in the system browser, never in the desk's webview.
//!
//! The webview holds none of the opener plugin's permissions: only `open_link` (from Rust) calls it,
//! and only for http(s) addresses.

use std::time::Duration;

use engine::events::ErrorCode;
use serde::Deserialize;
use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;
use url::Url;

use crate::error::{IpcError, IpcResult};

/// The most bytes an image may have.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// How long fetching one image may take, all in.
pub const IMAGE_TIMEOUT: Duration = Duration::from_secs(10);
/// The image types shown (never SVG: it can carry script and external references).
const IMAGE_TYPES: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp"];

/// Arguments of `fetch_image`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct FetchImageArgs {
    /// An absolute http(s) address.
    pub url: String,
}

/// Fetches a card's image (GET, 10 s, at most 2 MiB, PNG/JPEG/GIF/WebP only) and returns it as a
/// `data:` URL. (The app handle is unused: a command's first parameter is what Tauri injects.)
#[tauri::command]
pub async fn fetch_image<R: Runtime>(
    _app: AppHandle<R>,
    args: FetchImageArgs,
) -> IpcResult<String> {
    fetch_image_data(&args.url).await
}

/// Arguments of `open_link`.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export_to = "../../../ui/src/bindings/")]
pub struct OpenLinkArgs {
    /// An absolute http(s) address.
    pub url: String,
}

/// Opens an http(s) address in the system's browser.
#[tauri::command]
pub fn open_link<R: Runtime>(app: AppHandle<R>, args: OpenLinkArgs) -> IpcResult<()> {
    let url = web_url(&args.url, "link")?;
    tracing::info!(
        host = url.host_str().unwrap_or(""),
        "opening a link in the browser"
    );
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|e| {
            IpcError::new(
                ErrorCode::Internal,
                format!("The system browser could not be started: {e}"),
            )
        })
}

/// `raw` as an absolute http(s) URL, else an `invalidInput` error naming `what`.
pub fn web_url(raw: &str, what: &str) -> IpcResult<Url> {
    let url = Url::parse(raw.trim()).map_err(|_| {
        IpcError::new(
            ErrorCode::InvalidInput,
            format!("This {what} is not a valid web address."),
        )
    })?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some() => Ok(url),
        "http" | "https" => Err(IpcError::new(
            ErrorCode::InvalidInput,
            format!("This {what} has no host."),
        )),
        scheme => Err(IpcError::new(
            ErrorCode::InvalidInput,
            format!(
                "Only http and https addresses are opened; this {what} is a {scheme}: address."
            ),
        )),
    }
}

/// The media type of a `Content-Type` value when it is one of the shown image types.
fn image_type(content_type: Option<&str>) -> Option<&'static str> {
    let essence = content_type?.split(';').next()?.trim().to_ascii_lowercase();
    IMAGE_TYPES.iter().copied().find(|t| *t == essence)
}

/// GETs `raw` and returns the body as a `data:` URL, under the rules of [`fetch_image`].
pub async fn fetch_image_data(raw: &str) -> IpcResult<String> {
    let url = web_url(raw, "image address")?;
    let client = reqwest::Client::builder()
        .timeout(IMAGE_TIMEOUT)
        .redirect(reqwest::redirect::Policy::limited(5))
        .build()
        .map_err(crate::error::internal)?;
    let network = |e: reqwest::Error| {
        let why = if e.is_timeout() {
            "it took longer than 10 seconds".to_string()
        } else {
            "the server could not be reached".to_string()
        };
        IpcError::new(
            ErrorCode::Network,
            format!("The image could not be loaded: {why}."),
        )
    };
    let mut response = client.get(url).send().await.map_err(network)?;
    let status = response.status();
    if !status.is_success() {
        let code = if status.is_server_error() {
            ErrorCode::Server
        } else {
            ErrorCode::NotFound
        };
        return Err(IpcError::new(
            code,
            format!("The image could not be loaded: the server answered {status}."),
        ));
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let Some(mime) = image_type(content_type) else {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            format!(
                "Not shown: the address does not serve a PNG, JPEG, GIF or WebP image (it says {}).",
                content_type.unwrap_or("nothing about its type")
            ),
        ));
    };
    let too_big = || {
        IpcError::new(
            ErrorCode::InvalidInput,
            "Not shown: the image is larger than 2 MiB.",
        )
    };
    if response
        .content_length()
        .is_some_and(|n| n > MAX_IMAGE_BYTES as u64)
    {
        return Err(too_big());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(network)? {
        if body.len() + chunk.len() > MAX_IMAGE_BYTES {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(format!("data:{mime};base64,{}", base64(&body)))
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    #[test]
    fn base64_matches_the_rfc_examples() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn only_http_and_https_addresses_pass() {
        assert!(web_url("https://example.com/a.png", "link").is_ok());
        assert!(web_url(" http://example.com ", "link").is_ok());
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:image/png;base64,AAAA",
            "mailto:a@b.c",
            "/relative",
            "",
        ] {
            let error = web_url(bad, "link").expect_err(bad);
            assert_eq!(error.code, ErrorCode::InvalidInput, "{bad}");
        }
        let error = web_url("javascript:alert(1)", "link").expect_err("refused");
        assert!(error.message.contains("javascript:"), "{}", error.message);
    }

    #[test]
    fn only_raster_image_types_pass() {
        assert_eq!(image_type(Some("image/png")), Some("image/png"));
        assert_eq!(image_type(Some("IMAGE/JPEG; q=1")), Some("image/jpeg"));
        assert_eq!(image_type(Some("image/webp")), Some("image/webp"));
        assert_eq!(image_type(Some("image/svg+xml")), None);
        assert_eq!(image_type(Some("text/html")), None);
        assert_eq!(image_type(None), None);
    }

    /// Serves one HTTP response on 127.0.0.1 and returns its URL.
    fn serve_once(content_type: &str, body: Vec<u8>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        std::thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                let mut buf = [0u8; 2048];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        format!("http://127.0.0.1:{port}/image")
    }

    #[tokio::test]
    async fn a_png_comes_back_as_a_data_url() {
        let url = serve_once("image/png", b"\x89PNG fake".to_vec());
        let data = fetch_image_data(&url).await.expect("fetched");
        assert_eq!(
            data,
            format!("data:image/png;base64,{}", base64(b"\x89PNG fake"))
        );
    }

    #[tokio::test]
    async fn svg_and_oversized_images_are_refused() {
        let url = serve_once("image/svg+xml", b"<svg onload=alert(1)/>".to_vec());
        let error = fetch_image_data(&url).await.expect_err("svg refused");
        assert_eq!(error.code, ErrorCode::InvalidInput);
        assert!(error.message.contains("image/svg+xml"), "{}", error.message);

        let url = serve_once("image/png", vec![0u8; MAX_IMAGE_BYTES + 1]);
        let error = fetch_image_data(&url).await.expect_err("too big");
        assert!(error.message.contains("2 MiB"), "{}", error.message);

        let error = fetch_image_data("file:///etc/hostname")
            .await
            .expect_err("not http");
        assert_eq!(error.code, ErrorCode::InvalidInput);
    }
}
