//! `unrest`: the command line. Thin: it parses arguments, reads inputs and the clock, and
//! hands the work to the library crates. Exit status: 0 all went well, 1 some input was
//! rejected (the rest was processed), 2 the command could not run.

mod audit;
mod bench;
mod chat;
mod code;
mod corroborate;
mod dataset;
mod digest;
mod input;
mod keys;
mod sealed;
mod site;
mod web;

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
    /// Store reports in the database, code them, and store their events.
    Ingest(dataset::IngestArgs),
    /// List events of the dataset, filtered.
    Events(dataset::EventsArgs),
    /// Export the dataset (ACLED CSV, JSON lines or GeoJSON), streamed.
    Export(dataset::ExportArgs),
    /// Bring rows of an ACLED CSV file (current or older numeric header) into the dataset.
    ImportAcled(dataset::ImportAcledArgs),
    /// Bring a chat export in: every message a report, coded, known by chat and id.
    #[command(subcommand)]
    Import(chat::ImportCommand),
    /// Mark events published, by id or by the same filters as `events`.
    Publish(dataset::StatusArgs),
    /// Mark events verified.
    Verify(dataset::StatusArgs),
    /// Mark events rejected.
    Reject(dataset::StatusArgs),
    /// Group events of different reports that are one incident; count independent sources.
    Cluster(corroborate::ClusterArgs),
    /// Record that two events' incidents are one (an analyst's decision; survives re-coding).
    Merge(corroborate::MergeArgs),
    /// Record that an event is an incident of its own.
    Split(corroborate::SplitArgs),
    /// Record an incident's Admiralty grade (e.g. B2).
    Grade(corroborate::GradeArgs),
    /// Grade a reporting channel's reliability (A-F); its reports take the grade.
    GradeChannel(corroborate::GradeChannelArgs),
    /// Write the digest of a period: published incidents as Markdown, HTML or PDF.
    Digest(digest::DigestArgs),
    /// Verify or export the tamper-evident audit log.
    Audit(audit::AuditArgs),
    /// Make the organisation's sealing key (or with --sign its site signing key): prints the
    /// public key, writes the secret file.
    Keygen(keys::KeygenArgs),
    /// Open the sealed submissions of a server with the identity, into the local dataset.
    Unseal(sealed::UnsealArgs),
    /// Copy verified and published events to the server, without evidence or report names.
    Push(sealed::PushArgs),
    /// Build the public site as signed static files (a mirror), or verify a mirror.
    Site(site::SiteArgs),
    /// Serve the web app: anonymous submission, analyst review, the public map and API.
    Serve(web::ServeArgs),
    /// Manage analysts' and admins' accounts.
    #[command(subcommand)]
    User(web::UserCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(args) => code::run(args),
        Command::Keygen(args) => keys::keygen(args),
        Command::Unseal(args) => sealed::unseal(args),
        Command::Push(args) => sealed::push(args),
        Command::Serve(args) => web::serve(args),
        Command::Site(args) => site::run(args),
        Command::User(command) => web::user(command),
        Command::Bench(args) => code::bench(args),
        Command::Ingest(args) => dataset::ingest(args),
        Command::Events(args) => dataset::events(args),
        Command::Export(args) => dataset::export(args),
        Command::ImportAcled(args) => dataset::import_acled(args),
        Command::Import(command) => chat::run(command),
        Command::Publish(args) => dataset::publish(args),
        Command::Verify(args) => dataset::verify(args),
        Command::Reject(args) => dataset::reject(args),
        Command::Cluster(args) => corroborate::cluster(args),
        Command::Merge(args) => corroborate::merge(args),
        Command::Split(args) => corroborate::split(args),
        Command::Grade(args) => corroborate::grade(args),
        Command::GradeChannel(args) => corroborate::grade_channel(args),
        Command::Digest(args) => digest::run(args),
        Command::Audit(args) => audit::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("unrest: {e:#}");
            ExitCode::from(2)
        }
    }
}
