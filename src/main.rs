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
    /// The ID card reader: read a card, check the SAM, or simulate one.
    Reader {
        #[command(subcommand)]
        command: ReaderCommand,
    },
    /// The receipt printer: print a document or a sample, ask its status, or run a virtual one.
    Printer {
        #[command(subcommand)]
        command: PrinterCommand,
    },
    /// The document camera (高拍仪): keep the page under it as an application would.
    Camera {
        #[command(subcommand)]
        command: CameraCommand,
    },
    /// Enrol this terminal with the hub using a one-time code from its operator (`kiosk-hub enroll`); saves
    /// the credential where [hub] credential says.
    Enroll {
        /// The hub's URL, e.g. https://hub.example.gov.cn
        #[arg(long)]
        hub: String,
        /// The one-time code (e.g. K7QX-M2PD-9TRA).
        #[arg(long)]
        code: String,
    },
    /// Sync with the hub.
    Sync {
        #[command(subcommand)]
        command: SyncCommand,
    },
    /// Check a printed licence's verification code (the text of its QR), offline. Exit 0 valid, 1 invalid.
    Verify {
        /// The text the QR code holds (ZWFW1.…).
        text: String,
        /// The issuer's Ed25519 public key, 64 hex digits (default: the demo key).
        #[arg(long, value_name = "HEX")]
        key: Option<String>,
    },
    /// Check the configuration, each device, the hub, the clock against the hub, the database, disk space and
    /// the bundled font. Each check is ok, warn or fail, with the fix. Exit 0 all ok, 1 warnings, 2 failures.
    Doctor {
        /// Print JSON: {"status": …, "checks": [{"name", "status", "detail", "fix"}]}.
        #[arg(long)]
        json: bool,
    },
    /// List the serial ports with their USB vendor and product ids and a guess of what each is.
    Ports {
        #[arg(long)]
        json: bool,
    },
    /// Text entry's engines: deploy the pinyin schemas (the package's installation runs this).
    Input {
        #[command(subcommand)]
        command: InputCommand,
    },
    /// The technicians' PIN for service mode on the screen.
    Pin {
        #[command(subcommand)]
        command: PinCommand,
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
        /// Render every preset in zh, en and zh elder mode into this folder (NAME-zh.png, NAME-en.png,
        /// NAME-zh-elder.png), as `benches/shots.sh` compares them.
        #[arg(long, value_name = "DIR", conflicts_with_all = ["screen", "lang", "elder", "out", "list"])]
        all: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ReaderCommand {
    /// Wait for a card and print the identity (masked unless --unmasked).
    /// Exit 0 read, 3 no card within --wait, 4 reader or card fault (cause on stderr).
    Read {
        /// Serial port of the reader.
        #[arg(long, value_name = "PATH")]
        port: String,
        #[arg(long, default_value_t = 115_200)]
        baud: u32,
        /// Seconds to wait for a card.
        #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
        wait: f64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Show names, numbers and addresses whole.
        #[arg(long)]
        unmasked: bool,
    },
    /// Print the SAM module's id and status. Exit 0 ready, 4 otherwise.
    Status {
        #[arg(long, value_name = "PATH")]
        port: String,
        #[arg(long, default_value_t = 115_200)]
        baud: u32,
    },
    /// Play a SAM module with scripted cards on a new pty (prints its path) or on a serial port; reads
    /// commands from stdin: place LABEL | remove | fault SPEC | clear | list.
    Sim {
        /// Serve a new pty pair (the default).
        #[arg(long, conflicts_with = "port")]
        pty: bool,
        /// Serve this serial port instead.
        #[arg(long, value_name = "PATH")]
        port: Option<String>,
        /// Cards file (TOML); default: the bundled demo cards.
        #[arg(long, value_name = "FILE")]
        cards: Option<PathBuf>,
        /// Line speed to pace replies at.
        #[arg(long, default_value_t = 115_200)]
        baud: u32,
        /// Place this card at start.
        #[arg(long, value_name = "LABEL")]
        place: Option<String>,
    },
}

#[derive(Subcommand)]
enum CameraCommand {
    /// Take a frame, find the page on it, straighten and crop it to A4 and write it as the grayscale JPEG
    /// an application keeps. Exit 0 with the page written, 4 with the cause (no page, blurred, no camera).
    Capture {
        /// A V4L2 device (/dev/video0) or `sim` for the simulator (default: [camera] device).
        #[arg(long)]
        device: Option<String>,
        /// Also write the raw frame as a PNG (what the camera saw).
        #[arg(long, value_name = "PNG")]
        frame: Option<PathBuf>,
        /// The JPEG to write.
        #[arg(default_value = "page.jpg")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum PrinterCommand {
    /// Print a document; exit 0 only when the printer confirms, 4 with the cause on stderr otherwise.
    Print {
        /// tcp://HOST:PORT, serial:///dev/…?baud=N, usb://VID:PID or file://PATH.
        #[arg(long, value_name = "URL")]
        to: String,
        /// A document in the JSON form (see kiosk_proto::document).
        #[arg(long, value_name = "FILE.json", conflicts_with = "sample")]
        document: Option<PathBuf>,
        /// One of the samples: licence, receipt, ticket.
        #[arg(long)]
        sample: Option<String>,
        /// 58mm or 80mm.
        #[arg(long, default_value = "80mm")]
        profile: String,
        /// Record the job in this print journal (SQLite): claimed, sent, printed | failed | unknown.
        #[arg(long, value_name = "FILE")]
        journal: Option<PathBuf>,
    },
    /// Ask the printer how it is: online, paper (ok|near_end|out), cover, error. Exit 0 when it can print.
    Status {
        #[arg(long, value_name = "URL")]
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Draw a job file (ESC/POS bytes) as it would come out on paper.
    Render {
        #[arg(long = "in", value_name = "JOB.bin")]
        input: PathBuf,
        #[arg(long, value_name = "PNG")]
        out: PathBuf,
        /// 58mm or 80mm.
        #[arg(long, default_value = "80mm")]
        profile: String,
    },
    /// Run a virtual printer on TCP, or on a pty with --pty (prints its address for [printer] uri); stdin
    /// takes: paper ok|near|out, cover open|closed, online, offline, error, paper-runs-out N, drop N, hang N,
    /// jobs.
    Sim {
        #[arg(long, default_value = "127.0.0.1:9100")]
        listen: String,
        /// Serve a new pty pair (a serial printer) instead of TCP.
        #[arg(long, conflicts_with = "listen")]
        pty: bool,
        /// Write each job here as job-NNN.bin, job-NNN.txt (a decoded listing) and job-NNN.png (the paper).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The paper: 58mm or 80mm.
        #[arg(long, default_value = "80mm")]
        paper: String,
    },
}

#[derive(Subcommand)]
enum SyncCommand {
    /// The hub, whether this terminal is enrolled, when the hub last answered, the outbox, the applications
    /// waiting and the print journal.
    Status,
    /// The receipt of an application taken at this terminal (申报编号), as it was printed, for printing it
    /// again: `kiosk sync receipt SB… > r.json && kiosk printer print --to URL --document r.json`.
    Receipt {
        /// The application's 申报编号.
        number: String,
    },
}

#[derive(Subcommand)]
enum InputCommand {
    /// Build Rime's configuration for the terminal (exact and fuzzy pinyin, no user dictionary) into DIR
    /// with rime_deployer (default: [input] rime of kiosk.toml). The terminal only reads it.
    Deploy { dir: Option<std::path::PathBuf> },
}

#[derive(Subcommand)]
enum PinCommand {
    /// Set the service PIN (6 to 12 digits), read from the first line of standard input; only its argon2
    /// hash is written, to [service] pin_hash in kiosk.toml (the old file kept as kiosk.toml.bak).
    Set,
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Check the configuration: prints "ok", or every problem as FILE:LINE:COL: KEY: message (exit 2).
    Check,
}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    // Remote guidance draws the screen's picture headless with tiny-skia (whatever the window uses): chosen
    // here, before any thread starts.
    if std::env::var_os("ICED_TEST_BACKEND").is_none() {
        // SAFETY: the process has one thread yet.
        unsafe { std::env::set_var("ICED_TEST_BACKEND", "tiny-skia") };
    }
    // A box with no GPU (no DRM render node) would get wgpu on Mesa's software rasteriser: slower to start
    // (about 180 ms to the first frame against 50 ms on a 2-core box) and to draw than iced's own CPU
    // renderer. ICED_BACKEND set by hand still wins.
    if std::env::var_os("ICED_BACKEND").is_none() && !has_render_node() {
        // SAFETY: the process has one thread yet.
        unsafe { std::env::set_var("ICED_BACKEND", "tiny-skia") };
    }
    // Under cage, DISPLAY names its Xwayland too: wgpu's GL backend then opens EGL on X11 while the window
    // is a Wayland one, fails to configure the surface and ends the program (found by the boot test,
    // packaging/boot-test.sh). A Wayland session is used as one.
    if std::env::var_os("WAYLAND_DISPLAY").is_some() {
        // SAFETY: the process has one thread yet.
        unsafe { std::env::remove_var("DISPLAY") };
    }
    {
        use tracing_subscriber::layer::SubscriberExt;
        use tracing_subscriber::util::SubscriberInitExt;
        use tracing_subscriber::Layer;
        let level = || {
            tracing_subscriber::EnvFilter::try_from_env("KIOSK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"))
        };
        tracing_subscriber::registry()
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_filter(level()),
            )
            // The diagnostics screen's live log tail.
            .with(kiosk::maintenance::logtail::Tail.with_filter(level()))
            // A copy for the test run's scan of every log for ID numbers (scripts/scan-logs.py): the
            // terminal's own lines down to debug, whatever KIOSK_LOG says.
            .with(kiosk_proto::logcopy::file("kiosk").map(|file| {
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_writer(std::sync::Mutex::new(file))
                    .with_filter(tracing_subscriber::EnvFilter::new("info,kiosk=debug"))
            }))
            .init();
    }
    let cli = Cli::parse();
    match run(cli, started) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("kiosk: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Whether this machine has a GPU the window could draw with (a DRM render node, /dev/dri/renderD*).
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
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
            let path = config::locate(cli.config.as_deref());
            let config = path.clone().and_then(|path| Config::load(&path));
            if let Err(error) = &config {
                tracing::error!("configuration problems, starting out of service:\n{error}");
            }
            let mut startup = Startup::new(config, windowed);
            startup.config_path = path.ok();
            startup.first_frame_probe = bench_first_frame.then_some(started);
            startup.voice = !bench_first_frame;
            startup.input = ui::InputMode::Thread;
            ui::app::run(startup).context("the window failed")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo => run_demo(cli.config.as_deref()),
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
        Command::Reader { command } => reader(command),
        Command::Doctor { json } => {
            let report = kiosk::maintenance::doctor::run(config::locate(cli.config.as_deref()));
            if json {
                println!("{}", report.json());
            } else {
                print!("{}", report.text());
            }
            Ok(ExitCode::from(report.exit_code()))
        }
        Command::Ports { json } => {
            let ports = kiosk::maintenance::ports::list();
            if json {
                println!("{}", serde_json::to_string_pretty(&ports)?);
            } else if ports.is_empty() {
                println!("no serial ports found");
            } else {
                for port in ports {
                    let ids = match (&port.vid, &port.pid) {
                        (Some(vid), Some(pid)) => format!("{vid}:{pid}"),
                        _ => "-".into(),
                    };
                    let product = port.product.as_deref().unwrap_or("");
                    println!("{:20} {:10} {} {product}", port.path, ids, port.guess);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Input {
            command: InputCommand::Deploy { dir },
        } => {
            let dir = match dir {
                Some(dir) => dir,
                None => {
                    load(cli.config.as_deref())
                        .map_err(|e| anyhow::anyhow!("{e}"))?
                        .input
                        .rime
                }
            };
            let started = std::time::Instant::now();
            kiosk::input::deploy::deploy(&dir, std::path::Path::new(kiosk::input::SHARED))?;
            println!(
                "deployed {} and {} in {} ({} ms)",
                kiosk::input::deploy::EXACT,
                kiosk::input::deploy::FUZZY,
                dir.display(),
                started.elapsed().as_millis()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Pin {
            command: PinCommand::Set,
        } => {
            let path = config::locate(cli.config.as_deref()).map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut pin = String::new();
            std::io::stdin().read_line(&mut pin)?;
            let pin = zeroize::Zeroizing::new(pin.trim().to_string());
            kiosk::maintenance::pin::check_new(&pin).map_err(anyhow::Error::msg)?;
            let hash = kiosk_proto::secret::hash(&pin);
            match kiosk::maintenance::settings::save(
                &path,
                &[kiosk::maintenance::settings::Change::text(
                    "service", "pin_hash", hash,
                )],
            ) {
                Ok(saved) => {
                    // Recorded where the terminal keeps its records, once it has them.
                    let database = &saved.config.terminal.database;
                    if database.exists() {
                        kiosk::maintenance::audit(
                            database,
                            "pin_set",
                            serde_json::json!({"by": "kiosk pin set"}),
                        );
                    }
                    println!(
                        "service PIN set in {}{}",
                        path.display(),
                        saved
                            .backup
                            .map(|b| format!(" (the old file is {})", b.display()))
                            .unwrap_or_default()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => {
                    eprintln!("kiosk: the PIN was not set:\n{error}");
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::Enroll { hub, code } => {
            let config = load(cli.config.as_deref())
                .map_err(|e| anyhow::anyhow!("the configuration has problems:\n{e}"))?;
            match kiosk::sync::client::enroll(
                &hub,
                config.hub.ca.as_deref(),
                &code,
                &config.terminal.device_id,
                &config.hub.credential,
            ) {
                Ok(reply) => {
                    println!(
                        "enrolled {} in {}; credential saved to {}",
                        reply.device_id,
                        reply.hall,
                        config.hub.credential.display()
                    );
                    if config.hub.url.trim_end_matches('/') != hub.trim_end_matches('/') {
                        println!(
                            "set [hub] url = \"{hub}\" in kiosk.toml for the terminal to use it"
                        );
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => {
                    eprintln!("kiosk: {error}");
                    Ok(ExitCode::from(EXIT_FAULT))
                }
            }
        }
        Command::Sync {
            command: SyncCommand::Status,
        } => {
            let config = load(cli.config.as_deref())
                .map_err(|e| anyhow::anyhow!("the configuration has problems:\n{e}"))?;
            sync_status(&config)
        }
        Command::Sync {
            command: SyncCommand::Receipt { number },
        } => {
            let config = load(cli.config.as_deref())
                .map_err(|e| anyhow::anyhow!("the configuration has problems:\n{e}"))?;
            match kiosk::sync::applications::receipt(&config.terminal.database, &number)? {
                Some(receipt) => {
                    println!("{receipt}");
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    eprintln!("kiosk: no application {number} was taken at this terminal");
                    Ok(ExitCode::from(EXIT_FAULT))
                }
            }
        }
        Command::Printer { command } => printer(command, cli.config.as_deref()),
        Command::Camera {
            command: CameraCommand::Capture { device, frame, out },
        } => {
            let device = device.unwrap_or_else(|| {
                load(cli.config.as_deref())
                    .map(|c| c.camera.device)
                    .unwrap_or_else(|_| Config::default().camera.device)
            });
            camera_capture(&device, frame.as_deref(), &out)
        }
        Command::Verify { text, key } => {
            use kiosk::domain::verify::{parse_public_key, public_key_hex, Voucher};
            let key = match key {
                Some(hex) => parse_public_key(&hex).map_err(anyhow::Error::msg)?,
                None => {
                    let documents = configured_documents(cli.config.as_deref());
                    let key = documents.verifying_key().map_err(anyhow::Error::msg)?;
                    if documents.verify_key.is_none() {
                        eprintln!(
                            "kiosk: checking against the demo key {} (set [documents] verify_key, or give --key, for a real issuer)",
                            public_key_hex(&key)
                        );
                    }
                    key
                }
            };
            match Voucher::verify(&text, &key) {
                Ok(voucher) => {
                    println!("valid");
                    println!("document: {}", voucher.id);
                    println!("title: {}", voucher.title);
                    println!("issuer: {}", voucher.issuer);
                    println!("issued: {}", voucher.issued);
                    println!("valid until: {}", voucher.until);
                    for (key, value) in &voucher.fields {
                        println!("{key}: {value}");
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => {
                    println!("invalid: {error}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Shot {
            screen,
            lang,
            elder,
            size,
            out,
            list,
            all,
        } => {
            if let Some(dir) = all {
                let size = shot::parse_size(&size).map_err(anyhow::Error::msg)?;
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("cannot make {}", dir.display()))?;
                for (name, _) in shot::presets() {
                    for (lang, elder, tag) in [
                        (Lang::Zh, false, "zh"),
                        (Lang::En, false, "en"),
                        (Lang::Zh, true, "zh-elder"),
                    ] {
                        let app = shot::preset(
                            name,
                            lang,
                            elder,
                            iced::Size::new(size.width as f32, size.height as f32),
                        )
                        .map_err(anyhow::Error::msg)?;
                        let out = dir.join(format!("{name}-{tag}.png"));
                        shot::save_png(&out, &shot::render(&app, size), size)
                            .with_context(|| format!("cannot write {}", out.display()))?;
                    }
                }
                println!("{}", dir.display());
                return Ok(ExitCode::SUCCESS);
            }
            if list {
                for (name, what) in shot::presets() {
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

/// `kiosk demo`: the terminal in a window with every part simulated on this machine.
#[cfg(feature = "demo")]
fn run_demo(config_path: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    // The demo runs from the shipped configuration when there is one, else the same defaults.
    let located = config::locate(config_path).ok();
    let mut config = match &located {
        Some(path) => Config::load(path),
        None => Ok(Config::default()),
    };
    // The demo's parts: the hub in-process on SQLite (seeded with the Suzhou demo, the terminal
    // enrolled), the virtual printer on loopback, the reader simulator on a pty. Their files and the
    // printed jobs go to a temporary folder.
    let jobs = std::env::temp_dir().join(format!("kiosk-demo-jobs-{}", std::process::id()));
    std::fs::create_dir_all(&jobs)?;
    eprintln!(
        "demo: the hub's database, the terminal's and printed jobs go to {}",
        jobs.display()
    );
    let parts = kiosk::demo::DemoParts::start(&jobs, config.as_mut().ok(), true)
        .map_err(|e| anyhow::anyhow!("the demo's parts: {e}"))?;
    // Printing takes the time a kiosk's thermal printer takes.
    parts.printer.set_speed(Some(kiosk::demo::PRINT_SPEED));
    let (user, password) = kiosk::demo::STAFF;
    eprintln!(
        "demo: remote guidance: open {}/console in a browser and log in as {user} / {password}, then tap \
         呼叫工作人员 on the terminal",
        parts.hub.url()
    );
    // Settings changed in the demo's service mode go to a copy beside its other files (the shipped
    // file with the demo's parts in it), never to the shipped kiosk.toml; its service PIN is the demo's.
    let demo_config = jobs.join("kiosk.toml");
    if let Ok(config) = &mut config {
        let shipped = located
            .as_ref()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default();
        std::fs::write(&demo_config, shipped)?;
        let pin_hash = kiosk_proto::secret::hash(kiosk::demo::SERVICE_PIN);
        let mut changes = parts.config_changes(config);
        changes.push(kiosk::maintenance::settings::Change::text(
            "service", "pin_hash", &pin_hash,
        ));
        kiosk::maintenance::settings::save(&demo_config, &changes)
            .map_err(|e| anyhow::anyhow!("the demo's configuration: {e}"))?;
        config.service.pin_hash = Some(pin_hash);
    }
    eprintln!(
        "demo: service mode: hold the top-left corner of the start screen for 3 s, PIN {}",
        kiosk::demo::SERVICE_PIN
    );
    let mut startup = Startup::new(config, true);
    startup.config_path = Some(demo_config);
    startup.voice = true;
    startup.input = ui::InputMode::Thread;
    if let Some(settings) = &mut startup.hub {
        // Beats every few seconds, so that cutting the network shows at once.
        settings.interval = std::time::Duration::from_secs(5);
    }
    startup.reader = Some(kiosk::device::reader::ReaderSettings {
        port: parts.port.path().to_string(),
        baud: 115_200,
        poll: std::time::Duration::from_millis(300),
    });
    // The document camera's simulator, its faults on the demo panel.
    let camera = kiosk::device::camera::sim::SimCamera::new(Default::default());
    let camera_faults = camera.faults();
    startup.camera = Some(std::sync::Arc::new(std::sync::Mutex::new(Box::new(camera))));
    for (label, page) in &parts.phones {
        eprintln!("demo: the government app's code (亮码) of the card {label}'s holder: {page}");
    }
    // The code scanner's simulator: the panel holds the residents' app codes, a receipt and garbage to it.
    let scanner = kiosk::device::scanner::sim::ScannerSim::pty()
        .map_err(|e| anyhow::anyhow!("the demo's code scanner: {e}"))?;
    startup.scanner = Some(kiosk::device::scanner::ScannerSettings {
        port: scanner.path().to_string(),
        baud: 9600,
        quiet: kiosk::device::scanner::QUIET,
    });
    let receipt = parts
        .newest_case()
        .map(|case| format!("https://zwfw.suzhou.gov.cn/progress?case={case}"));
    startup.demo = Some(ui::demo::DemoRig {
        reader: parts.sim.clone(),
        printer: parts.printer.clone(),
        hub: Some(parts.network()),
        camera: Some(camera_faults),
        scanner: Some(std::sync::Arc::new(ui::demo::DemoScanner::new(
            scanner,
            parts.phones.clone(),
            receipt,
        ))),
    });
    ui::app::run(startup).context("the window failed")?;
    drop(parts);
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "demo"))]
fn run_demo(_: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    anyhow::bail!(
        "this build of kiosk has no demo (it is built without the `demo` feature, as the shipped package is): \
         run `cargo run --release -- demo` from the source tree"
    )
}

/// The exit status of a device command when the device (or the card, or the paper) is at fault.
const EXIT_FAULT: u8 = 4;

/// `EXIT_SUCCESS` when `ok`, else [`EXIT_FAULT`].
fn device_exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAULT)
    }
}

fn reader(command: ReaderCommand) -> anyhow::Result<ExitCode> {
    use kiosk::device::reader::{link::format_sam_id, report, sim, SamLink};
    match command {
        ReaderCommand::Read {
            port,
            baud,
            wait,
            json,
            unmasked,
        } => {
            let wait = std::time::Duration::try_from_secs_f64(wait)
                .context("--wait must be a number of seconds")?;
            let poll = std::time::Duration::from_millis(300);
            match report::read_once(&port, baud, wait, poll) {
                Ok(Some(identity)) => {
                    if json {
                        println!("{}", report::identity_json(&identity, unmasked));
                    } else {
                        print!("{}", report::identity_text(&identity, unmasked));
                    }
                    let today =
                        kiosk::domain::identity::CardDate::from(chrono::Local::now().date_naive());
                    if identity.is_expired(today) {
                        eprintln!("kiosk: note: this card expired on {}", identity.valid_to);
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Ok(None) => {
                    eprintln!("kiosk: no card on the reader at {port} within {wait:?}");
                    Ok(ExitCode::from(3))
                }
                Err(error) => {
                    eprintln!("kiosk: {error}");
                    Ok(ExitCode::from(EXIT_FAULT))
                }
            }
        }
        ReaderCommand::Status { port, baud } => {
            let result = SamLink::open(&port, baud)
                .map_err(anyhow::Error::from)
                .and_then(|mut link| {
                    let status = link.sam_status()?;
                    let reply = link.transact(kiosk::device::reader::frame::Command::SamId)?;
                    Ok((status, format_sam_id(&reply.data)))
                });
            match result {
                Ok((status, sam_id)) => {
                    println!("port: {port} at {baud} baud");
                    println!("sam_id: {}", sam_id.as_deref().unwrap_or("unavailable"));
                    println!("status: {}", status.meaning());
                    Ok(device_exit(
                        status == kiosk::device::reader::frame::Status::Success,
                    ))
                }
                Err(error) => {
                    eprintln!("kiosk: {error:#}");
                    Ok(ExitCode::from(EXIT_FAULT))
                }
            }
        }
        ReaderCommand::Sim {
            pty: _,
            port,
            cards,
            baud,
            place,
        } => {
            let cards = match cards {
                Some(path) => sim::load_cards(&path)?,
                None => sim::demo_cards(),
            };
            let control = sim::SimControl::new(cards);
            if let Some(label) = &place {
                control.place(label)?;
            }
            let served = match &port {
                Some(path) => sim::SimPort::on_port(control.clone(), path, baud)?,
                None => sim::SimPort::pty(control.clone(), baud)?,
            };
            println!("{}", served.path());
            eprintln!("{}", sim::CONSOLE_HELP);
            console(|line| control.command(line).map_err(|e| e.to_string()))
        }
    }
}

/// `kiosk camera capture`: one page through the pipeline an application uses.
fn camera_capture(
    device: &str,
    frame_out: Option<&std::path::Path>,
    out: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    use kiosk::device::camera;
    let mut camera = camera::open(device);
    let started = std::time::Instant::now();
    let frame = match camera.frame() {
        Ok(frame) => frame,
        Err(fault) => {
            eprintln!("kiosk: {fault}");
            return Ok(ExitCode::from(4));
        }
    };
    let framed = started.elapsed();
    if let Some(path) = frame_out {
        image::GrayImage::from_raw(frame.width, frame.height, frame.pixels.clone())
            .ok_or_else(|| anyhow::anyhow!("a frame of the wrong size"))?
            .save(path)?;
    }
    match camera::page::keep(&frame) {
        Ok(page) => {
            std::fs::write(out, &page.jpeg)?;
            println!(
                "{}: {} KB, A4 at 200 dpi ({}×{}); frame {:.0} ms, page {:.0} ms",
                out.display(),
                page.jpeg.len() / 1024,
                camera::A4_200DPI.0,
                camera::A4_200DPI.1,
                framed.as_secs_f64() * 1000.0,
                (started.elapsed() - framed).as_secs_f64() * 1000.0
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(problem) => {
            eprintln!("kiosk: {problem}");
            Ok(ExitCode::from(4))
        }
    }
}

/// `kiosk sync status`: what a technician needs to see of the terminal's link to its hub.
fn sync_status(config: &Config) -> anyhow::Result<ExitCode> {
    use kiosk::sync::state::SyncState;
    if config.hub.url.is_empty() {
        println!("hub: none ([hub] url is empty: the terminal runs stand-alone)");
        return Ok(ExitCode::SUCCESS);
    }
    println!("hub: {}", config.hub.url);
    let enrolled = config.hub.credential.exists();
    println!(
        "enrolled: {} (credential {})",
        if enrolled { "yes" } else { "no" },
        config.hub.credential.display()
    );
    let state = SyncState::open(&config.terminal.database)
        .with_context(|| format!("cannot open {}", config.terminal.database.display()))?;
    match state
        .get("last_contact_ms")?
        .and_then(|ms| ms.parse::<i64>().ok())
    {
        Some(ms) => {
            let at = chrono::DateTime::from_timestamp_millis(ms)
                .map(|t| {
                    t.with_timezone(&chrono::Local)
                        .format("%Y-%m-%d %H:%M:%S")
                        .to_string()
                })
                .unwrap_or_default();
            println!("last contact: {at}");
        }
        None => println!("last contact: never"),
    }
    for (key, label) in [
        ("hub_config_version", "hub config version"),
        ("hub_catalogue_version", "hub catalogue version"),
    ] {
        println!("{label}: {}", state.get(key)?.unwrap_or_else(|| "-".into()));
    }
    let outbox = kiosk::sync::outbox::Outbox::open(&config.terminal.database)?;
    println!("outbox: {} records waiting", outbox.depth()?);
    let [waiting, sent, refused] = kiosk::sync::applications::counts(&config.terminal.database)?;
    println!("applications: {waiting} waiting, {sent} sent, {refused} refused by the hub");
    let journal = kiosk::printing::journal::Journal::open(&config.terminal.database)?;
    let jobs = journal.jobs()?;
    let unknown = jobs
        .iter()
        .filter(|j| j.state == kiosk::printing::journal::JobState::Unknown)
        .count();
    println!("print journal: {} jobs, {unknown} unknown", jobs.len());
    Ok(if enrolled {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAULT)
    })
}

/// The document keys of the configuration when one is found and loads, else the demo keys (a command that
/// needs no configuration still runs without one).
fn configured_documents(explicit: Option<&std::path::Path>) -> config::DocumentsConfig {
    match load(explicit) {
        Ok(config) => config.documents,
        Err(_) => Config::default().documents,
    }
}

fn printer(command: PrinterCommand, config: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    use kiosk::device::printer::transport::{print_job, Connection, JobOutcome, Target};
    use kiosk::device::printer::virtual_printer::VirtualPrinter;
    use kiosk::device::printer::{encode, Profile};
    use kiosk::domain::document::{sample_signed, Document, DocumentKind};
    match command {
        PrinterCommand::Print {
            to,
            document,
            sample: sample_name,
            profile,
            journal,
        } => {
            let target = Target::parse(&to)?;
            let profile = Profile::named(&profile)
                .with_context(|| format!("--profile {profile:?}: use 58mm or 80mm"))?;
            let document = match (document, sample_name.as_deref()) {
                (Some(path), None) => {
                    let json = std::fs::read_to_string(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    Document::from_json(&json).with_context(|| path.display().to_string())?
                }
                (None, Some(name)) => {
                    let kind = match name {
                        "licence" => DocumentKind::Licence,
                        "receipt" => DocumentKind::Receipt,
                        "ticket" => DocumentKind::Ticket,
                        other => {
                            anyhow::bail!("--sample {other:?}: use licence, receipt or ticket")
                        }
                    };
                    sample_signed(
                        kind,
                        &configured_documents(config)
                            .signing_key()
                            .map_err(anyhow::Error::msg)?,
                    )
                }
                _ => anyhow::bail!("give --document FILE.json or --sample licence|receipt|ticket"),
            };
            let bytes = encode::render(&document, &profile)?;
            let result = match &journal {
                Some(path) => {
                    let journal = kiosk::printing::journal::Journal::open(path)?;
                    let recorded = kiosk::printing::job::print_recorded(
                        &journal, &target, &document, &bytes, None,
                    )?;
                    eprintln!(
                        "kiosk: journal job {} is {:?}",
                        recorded.job, recorded.state
                    );
                    recorded.result
                }
                None => print_job(&target, &bytes),
            };
            match result {
                Ok(JobOutcome::Printed) => {
                    println!(
                        "printed {} ({} bytes) on {target}",
                        document.id,
                        bytes.len()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Ok(JobOutcome::Written) => {
                    println!("wrote {} ({} bytes) to {target}", document.id, bytes.len());
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => {
                    eprintln!("kiosk: not printed: {error}");
                    Ok(ExitCode::from(EXIT_FAULT))
                }
            }
        }
        PrinterCommand::Status { to, json } => {
            let target = Target::parse(&to)?;
            let state = Connection::open(&target, std::time::Duration::from_secs(3))
                .and_then(|mut connection| connection.status());
            match state {
                Ok(Some(state)) => {
                    if json {
                        println!("{}", serde_json::to_string(&state)?);
                    } else {
                        println!(
                            "online: {}\npaper: {}\ncover: {}\nerror: {}",
                            state.online,
                            serde_json::to_value(state.paper)?.as_str().unwrap_or("?"),
                            if state.cover_open { "open" } else { "closed" },
                            state.error
                        );
                    }
                    Ok(device_exit(state.can_print()))
                }
                Ok(None) => {
                    eprintln!("kiosk: {target} cannot report a status");
                    Ok(ExitCode::from(EXIT_FAULT))
                }
                Err(error) => {
                    eprintln!("kiosk: {error}");
                    Ok(ExitCode::from(EXIT_FAULT))
                }
            }
        }
        PrinterCommand::Render {
            input,
            out,
            profile,
        } => {
            let profile = Profile::named(&profile)
                .with_context(|| format!("--profile {profile:?}: use 58mm or 80mm"))?;
            let bytes = std::fs::read(&input)
                .with_context(|| format!("cannot read {}", input.display()))?;
            let paper = kiosk::device::printer::paper::render(&bytes, profile.dots);
            std::fs::write(&out, paper.png())
                .with_context(|| format!("cannot write {}", out.display()))?;
            println!("{}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        PrinterCommand::Sim {
            listen,
            pty,
            out,
            paper,
        } => {
            let paper = Profile::named(&paper)
                .with_context(|| format!("--paper {paper:?}: use 58mm or 80mm"))?;
            if let Some(dir) = &out {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            let printer = if pty {
                VirtualPrinter::pty(out).context("cannot open a pty pair")?
            } else {
                VirtualPrinter::start(&listen, out)
                    .with_context(|| format!("cannot listen on {listen}"))?
            };
            printer.set_paper_dots(paper.dots);
            println!("{}", printer.uri());
            console(|line| printer.command(line))
        }
    }
}

/// A simulator's console: runs each stdin line through `run` and prints what it said. When stdin closes (run
/// in the background) the simulator keeps serving until it is killed.
fn console(run: impl Fn(&str) -> Result<String, String>) -> anyhow::Result<ExitCode> {
    use std::io::{BufRead, Write};
    for line in std::io::stdin().lock().lines() {
        match run(&line?) {
            Ok(said) if !said.is_empty() => println!("{said}"),
            Ok(_) => {}
            Err(error) => println!("error: {error}"),
        }
        std::io::stdout().flush()?;
    }
    loop {
        std::thread::park();
    }
}
