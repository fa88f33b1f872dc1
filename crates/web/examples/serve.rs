//! `cargo run -p unrest-web --example serve -- [--demo] [--db URL] [--bind ADDR]`: the web
//! app without the CLI, for development and load runs.

fn main() -> anyhow::Result<()> {
    let mut config = unrest_web::ServeConfig::new("unrest.db");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--demo" => config.demo = true,
            "--db" => config.db = args.next().expect("--db URL"),
            "--bind" => config.bind = args.next().expect("--bind ADDR").parse()?,
            "--quiet" => config.access_log = unrest_web::AccessLog::Off,
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    unrest_web::serve(config)
}
