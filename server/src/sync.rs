//! `peixun sync-catalog URL`: fetches a city's published catalogue file and imports it the
//! same way as a file on disk. The download is bounded in time and size, and refused when it
//! is not a spreadsheet (an error or login page served as HTML, say).

use app::catalog::import::{FileKind, MAX_FILE_BYTES};
use app::i18n::Locale;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(
        "only http:// and https:// addresses can be fetched / 只能从 http:// 或 https:// 地址下载"
    )]
    Scheme,
    #[error("the server answered HTTP {0} / 服务器返回 HTTP {0}")]
    Status(u16),
    #[error(
        "the server sent {0}, not a CSV or XLSX file / 服务器返回的是 {0}，不是 CSV 或 XLSX 文件"
    )]
    ContentType(String),
    #[error("the file is larger than {} MB / 文件超过 {} MB", MAX_FILE_BYTES / 1024 / 1024, MAX_FILE_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("the download took longer than {0} s / 下载超过 {0} 秒未完成")]
    Timeout(u64),
    #[error("the download was cut off before the end / 下载不完整，连接中途断开")]
    Incomplete,
    #[error("cannot reach the server: {0} / 无法连接服务器")]
    Network(String),
}

const SPREADSHEET_TYPES: &[&str] = &[
    "text/csv",
    "application/csv",
    "text/plain",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
];

/// Downloads the file at `url` within `timeout`, refusing anything over the import size limit.
pub async fn fetch(url: &str, timeout: Duration) -> Result<(Vec<u8>, FileKind), FetchError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| FetchError::Scheme)?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(FetchError::Scheme);
    }
    let secs = timeout.as_secs();
    let classify = |err: reqwest::Error| {
        if err.is_timeout() {
            FetchError::Timeout(secs)
        } else if err.is_body() || err.is_decode() {
            FetchError::Incomplete
        } else {
            FetchError::Network(err.without_url().to_string())
        }
    };
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10).min(timeout))
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(concat!("peixun-sync/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| FetchError::Network(e.to_string()))?;
    let mut response = client.get(parsed.clone()).send().await.map_err(classify)?;
    if !response.status().is_success() {
        return Err(FetchError::Status(response.status().as_u16()));
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if !SPREADSHEET_TYPES.contains(&content_type.as_str()) {
        return Err(FetchError::ContentType(content_type));
    }
    if response
        .content_length()
        .is_some_and(|n| n > MAX_FILE_BYTES as u64)
    {
        return Err(FetchError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if body.len() + chunk.len() > MAX_FILE_BYTES {
            return Err(FetchError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    let name = if content_type.contains("spreadsheetml") {
        "feed.xlsx"
    } else {
        parsed.path()
    };
    let kind = FileKind::detect(name, &body);
    Ok((body, kind))
}

/// The message shown for a failed fetch, in one language.
pub fn describe(err: &FetchError, locale: Locale) -> String {
    let text = err.to_string();
    let (en, zh) = text.split_once(" / ").unwrap_or((&text, &text));
    match locale {
        Locale::en => en.to_string(),
        _ => zh.to_string(),
    }
}
