//! `unrest serve` and `unrest user add`: the web app and its accounts. The app itself lives
//! in `unrest-web`; this module reads the flags and, for a password, the terminal.

use crate::dataset::DbArgs;
use anyhow::{Context, Result};
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: std::net::SocketAddr,
    /// Fill an empty dataset with sample reports, coded and published (prints a demo login).
    #[arg(long)]
    pub demo: bool,
    /// Tile server URL template (off by default: third-party tiles leak who looks at the map).
    #[arg(long, value_name = "URL")]
    pub tiles: Option<String>,
    /// Mark the session cookie Secure (when served over HTTPS).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Sealed mode: encrypt every submission on arrival to this age public key (`age1…`,
    /// from `unrest keygen`) and store only the ciphertext. Default: $UNREST_SEAL_TO.
    #[arg(long, value_name = "AGE_PUBLIC_KEY")]
    pub seal_to: Option<String>,
    /// With --seal-to: keep each photo's original (with its metadata) inside the seal, as
    /// evidence, beside the scrubbed copy. Never kept without --seal-to.
    #[arg(long)]
    pub keep_originals: bool,
    /// Submissions per client: N/MINUTES.
    #[arg(long, value_name = "N/MINUTES", default_value = "10/10", value_parser = parse_rate)]
    pub submit_limit: unrest_web::RateLimit,
    /// Login attempts per client: N/MINUTES (beside the per-account back-off).
    #[arg(long, value_name = "N/MINUTES", default_value = "20/10", value_parser = parse_rate)]
    pub login_limit: unrest_web::RateLimit,
    /// Submissions handled at once; more wait a moment, then are answered "busy, retry".
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub in_flight: usize,
    /// A reverse proxy (or the local Tor daemon) whose requests carry no client address of
    /// their own; repeat for several. See --client-header and SECURITY.md.
    #[arg(long, value_name = "ADDR")]
    pub trusted_proxy: Vec<std::net::IpAddr>,
    /// The header in which a --trusted-proxy names the client (X-Forwarded-For,
    /// X-Real-IP…). Without it (an onion service) requests from the proxy have no client
    /// address and only the per-form limit and the in-flight bounds apply to them.
    #[arg(long, value_name = "NAME", requires = "trusted_proxy")]
    pub client_header: Option<String>,
    /// Open connections at most; more wait in the listen backlog.
    #[arg(long, value_name = "N", default_value_t = 512)]
    pub max_connections: usize,
    /// Serve only the public site and API (e.g. from a streaming replica or through a
    /// read-only role); submissions, logins and review are refused with a page saying so.
    #[arg(long)]
    pub read_only: bool,
}

/// `10/10` → 10 per 10 minutes.
fn parse_rate(s: &str) -> Result<unrest_web::RateLimit, String> {
    let (n, minutes) = s
        .split_once('/')
        .ok_or_else(|| format!("{s:?}: expected N/MINUTES, e.g. 10/10"))?;
    let n: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("{n:?} is not a count"))?;
    let minutes: u64 = minutes
        .trim()
        .parse()
        .map_err(|_| format!("{minutes:?} is not a number of minutes"))?;
    if n == 0 || minutes == 0 {
        return Err("both numbers must be at least 1".into());
    }
    Ok(unrest_web::RateLimit::per_minutes(n, minutes))
}

/// The environment variable read when `--seal-to` is not given.
pub const SEAL_TO_ENV: &str = "UNREST_SEAL_TO";

#[derive(clap::Subcommand)]
pub enum UserCommand {
    /// Add an analyst or admin (password from the terminal, or one line of stdin when piped).
    Add {
        name: String,
        #[arg(long, value_parser = ["analyst", "admin"])]
        role: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub fn serve(args: ServeArgs) -> Result<ExitCode> {
    let mut config = unrest_web::ServeConfig::new(args.db.url());
    config.bind = args.bind;
    config.demo = args.demo;
    config.tile_url = args.tiles;
    config.secure_cookies = args.secure_cookies;
    config.keep_originals = args.keep_originals;
    config.submit_limit = args.submit_limit;
    config.login_limit = args.login_limit;
    config.submissions_in_flight = args.in_flight.max(1);
    config.trusted_proxy = unrest_web::TrustedProxy {
        header: args
            .client_header
            .as_deref()
            .map(|h| h.trim().parse())
            .transpose()
            .context("--client-header: not a header name")?,
        proxies: args.trusted_proxy,
    };
    config.slow_clients.max_connections = args.max_connections.max(1);
    config.read_only = args.read_only;
    let seal_to = args.seal_to.or_else(|| {
        std::env::var(SEAL_TO_ENV)
            .ok()
            .filter(|s| !s.trim().is_empty())
    });
    if let Some(key) = seal_to {
        // A server that should be sealed must never start open by mistake.
        let recipient = unrest_seal::parse_recipient(&key)
            .context("--seal-to (or $UNREST_SEAL_TO): refusing to start")?;
        config.seal_to = Some(recipient);
    } else if args.keep_originals {
        anyhow::bail!("--keep-originals needs --seal-to: an open server never keeps an original");
    }
    unrest_web::serve(config)?;
    Ok(ExitCode::SUCCESS)
}

pub fn user(command: UserCommand) -> Result<ExitCode> {
    match command {
        UserCommand::Add { name, role, db } => {
            let password = if std::io::stdin().is_terminal() {
                let first = rpassword::prompt_password("Password: ")?;
                anyhow::ensure!(
                    first == rpassword::prompt_password("Again: ")?,
                    "the passwords differ"
                );
                first
            } else {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                line.trim_end_matches(['\r', '\n']).to_string()
            };
            unrest_web::add_user(&db.url(), &name, &role, &password)?;
            eprintln!("unrest: user {name} ({role}) saved");
            Ok(ExitCode::SUCCESS)
        }
    }
}
