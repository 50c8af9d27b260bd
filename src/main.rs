//! The `vita` command line: parses arguments, sets up logging and runs one subcommand.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use log::LevelFilter;
use vita::{BuildError, BuildOptions};

/// Static site generator for researcher profiles and their publications.
#[derive(Debug, Parser)]
#[command(name = "vita", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Build the site in memory, serve it on a local address and rebuild on changes.
    Serve(ServeArgs),
    /// Validate the content and the rendered pages without writing anything.
    Check(CheckArgs),
    /// Create a new site with one researcher and one publication.
    Init(InitArgs),
    /// Create a new researcher or publication file.
    #[command(subcommand)]
    New(NewCommand),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The site folder, holding site.yaml and content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The address to listen on; use 0.0.0.0 to accept connections from other machines.
    #[arg(long, default_value = "127.0.0.1")]
    interface: std::net::IpAddr,
    /// The port to listen on.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// The base URL whose path the preview serves the site under, replacing base_url.
    #[arg(long)]
    base_url: Option<String>,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    open: bool,
    /// Print per-phase timings.
    #[arg(short, long, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    verbose: u8,
    /// Print errors only.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The site folder, holding site.yaml and content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Exit with status 1 when there are warnings, not only errors.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// The folder to create the site in; it must be empty or not exist.
    #[arg(default_value = ".")]
    dir: PathBuf,
}

#[derive(Debug, Subcommand)]
enum NewCommand {
    /// Create content/researchers/<id>.yaml for a researcher.
    Researcher {
        /// The researcher's display name; the id is made from it.
        name: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create content/publications/<year>/<id>.yaml for a publication.
    Publication {
        /// The publication's title; the id is made from it.
        title: String,
        /// A researcher id or name of an author; repeat for each author, in order.
        #[arg(long = "author", required = true)]
        authors: Vec<String>,
        /// The publication year [default: the current year].
        #[arg(long)]
        year: Option<i32>,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// The site folder, holding site.yaml and content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The folder to write the site into [default: <root>/output].
    #[arg(long)]
    output: Option<PathBuf>,
    /// The URL (https://example.org/lab/) or path (/lab/) the site is published at,
    /// replacing base_url from site.yaml.
    #[arg(long)]
    base_url: Option<String>,
    /// Print per-phase timings (repeat for more detail).
    #[arg(short, long, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    verbose: u8,
    /// Print errors only.
    #[arg(short, long)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _printed = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build(args) => run_build(&args),
        Command::Serve(args) => run_serve(&args),
        Command::Check(args) => run_check(&args),
        Command::Init(args) => run_init(&args),
        Command::New(command) => run_new(&command),
    }
}

fn init_logging(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => LevelFilter::Error,
        (false, 0) => LevelFilter::Info,
        (false, 1) => LevelFilter::Debug,
        (false, _) => LevelFilter::Trace,
    };
    env_logger::Builder::new()
        .filter_level(LevelFilter::Warn)
        .filter_module("vita", level)
        .format(|out, record| match record.level() {
            _ if record.target() == vita::diagnostics::LOG_TARGET => {
                writeln!(out, "{}", record.args())
            }
            log::Level::Info => writeln!(out, "{}", record.args()),
            log::Level::Warn => writeln!(out, "warning: {}", record.args()),
            level => writeln!(out, "{}: {}", level.as_str().to_lowercase(), record.args()),
        })
        .parse_env("VITA_LOG")
        .init();
}

fn run_build(args: &BuildArgs) -> ExitCode {
    init_logging(args.verbose, args.quiet);
    let options = BuildOptions {
        root: args.root.clone(),
        output: args.output.clone(),
        base_url: args.base_url.clone(),
    };
    match vita::build(&options) {
        Ok(report) => {
            for warning in &report.warnings {
                vita::diagnostics::log(warning);
            }
            log::info!(
                "Built {} pages ({} files) into {} in {:.2} s",
                report.pages,
                report.files,
                report
                    .output
                    .strip_prefix(".")
                    .unwrap_or(&report.output)
                    .display(),
                report.elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(BuildError::Invalid(diagnostics)) => {
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            for diagnostic in &diagnostics {
                eprintln!("{diagnostic}");
            }
            eprintln!(
                "error: the build failed with {errors} error(s); the output folder was not changed"
            );
            ExitCode::from(1)
        }
        Err(BuildError::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(BuildError::Io(err)) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn run_serve(args: &ServeArgs) -> ExitCode {
    init_logging(args.verbose, args.quiet);
    let options = vita::serve::ServeOptions {
        root: args.root.clone(),
        interface: args.interface,
        port: args.port,
        base_url: args.base_url.clone(),
        open: args.open,
    };
    match vita::serve::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            // As for `vita build`, a --root that contains no site is a usage error.
            let usage = matches!(err.downcast_ref(), Some(BuildError::Usage(_)));
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

fn run_check(args: &CheckArgs) -> ExitCode {
    init_logging(0, false);
    let options = vita::check::CheckOptions {
        root: args.root.clone(),
    };
    let report = match vita::check::check(&options) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {err:#}");
            // As for `vita build`, a --root that is not a site folder is a usage error.
            let usage = matches!(err.downcast_ref(), Some(BuildError::Usage(_)));
            return ExitCode::from(if usage { 2 } else { 1 });
        }
    };
    for diagnostic in &report.diagnostics {
        eprintln!("{diagnostic}");
    }
    let (errors, warnings) = (report.errors(), report.warnings());
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    eprintln!(
        "{}: {errors} error(s), {warnings} warning(s)",
        if failed {
            "check failed"
        } else {
            "check passed"
        }
    );
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_init(args: &InitArgs) -> ExitCode {
    init_logging(0, false);
    report_failure(vita::scaffold::init(&args.dir).map(|files| {
        for file in files {
            log::info!("Created {}", file.display());
        }
        if args.dir == std::path::Path::new(".") {
            log::info!("Build the site with `vita build`");
        } else {
            log::info!(
                "Build the site with `vita build --root {}`",
                args.dir.display()
            );
        }
    }))
}

fn run_new(command: &NewCommand) -> ExitCode {
    init_logging(0, false);
    let result = match command {
        NewCommand::Researcher { name, root } => vita::scaffold::new_researcher(root, name),
        NewCommand::Publication {
            title,
            authors,
            year,
            root,
        } => {
            let request = vita::scaffold::NewPublication {
                title,
                authors,
                year: *year,
            };
            vita::scaffold::new_publication(root, &request)
        }
    };
    // A --root without a site is a usage error, with the exit status `vita build` uses.
    if let Err(err) = &result {
        if let Some(BuildError::Usage(message)) = err.downcast_ref::<BuildError>() {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    }
    report_failure(result.map(|file| log::info!("Created {}", file.display())))
}

/// Prints an error with its causes and maps the result to an exit code.
fn report_failure(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
