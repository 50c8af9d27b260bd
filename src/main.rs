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
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// The site folder, holding site.yaml and content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The folder to write the site into [default: <root>/output].
    #[arg(long)]
    output: Option<PathBuf>,
    /// The absolute URL the site is published at, replacing base_url from site.yaml.
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
            log::Level::Info => writeln!(out, "{}", record.args()),
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
                log::warn!("{}", strip_kind(warning));
            }
            log::info!(
                "Built {} pages ({} files) into {} in {:.2} s",
                report.pages,
                report.files,
                report.output.display(),
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
        Err(BuildError::Io(err)) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// Formats a warning without its "warning:" kind, which the logger adds itself.
fn strip_kind(diagnostic: &vita::diagnostics::Diagnostic) -> String {
    diagnostic.to_string().replacen(": warning: ", ": ", 1)
}
