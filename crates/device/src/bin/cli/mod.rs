//! The command line: arguments, and one function per command.

mod records;
mod syncing;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use uuid::Uuid;

/// Errors the commands return; `main` prints them with their causes.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Parser)]
#[command(
    name = "fieldledger-device",
    version,
    about = "产业指导员台账：无界面的手机端"
)]
pub struct Args {
    /// The phone's data directory (store, keys, photos).
    #[arg(long)]
    pub data_dir: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Enroll with a server, from a QR link or an address and a code.
    Enroll(syncing::EnrollArgs),
    /// Households: add one, import a CSV file, list them.
    #[command(subcommand)]
    Household(records::HouseholdCommand),
    /// Visits: log one.
    #[command(subcommand)]
    Visit(records::VisitCommand),
    /// Photos: attach one to a visit.
    #[command(subcommand)]
    Photo(records::PhotoCommand),
    /// Sync now, or keep syncing in the background with --watch.
    Sync {
        #[arg(long)]
        watch: bool,
    },
    /// What waits, what was refused, what conflicts.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Save made-up visits for the households held, syncing after every
    /// `sync_every` of them; prints each visit id once it is saved.
    Simulate {
        #[arg(long, default_value_t = 10)]
        visits: usize,
        #[arg(long, default_value_t = 5)]
        sync_every: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The instructor the visits are by; the enrolled user's by default.
        #[arg(long)]
        instructor: Option<Uuid>,
    },
}

/// Runs one command.
pub async fn run(args: Args) -> Result<(), Error> {
    let dir = args.data_dir;
    match args.command {
        Command::Enroll(a) => syncing::enroll(&dir, a).await,
        Command::Household(c) => records::household(&dir, c),
        Command::Visit(c) => records::visit(&dir, c),
        Command::Photo(c) => records::photo(&dir, c),
        Command::Sync { watch } => syncing::sync(&dir, watch).await,
        Command::Status { json } => syncing::status(&dir, json),
        Command::Simulate {
            visits,
            sync_every,
            seed,
            instructor,
        } => syncing::simulate(&dir, visits, sync_every, seed, instructor).await,
    }
}
