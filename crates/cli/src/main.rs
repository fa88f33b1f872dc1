//! `unrest`: the command line. Thin: it parses arguments, reads inputs and the clock, and
//! hands the work to the library crates. Exit status: 0 all went well, 1 some input was
//! rejected (the rest was processed), 2 the command could not run.

mod code;
mod input;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "unrest",
    version,
    about = "Field reports of protests and unrest in; a verified, geocoded, citable event dataset out."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code reports into ACLED-style events (CSV, JSON lines or GeoJSON on stdout).
    Code(code::CodeArgs),
    /// Measure coding throughput on a generated corpus of realistic reports.
    Bench(code::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(args) => code::run(args),
        Command::Bench(args) => code::bench(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("unrest: {e:#}");
            ExitCode::from(2)
        }
    }
}
