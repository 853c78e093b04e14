//! `kiosk-hub`: the central server the terminals sync with.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use kiosk_hub::{fleet, Store};

#[derive(Parser)]
#[command(
    name = "kiosk-hub",
    version,
    about = "Central server for self-service terminals"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (terminals, health at /healthz, Prometheus metrics at /metrics).
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// sqlite://PATH (created if missing) or postgres://USER@HOST/DB.
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
    },
    /// Create a one-time enrolment code for a terminal of a hall (good for 24 hours).
    Enroll {
        #[arg(long)]
        hall: String,
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
    },
    /// The service catalogue.
    Catalogue {
        #[command(subcommand)]
        command: CatalogueCommand,
    },
    /// List the enrolled terminals and whether they are online.
    Fleet {
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CatalogueCommand {
    /// Publish a catalogue file (the terminal's format, e.g. assets/catalogue.json) as the next version.
    Import {
        file: std::path::PathBuf,
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KIOSK_HUB_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .json()
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("kiosk-hub: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("kiosk-hub: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { listen, db } => {
            let store = Store::open(&db).await?;
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            tracing::info!(address = %listener.local_addr()?, "kiosk-hub serving");
            kiosk_hub::serve(listener, store, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Enroll { hall, db } => {
            let store = Store::open(&db).await?;
            let code = fleet::create_code(&store, &hall).await?;
            println!("{code}");
            eprintln!(
                "kiosk-hub: one-time code for a terminal of {hall:?}, good for 24 hours: on the terminal run \
                 `kiosk enroll --hub URL --code {code}`"
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Catalogue {
            command: CatalogueCommand::Import { file, db },
        } => {
            let json = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let store = Store::open(&db).await?;
            let version =
                kiosk_hub::catalogue::import(&store, &json, &file.display().to_string()).await?;
            println!("catalogue version {version} published");
            Ok(ExitCode::SUCCESS)
        }
        Command::Fleet { db, json } => {
            let store = Store::open(&db).await?;
            let fleet = fleet::listing(&store, kiosk_hub::store::now_ms()).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&fleet)?);
            } else {
                for t in &fleet {
                    println!(
                        "{:24} {:24} {:8} outbox {}",
                        t.device_id,
                        t.hall,
                        format!("{:?}", t.liveness).to_lowercase(),
                        t.outbox_depth
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
