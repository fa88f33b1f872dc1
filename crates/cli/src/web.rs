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
