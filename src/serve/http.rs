//! The preview server: it serves only files of the site built in memory, adds the
//! live-reload script to HTML pages, and streams reload events to open pages.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response};

/// The path of the server-sent events stream that makes pages reload.
pub const EVENTS_PATH: &str = "/__vita/events";

/// How often an idle event stream sends a comment, so that a closed tab is noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The site as served: every file by its path in the output folder, and the last error.
#[derive(Default)]
pub struct SiteState {
    pub files: HashMap<String, Arc<[u8]>>,
    /// The problems of the last failed rebuild, shown over every page until fixed.
    pub error: Option<String>,
}

/// State shared between the request threads and the rebuilder.
pub struct Shared {
    pub site: RwLock<SiteState>,
    /// Counts finished rebuilds; event streams wait for it to change.
    generation: Mutex<u64>,
    changed: Condvar,
    /// The path the site is served under, such as `/` or `/lab/`.
    pub base_path: String,
}

impl Shared {
    pub fn new(base_path: String) -> Self {
        Self {
            site: RwLock::new(SiteState::default()),
            generation: Mutex::new(0),
            changed: Condvar::new(),
            base_path,
        }
    }

    /// Tells every open page to reload.
    pub fn notify_reload(&self) {
        let mut generation = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        *generation += 1;
        self.changed.notify_all();
    }

    fn current_generation(&self) -> u64 {
        *self.generation.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until the generation differs from `seen` or the timeout passes.
    fn wait_for_change(&self, seen: u64, timeout: Duration) -> u64 {
        let guard = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |generation| *generation == seen)
            .unwrap_or_else(|e| e.into_inner());
        *guard
    }
}

/// Handles one request on its own thread.
pub fn handle(request: Request, shared: &Shared) {
    let method = request.method().clone();
    if !matches!(method, Method::Get | Method::Head) {
        let response =
            Response::from_string("only GET and HEAD are supported\n").with_status_code(405);
        respond(request, response);
        return;
    }
    let raw_path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_owned();
    if raw_path == EVENTS_PATH {
        stream_events(request, shared);
        return;
    }
    match resolve(&raw_path, shared) {
        Resolved::File(target) => serve_file(request, shared, &target),
        Resolved::Redirect(location) => {
            // A temporary redirect, because a browser keeps a permanent one even after
            // the preview's pages change.
            let response = Response::empty(302)
                .with_header(header("Location", &location))
                .with_header(header("Cache-Control", "no-store"));
            respond(request, response);
        }
        Resolved::NotFound => not_found(request, shared),
    }
}

/// The outcome of mapping a request path to the site's files.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(String),
    Redirect(String),
    NotFound,
}

/// Maps a request path to a file of the site, without ever leaving the site's files.
///
/// The path is percent-decoded first; `.` and `..` segments, backslashes and NUL bytes
/// mean "not found", so neither `/../site.yaml` nor `/%2e%2e/site.yaml` escapes.
pub fn resolve(raw_path: &str, shared: &Shared) -> Resolved {
    let Some(path) = percent_decode(raw_path) else {
        return Resolved::NotFound;
    };
    let base = shared.base_path.as_str();
    let Some(relative) = path.strip_prefix(base) else {
        if format!("{path}/") == base || (path == "/" && base != "/") {
            return Resolved::Redirect(base.to_owned());
        }
        return Resolved::NotFound;
    };
    let unsafe_segment = relative
        .split('/')
        .any(|segment| segment == "." || segment == ".." || segment.contains(['\\', '\0']));
    if unsafe_segment || relative.starts_with('/') {
        return Resolved::NotFound;
    }

    let site = shared.site.read().unwrap_or_else(|e| e.into_inner());
    let target = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_owned()
    };
    if site.files.contains_key(&target) {
        return Resolved::File(target);
    }
    if !relative.is_empty() && site.files.contains_key(&format!("{relative}/index.html")) {
        return Resolved::Redirect(format!("{}/", raw_path.trim_end_matches('/')));
    }
    Resolved::NotFound
}

/// Decodes `%XX` escapes; returns `None` for malformed escapes or invalid UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = std::str::from_utf8(bytes.get(index + 1..index + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

fn serve_file(request: Request, shared: &Shared, target: &str) {
    let (body, error) = {
        let site = shared.site.read().unwrap_or_else(|e| e.into_inner());
        (site.files.get(target).cloned(), site.error.clone())
    };
    let Some(body) = body else {
        not_found(request, shared);
        return;
    };
    let content_type = content_type(target);
    let bytes = if content_type.starts_with("text/html") {
        inject(&body, error.as_deref())
    } else {
        body.to_vec()
    };
    let response = Response::from_data(bytes)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"));
    respond(request, response);
}

fn not_found(request: Request, shared: &Shared) {
    let (page, error, built) = {
        let site = shared.site.read().unwrap_or_else(|e| e.into_inner());
        let built = !site.files.is_empty();
        (
            site.files.get("404.html").cloned(),
            site.error.clone(),
            built,
        )
    };
    // Before the first good build there is no page to show the errors over, so every
    // address shows them on a page of their own that reloads once they are fixed.
    let (status, body) = match (page, error) {
        (_, Some(error)) if !built => (503, inject(EMPTY_PAGE.as_bytes(), Some(&error))),
        (Some(page), error) => (404, inject(&page, error.as_deref())),
        (None, _) => (404, inject(b"<p>404 Not Found</p>", None)),
    };
    let response = Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"));
    respond(request, response);
}

/// The page shown while the site has never built.
const EMPTY_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>The site does not build yet</title></head><body></body></html>";

/// Adds the live-reload script, and the error overlay when the last rebuild failed,
/// before `</body>`.
fn inject(page: &[u8], error: Option<&str>) -> Vec<u8> {
    let html = String::from_utf8_lossy(page);
    let mut addition = String::new();
    if let Some(error) = error {
        addition.push_str(&overlay(error));
    }
    addition.push_str(RELOAD_SCRIPT);
    let injected = match html.rfind("</body>") {
        Some(index) => format!("{}{addition}{}", &html[..index], &html[index..]),
        None => format!("{html}{addition}"),
    };
    injected.into_bytes()
}

/// Connects to the event stream at an address derived from the page's own location,
/// so the preview works on any interface, IPv6 included.
const RELOAD_SCRIPT: &str = "<script>(function () {\
var events = new EventSource(new URL(\"/__vita/events\", window.location.href));\
events.addEventListener(\"reload\", function () { window.location.reload(); });\
})();</script>";

fn overlay(error: &str) -> String {
    format!(
        "<div id=\"vita-error-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;\
         max-height:60vh;overflow:auto;margin:0;padding:1rem;background:#3b0d0d;color:#ffe5e5;\
         font:14px/1.5 ui-monospace,monospace;z-index:2147483647;border-top:4px solid #e5484d\">\
         <strong>The last change did not build; this page shows the last good build.</strong>\
         <pre style=\"white-space:pre-wrap;margin:0.5rem 0 0\">{}</pre></div>",
        crate::text::escape_html(error)
    )
}

/// Streams server-sent events: `reload` after every rebuild, comments to keep alive.
fn stream_events(request: Request, shared: &Shared) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                Cache-Control: no-store\r\nConnection: close\r\n\r\n: connected\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    let mut seen = shared.current_generation();
    loop {
        let now = shared.wait_for_change(seen, KEEPALIVE);
        let message = if now == seen {
            ": keepalive\n\n".to_owned()
        } else {
            seen = now;
            format!("event: reload\ndata: {now}\n\n")
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Returns the Content-Type for a file name's extension.
pub fn content_type(path: &str) -> &'static str {
    if path == "feed.xml" || path.ends_with("/feed.xml") {
        return "application/atom+xml";
    }
    let extension = path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("txt") => "text/plain; charset=utf-8",
        Some("bib" | "ris") => "text/plain; charset=utf-8",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|()| {
        Header::from_bytes(&b"X-Invalid-Header"[..], &b"1"[..]).unwrap_or_else(|()| unreachable!())
    })
}

fn respond<R: std::io::Read>(request: Request, response: Response<R>) {
    if let Err(err) = request.respond(response) {
        log::debug!("could not send a response: {err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared_with(files: &[&str], base: &str) -> Shared {
        let shared = Shared::new(base.to_owned());
        {
            let mut site = shared.site.write().unwrap();
            for file in files {
                site.files.insert((*file).to_owned(), Arc::from(&b"x"[..]));
            }
        }
        shared
    }

    #[test]
    fn resolve_maps_folders_to_index() {
        let shared = shared_with(&["index.html", "a/index.html", "style.css"], "/");
        assert_eq!(resolve("/", &shared), Resolved::File("index.html".into()));
        assert_eq!(
            resolve("/a/", &shared),
            Resolved::File("a/index.html".into())
        );
        assert_eq!(resolve("/a", &shared), Resolved::Redirect("/a/".into()));
        assert_eq!(
            resolve("/style.css", &shared),
            Resolved::File("style.css".into())
        );
    }

    #[test]
    fn resolve_rejects_traversal() {
        let shared = shared_with(&["index.html"], "/");
        for path in [
            "/../site.yaml",
            "/%2e%2e/site.yaml",
            "/%2E%2E/%2E%2E/etc/passwd",
            "//etc/passwd",
            "/a/../index.html",
            "/..%2fsite.yaml",
            "/%5c..%5csite.yaml",
            "/%00",
        ] {
            assert_eq!(resolve(path, &shared), Resolved::NotFound, "{path}");
        }
    }

    #[test]
    fn resolve_under_sub_path() {
        let shared = shared_with(&["index.html"], "/lab/");
        assert_eq!(
            resolve("/lab/", &shared),
            Resolved::File("index.html".into())
        );
        assert_eq!(resolve("/", &shared), Resolved::Redirect("/lab/".into()));
        assert_eq!(resolve("/lab", &shared), Resolved::Redirect("/lab/".into()));
        assert_eq!(resolve("/index.html", &shared), Resolved::NotFound);
    }
}
