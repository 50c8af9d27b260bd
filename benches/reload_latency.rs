//! Edit-to-reload latency of `vita serve`: the time from writing a publication file to
//! the `reload` event that makes open pages refresh.
//!
//! Run with `cargo bench --bench reload_latency`. It measures the example site of this
//! repository and a synthetic site of 10,000 publications written by
//! `scripts/synthetic-site.py` (needs `python3`). Set `VITA_BENCH_PUBLICATIONS` to
//! change the synthetic site's size.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const EDITS: usize = 15;
const TIMEOUT: Duration = Duration::from_secs(120);

fn main() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));

    let example = tempfile::tempdir().expect("create a temporary folder");
    copy_tree(&manifest.join("content"), &example.path().join("content"));
    measure("example site (20 publications)", example.path());

    let count: usize = std::env::var("VITA_BENCH_PUBLICATIONS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(10_000);
    let synthetic = tempfile::tempdir().expect("create a temporary folder");
    let status = Command::new("python3")
        .arg(manifest.join("scripts/synthetic-site.py"))
        .arg(synthetic.path())
        .arg(count.to_string())
        .status()
        .expect("run scripts/synthetic-site.py");
    assert!(status.success(), "the synthetic site generator failed");
    measure(
        &format!("synthetic site ({count} publications)"),
        synthetic.path(),
    );
}

/// Starts `vita serve` on `root`, edits one publication `EDITS` times and prints the
/// latency of each reload.
fn measure(label: &str, root: &Path) {
    let publication = first_publication(&root.join("content/publications"));
    let original = std::fs::read_to_string(&publication).expect("read the publication");
    let mut server = start(root);
    let mut events = open_events(server.address);

    let mut latencies = Vec::with_capacity(EDITS);
    for edit in 0..EDITS {
        let edited = original.replacen("title: '", &format!("title: 'Edit {edit} "), 1);
        let started = Instant::now();
        std::fs::write(&publication, edited).expect("edit the publication");
        wait_for_reload(&mut events);
        latencies.push(started.elapsed());
        // Let the watcher settle so that edits do not merge into one batch.
        std::thread::sleep(Duration::from_millis(150));
    }
    let _killed = server.child.kill();
    let _waited = server.child.wait();

    latencies.sort();
    let millis = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label}: edit to reload over {EDITS} edits: median {:.0} ms, min {:.0} ms, max {:.0} ms",
        millis(latencies[EDITS / 2]),
        millis(latencies[0]),
        millis(latencies[EDITS - 1]),
    );
}

struct Server {
    child: Child,
    address: SocketAddr,
}

fn start(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vita"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start vita serve");
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + TIMEOUT;
    while Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else {
            break;
        };
        if let Some(rest) = line.split("http://").nth(1) {
            let address = rest
                .split('/')
                .next()
                .unwrap_or_default()
                .parse()
                .expect("an address");
            // Drain the log so the server does not block on a full pipe.
            std::thread::spawn(move || lines.for_each(drop));
            return Server { child, address };
        }
    }
    let _killed = child.kill();
    let _waited = child.wait();
    panic!("vita serve did not start");
}

fn open_events(address: SocketAddr) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(TIMEOUT))
        .expect("set a timeout");
    stream
        .write_all(b"GET /__vita/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .expect("send the request");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while line.trim() != ": connected" {
        line.clear();
        reader.read_line(&mut line).expect("read the stream");
    }
    reader
}

fn wait_for_reload(events: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    loop {
        line.clear();
        let read = events.read_line(&mut line).expect("read the stream");
        assert!(read > 0, "the event stream closed");
        if line.trim() == "event: reload" {
            return;
        }
    }
}

fn first_publication(folder: &Path) -> std::path::PathBuf {
    let mut files: Vec<_> = walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "yaml"))
        .map(|entry| entry.into_path())
        .collect();
    files.sort();
    files.into_iter().next().expect("a publication file")
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create a folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}
