//! `kiosk`: the terminal and its technicians' command line.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use kiosk::config::{self, Config};
use kiosk::domain::Lang;
use kiosk::ui::{self, shot, Startup};

#[derive(Parser)]
#[command(
    name = "kiosk",
    version,
    about = "Self-service terminal for 24-hour government service halls"
)]
struct Cli {
    /// Configuration file (default: $KIOSK_CONFIG, ./kiosk.toml, /etc/kiosk/kiosk.toml).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the terminal (the default): fullscreen, cursor hidden.
    Run {
        /// Open in a window instead (development).
        #[arg(long)]
        windowed: bool,
        /// Benchmark: open on the home screen, print the time to the first frame, exit.
        #[arg(long, hide = true)]
        bench_first_frame: bool,
    },
    /// Run the terminal in a window with every simulator available, no hardware needed.
    Demo,
    /// Work with the configuration.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Render a screen state to a PNG, headlessly.
    Shot {
        /// The preset to render (see --list).
        #[arg(long, default_value = "home")]
        screen: String,
        /// zh or en.
        #[arg(long, default_value = "zh")]
        lang: String,
        /// Elder mode (大字版).
        #[arg(long)]
        elder: bool,
        /// WIDTHxHEIGHT in pixels.
        #[arg(long, default_value = "1080x1920")]
        size: String,
        /// The PNG to write.
        #[arg(long, default_value = "shot.png")]
        out: PathBuf,
        /// List the presets and exit.
        #[arg(long)]
        list: bool,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Check the configuration: prints "ok", or every problem as FILE:LINE:COL: KEY: message (exit 2).
    Check,
}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KIOSK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli, started) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("kiosk: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn load(explicit: Option<&std::path::Path>) -> Result<Config, config::ConfigError> {
    config::locate(explicit).and_then(|path| Config::load(&path))
}

fn run(cli: Cli, started: std::time::Instant) -> anyhow::Result<ExitCode> {
    let command = cli.command.unwrap_or(Command::Run {
        windowed: false,
        bench_first_frame: false,
    });
    match command {
        Command::Run {
            windowed,
            bench_first_frame,
        } => {
            let config = load(cli.config.as_deref());
            if let Err(error) = &config {
                tracing::error!("configuration problems, starting out of service:\n{error}");
            }
            let mut startup = Startup::new(config, windowed);
            startup.first_frame_probe = bench_first_frame.then_some(started);
            ui::app::run(startup).context("the window failed")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo => {
            // The demo runs from the shipped configuration when there is one, else the same defaults.
            let config = match config::locate(cli.config.as_deref()) {
                Ok(path) => Config::load(&path),
                Err(_) => Ok(Config::default()),
            };
            ui::app::run(Startup::new(config, true)).context("the window failed")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Config {
            command: ConfigCommand::Check,
        } => match load(cli.config.as_deref()) {
            Ok(_) => {
                println!("ok");
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => {
                println!("{error}");
                Ok(ExitCode::from(2))
            }
        },
        Command::Shot {
            screen,
            lang,
            elder,
            size,
            out,
            list,
        } => {
            if list {
                for (name, what) in shot::PRESETS {
                    println!("{name:20} {what}");
                }
                return Ok(ExitCode::SUCCESS);
            }
            let lang =
                Lang::parse(&lang).with_context(|| format!("--lang \"{lang}\": use zh or en"))?;
            let size = shot::parse_size(&size).map_err(anyhow::Error::msg)?;
            let app = shot::preset(
                &screen,
                lang,
                elder,
                iced::Size::new(size.width as f32, size.height as f32),
            )
            .map_err(anyhow::Error::msg)?;
            let rgba = shot::render(&app, size);
            shot::save_png(&out, &rgba, size)
                .with_context(|| format!("cannot write {}", out.display()))?;
            println!("{}", out.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}
