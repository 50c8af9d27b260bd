//! `vita serve`, driven for real: the binary serves a fixture site on a loopback port,
//! and the tests fetch pages, edit content and wait for the reload event.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

use crate::common::Fixture;

const RESEARCHER: &str = "name: Ada Lovelace\n";
const PAPER: &str = "title: 'First title'\nauthors: [ada]\nyear: 2024\n";
const TIMEOUT: Duration = Duration::from_secs(20);

/// A running `vita serve`, stopped when dropped.
struct Server {
    child: Child,
    address: SocketAddr,
    /// Lines the server logged before it reported its address.
    startup: Vec<String>,
    /// Lines the server logs after it started.
    log: mpsc::Receiver<String>,
}

impl Server {
    fn start(fixture: &Fixture) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vita"))
            .args(["serve", "--port", "0", "--root"])
            .arg(fixture.root())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start vita serve");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let (address, startup) = wait_for_address(&receiver);
        Self {
            child,
            address,
            startup,
            log: receiver,
        }
    }

    fn get(&self, path: &str) -> Reply {
        self.request("GET", path)
    }

    fn request(&self, method: &str, path: &str) -> Reply {
        let mut stream = TcpStream::connect(self.address).expect("connect to the server");
        stream
            .set_read_timeout(Some(TIMEOUT))
            .expect("set a timeout");
        let request =
            format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        stream
            .write_all(request.as_bytes())
            .expect("send the request");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read the reply");
        Reply::parse(&raw)
    }

    /// Opens the reload event stream and returns it once the server confirmed it.
    fn events(&self) -> BufReader<TcpStream> {
        let mut stream = TcpStream::connect(self.address).expect("connect to the server");
        stream
            .set_read_timeout(Some(TIMEOUT))
            .expect("set a timeout");
        let request = "GET /__vita/events HTTP/1.1\r\nHost: localhost\r\n\r\n";
        stream
            .write_all(request.as_bytes())
            .expect("send the request");
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while line.trim() != ": connected" {
            line.clear();
            reader.read_line(&mut line).expect("read the event stream");
            assert!(
                !line.is_empty(),
                "the event stream closed before it started"
            );
        }
        reader
    }

    /// Drains what the server logged so far, for assertion messages.
    fn logged(&self) -> String {
        self.log.try_iter().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _killed = self.child.kill();
        let _waited = self.child.wait();
    }
}

fn wait_for_address(log: &mpsc::Receiver<String>) -> (SocketAddr, Vec<String>) {
    let deadline = Instant::now() + TIMEOUT;
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        let Ok(line) = log.recv_timeout(Duration::from_millis(200)) else {
            continue;
        };
        if let Some(rest) = line.split("http://").nth(1) {
            let host_port = rest.split('/').next().unwrap_or_default();
            return (host_port.parse().expect("the logged address parses"), seen);
        }
        seen.push(line);
    }
    panic!(
        "vita serve did not report its address; it logged:\n{}",
        seen.join("\n")
    );
}

/// Waits for the next `reload` event on an open stream.
fn wait_for_reload(events: &mut BufReader<TcpStream>) {
    let deadline = Instant::now() + TIMEOUT;
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        match events.read_line(&mut line) {
            Ok(0) => panic!("the event stream closed"),
            Ok(_) if line.trim() == "event: reload" => return,
            Ok(_) => {}
            Err(err) => panic!("reading the event stream failed: {err}"),
        }
    }
    panic!("no reload event within {TIMEOUT:?}");
}

/// A parsed HTTP reply.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn parse(raw: &[u8]) -> Self {
        let text = String::from_utf8_lossy(raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status_line = lines.next().unwrap_or_default();
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("invalid status line: {status_line:?}"));
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        Self {
            status,
            headers,
            body: body.to_owned(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn texts(&self, css: &str) -> Vec<String> {
        let document = Html::parse_document(&self.body);
        let selector = Selector::parse(css).expect("valid selector");
        document
            .select(&selector)
            .map(|element| element.text().collect::<String>().trim().to_owned())
            .collect()
    }
}

fn site() -> Fixture {
    let fixture = Fixture::new();
    fixture.researcher("ada", RESEARCHER);
    fixture.publication("paper", PAPER);
    fixture
}

#[test]
fn edit_reloads_with_new_content() {
    let fixture = site();
    let server = Server::start(&fixture);
    let before = server.get("/publications/paper/");
    assert_eq!(before.texts("h1"), ["First title"]);

    let mut events = server.events();
    fixture.publication("paper", &PAPER.replace("First title", "Second title"));
    wait_for_reload(&mut events);

    let after = server.get("/publications/paper/");
    assert_eq!(
        after.texts("h1"),
        ["Second title"],
        "server log:\n{}",
        server.logged()
    );
    let profile = server.get("/researchers/ada/");
    assert_eq!(profile.texts(".work-title"), ["Second title"]);
}

#[test]
fn edit_updates_institution_page() {
    let fixture = Fixture::new();
    fixture.researcher(
        "ada",
        "name: Ada Lovelace\naffiliations:\n  - { name: Analytical Society }\n",
    );
    fixture.publication("paper", PAPER);
    let server = Server::start(&fixture);
    let path = "/institutions/analytical-society/";
    assert_eq!(server.get(path).texts(".work-title"), ["First title"]);

    let mut events = server.events();
    fixture.publication("paper", &PAPER.replace("First title", "Second title"));
    wait_for_reload(&mut events);
    assert_eq!(
        server.get(path).texts(".work-title"),
        ["Second title"],
        "server log:\n{}",
        server.logged()
    );
}

#[test]
fn invalid_edit_shows_overlay() {
    let fixture = site();
    let server = Server::start(&fixture);
    let mut events = server.events();

    fixture.publication(
        "paper",
        "title: Dark matter: a field guide\nauthors: [ada]\nyear: 2024\n",
    );
    wait_for_reload(&mut events);
    let broken = server.get("/publications/paper/");
    assert_eq!(broken.status, 200);
    assert_eq!(
        broken.texts("h1"),
        ["First title"],
        "the last good page is served"
    );
    let overlay = broken.texts("#vita-error-overlay pre");
    assert_eq!(overlay.len(), 1, "one overlay: {}", broken.body);
    assert!(
        overlay[0].contains("paper.yaml:1:19: error: `title`"),
        "the overlay names the file and location: {}",
        overlay[0]
    );

    fixture.publication("paper", PAPER);
    wait_for_reload(&mut events);
    let fixed = server.get("/publications/paper/");
    assert_eq!(
        fixed.texts("#vita-error-overlay pre").len(),
        0,
        "overlay cleared"
    );
}

#[test]
fn rename_removes_old_page() {
    let fixture = site();
    let server = Server::start(&fixture);
    assert_eq!(server.get("/publications/paper/").status, 200);
    let mut events = server.events();

    let old = fixture.root().join("content/publications/paper.yaml");
    let new = fixture.root().join("content/publications/renamed.yaml");
    std::fs::rename(&old, &new).expect("rename the file");
    wait_for_reload(&mut events);

    assert_eq!(server.get("/publications/paper/").status, 404, "old URL");
    assert_eq!(server.get("/publications/renamed/").status, 200, "new URL");
}

#[test]
fn delete_removes_page() {
    let fixture = site();
    fixture.publication("other", "title: 'Other'\nauthors: [ada]\nyear: 2023\n");
    let server = Server::start(&fixture);
    let mut events = server.events();

    std::fs::remove_file(fixture.root().join("content/publications/other.yaml")).expect("delete");
    wait_for_reload(&mut events);

    assert_eq!(server.get("/publications/other/").status, 404);
    let profile = server.get("/researchers/ada/");
    assert_eq!(profile.texts(".work-title"), ["First title"]);
}

#[test]
fn traversal_attempts_get_404() {
    let fixture = site();
    fixture.file("secret.txt", "secret\n");
    fixture.file("content/static/public.txt", "public\n");
    let server = Server::start(&fixture);
    assert_eq!(server.get("/public.txt").status, 200);

    let attempts = [
        "/../site.yaml",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/static/../../secret.txt",
        "//etc/passwd",
        "/content/researchers/ada.yaml",
        "/%5c..%5csecret.txt",
        "/public.txt%00",
        "http://example.org/../secret.txt",
    ];
    for attempt in attempts {
        let reply = server.get(attempt);
        assert_eq!(reply.status, 404, "{attempt} answered {}", reply.status);
        assert!(!reply.body.contains("secret"), "{attempt} leaked the file");
    }
}

#[test]
fn symlink_outside_site_not_served() {
    let fixture = site();
    let outside = tempfile::tempdir().expect("create a folder outside the site");
    std::fs::write(outside.path().join("secret.txt"), "secret\n").expect("write the secret");
    std::fs::create_dir_all(fixture.root().join("content/static")).expect("create static");
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        fixture.root().join("content/static/link.txt"),
    )
    .expect("create the link");
    let server = Server::start(&fixture);

    // The link is an error, so the site does not build and the errors are shown.
    let reply = server.get("/link.txt");
    assert_eq!(reply.status, 503);
    assert!(!reply.body.contains("secret\n"), "the link target leaked");
    let overlay = reply.texts("#vita-error-overlay pre");
    assert!(
        overlay
            .iter()
            .any(|text| text.contains("`link.txt` is a symbolic link to a file outside")),
        "{overlay:?}"
    );
}

#[test]
fn head_and_content_types() {
    let fixture = site();
    fixture.file("content/static/paper.pdf", "%PDF-1.4\n");
    fixture.file(
        "content/static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    let server = Server::start(&fixture);

    let cases = [
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/paper.pdf", "application/pdf"),
        ("/logo.svg", "image/svg+xml"),
    ];
    for (path, expected) in cases {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(expected), "{path}");
    }
    let head = server.request("HEAD", "/");
    assert_eq!(head.status, 200);
    assert_eq!(head.body, "", "HEAD has no body");
    assert_eq!(
        head.header("content-type"),
        Some("text/html; charset=utf-8")
    );
}

#[test]
fn folder_urls_redirect_to_slash() {
    let fixture = site();
    let server = Server::start(&fixture);
    let reply = server.get("/researchers/ada");
    assert_eq!(reply.status, 302);
    assert_eq!(reply.header("location"), Some("/researchers/ada/"));
    assert_eq!(server.get("/no/such/page/").status, 404);
    assert_eq!(server.get("/no/such/page/").texts("h1"), ["Page not found"]);
}

#[test]
fn sub_path_served_under_base() {
    let fixture = site();
    fixture.file("site.yaml", "base_url: https://example.org/lab/\n");
    let server = Server::start(&fixture);

    let home = server.get("/lab/");
    assert_eq!(home.status, 200);
    assert_eq!(server.get("/lab/style.css").status, 200);
    assert_eq!(server.get("/lab/publications/paper/").status, 200);
    let root = server.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location"), Some("/lab/"));

    let document = Html::parse_document(&home.body);
    let links = Selector::parse("a[href], link[href]").expect("valid selector");
    for element in document.select(&links) {
        let href = element.value().attr("href").unwrap_or_default();
        if href.starts_with('/') {
            let status = server.get(href).status;
            assert_eq!(status, 200, "{href} from the home page answered {status}");
        }
    }
}

#[test]
fn reload_script_only_in_preview() {
    let fixture = site();
    let server = Server::start(&fixture);
    let served = server.get("/");
    assert!(
        served.body.contains("/__vita/events"),
        "the preview adds the reload script"
    );

    fixture.build();
    let built = fixture.page("index.html");
    assert_eq!(built.count("script"), 0, "vita build writes no script");
}

#[test]
fn publication_edit_renders_subset() {
    let fixture = site();
    fixture.researcher("grace", "name: Grace Hopper\n");
    for index in 0..5 {
        let body = format!(
            "title: 'Compiler {index}'\nauthors: [grace]\nyear: 2020\ntopics: [Compilers]\n"
        );
        fixture.publication(&format!("compiler-{index}"), &body);
    }
    let server = Server::start(&fixture);
    let mut events = server.events();
    let total = logged_page_count(&server, "Built ");

    fixture.publication("paper", &PAPER.replace("First title", "Edited title"));
    wait_for_reload(&mut events);
    let rebuilt = logged_page_count(&server, "Rebuilt ");

    // The edited page, its author's page and the seven listings; not Grace's pages.
    assert_eq!(rebuilt, 9, "rebuilt pages out of {total}");
    assert!(
        rebuilt < total,
        "an edit renders fewer pages than a full build"
    );
}

/// Reads log lines until one starts with `prefix` and returns the page count it gives.
fn logged_page_count(server: &Server, prefix: &str) -> usize {
    let page_count = |line: &str| {
        let rest = line.strip_prefix(prefix)?;
        rest.split_whitespace().next()?.parse().ok()
    };
    if let Some(count) = server.startup.iter().find_map(|line| page_count(line)) {
        return count;
    }
    let deadline = Instant::now() + TIMEOUT;
    while Instant::now() < deadline {
        let Ok(line) = server.log.recv_timeout(Duration::from_millis(200)) else {
            continue;
        };
        if let Some(count) = page_count(&line) {
            return count;
        }
    }
    panic!("no log line starting with {prefix:?}");
}

#[test]
fn interrupt_stops_cleanly() {
    let fixture = site();
    let mut server = Server::start(&fixture);
    assert_eq!(server.get("/").status, 200);

    let pid = server.child.id().to_string();
    let sent = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("run kill");
    assert!(sent.success(), "kill -INT failed");
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("poll the server") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "vita serve did not stop after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "vita serve exited with {status}");
    assert!(
        !fixture.output().exists(),
        "the preview writes no output folder"
    );
}

#[test]
fn theme_created_after_start_is_watched() {
    let fixture = site();
    let server = Server::start(&fixture);
    let mut events = server.events();

    fixture.file(
        "themes/lab/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Custom missing</h1>{% endblock content %}",
    );
    fixture.file("site.yaml", "base_url: https://example.org/\ntheme: lab\n");
    wait_for_reload(&mut events);
    assert_eq!(server.get("/nowhere/").texts("h1"), ["Custom missing"]);

    // The theme folder did not exist at start; an edit inside it must still rebuild.
    fixture.file(
        "themes/lab/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Edited missing</h1>{% endblock content %}",
    );
    wait_for_reload(&mut events);
    assert_eq!(server.get("/nowhere/").texts("h1"), ["Edited missing"]);
}

#[test]
fn deleted_page_gone_while_site_broken() {
    let fixture = site();
    fixture.publication("other", "title: 'Other'\nauthors: [ada]\nyear: 2023\n");
    let server = Server::start(&fixture);
    let mut events = server.events();

    fixture.publication("paper", &format!("{PAPER}bogus_key: 1\n"));
    wait_for_reload(&mut events);
    std::fs::remove_file(fixture.root().join("content/publications/other.yaml")).expect("delete");
    wait_for_reload(&mut events);

    assert_eq!(
        server.get("/publications/other/").status,
        404,
        "the deleted page"
    );
    let paper = server.get("/publications/paper/");
    assert_eq!(
        paper.texts("h1"),
        ["First title"],
        "the last good page of the broken file"
    );
    assert_eq!(
        paper.texts("#vita-error-overlay pre").len(),
        1,
        "the overlay"
    );
}

#[test]
fn broken_at_start_shows_errors() {
    let fixture = site();
    fixture.publication(
        "paper",
        "title: Dark matter: a field guide\nauthors: [ada]\nyear: 2024\n",
    );
    let server = Server::start(&fixture);

    let reply = server.get("/publications/paper/");
    assert_eq!(reply.status, 503);
    let overlay = reply.texts("#vita-error-overlay pre");
    assert_eq!(overlay.len(), 1, "the errors are shown: {}", reply.body);
    assert!(overlay[0].contains("paper.yaml:1:19"), "{}", overlay[0]);
    assert!(
        reply.body.contains(crate_events_path()),
        "the page reloads after the fix"
    );

    let mut events = server.events();
    fixture.publication("paper", PAPER);
    wait_for_reload(&mut events);
    let fixed = server.get("/publications/paper/");
    assert_eq!(fixed.status, 200);
    assert_eq!(fixed.texts("h1"), ["First title"]);
}

fn crate_events_path() -> &'static str {
    vita::serve::EVENTS_PATH
}
