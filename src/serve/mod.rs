//! `vita serve`: builds the site in memory, serves it on a local address, and
//! rebuilds what a change affects when a content, theme or settings file changes.

mod http;
mod rebuild;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};

pub use http::{EVENTS_PATH, Resolved, SiteState};
use rebuild::Preview;

/// How long the watcher waits for a burst of file events to settle before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// Options of `vita serve`: the site folder, the address and the base URL.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder, holding `site.yaml` and `content/`.
    pub root: PathBuf,
    /// The address to listen on; loopback unless the user chooses otherwise.
    pub interface: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Replaces `base_url` from `site.yaml`; only its path matters for the preview.
    pub base_url: Option<String>,
    /// Opens the site in the default browser once it is served.
    pub open: bool,
}

/// Serves the site until the process is interrupted.
pub fn serve(options: &ServeOptions) -> Result<()> {
    let build_options = crate::BuildOptions {
        root: options.root.clone(),
        output: None,
        base_url: options.base_url.clone(),
    };
    crate::build::check_options(&build_options)?;
    let address = SocketAddr::new(options.interface, options.port);
    let server = tiny_http::Server::http(address)
        .map_err(|err| anyhow!("cannot listen on {address}: {err}; choose another --port"))?;
    let bound = server
        .server_addr()
        .to_ip()
        .context("the server is not listening on an IP address")?;

    let mut preview = Preview::new(options.root.clone(), options.base_url.clone(), bound)?;
    let shared = preview.shared();
    preview.rebuild_all();
    let url = preview.site_url();
    log::info!("Serving the site at {url}; press Ctrl-C to stop");
    if options.open {
        if let Err(err) = opener::open_browser(&url) {
            log::warn!("could not open a browser: {err}");
        }
    }

    ctrlc::set_handler(|| {
        log::info!("Stopped");
        std::process::exit(0);
    })
    .context("cannot install the Ctrl-C handler")?;

    let _watcher = rebuild::watch(preview, DEBOUNCE)?;
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || http::handle(request, &shared));
    }
    Ok(())
}
