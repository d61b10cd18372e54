//! `fieldledger-server`: serve the API, or manage people and places.

mod cli;

use anyhow::Context;
use clap::Parser;
use cli::{Cli, Command};
use fieldledger_server::config::Layer;
use fieldledger_server::server;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let file = match &cli.config {
        Some(path) => Layer::from_file(path)?,
        None => Layer::default(),
    };
    let base = file.then(Layer::from_env(std::env::vars())?);

    match cli.command {
        Command::Serve(args) => {
            let config = base.then(args.layer()).resolve()?;
            let running = fieldledger_server::start(config).await?;
            if let Some(fingerprint) = &running.fingerprint {
                println!(
                    "listening on {} (certificate SHA-256 {fingerprint})",
                    running.base_url()
                );
            } else {
                println!(
                    "listening on {} (plain HTTP, loopback only)",
                    running.base_url()
                );
            }
            tokio::select! {
                result = tokio::signal::ctrl_c() => result.context("waiting for Ctrl-C")?,
                result = running.wait() => result.context("server stopped")?,
            }
        }
        Command::Admin { store, command } => {
            let mut layer = base.then(store.layer());
            layer.dev.get_or_insert(true);
            let config = layer.resolve()?;
            let store = server::open_store(&config).await?;
            cli::admin(&store, command).await?;
        }
    }

    Ok(())
}
