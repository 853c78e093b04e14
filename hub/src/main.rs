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
        /// Serve over TLS with this PEM certificate chain (the hub's first), e.g. from `tls init`.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<std::path::PathBuf>,
        /// The certificate's PEM private key.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<std::path::PathBuf>,
        /// Days an ended case's material pages are kept (swept every hour; 0 keeps them for ever).
        #[arg(long, default_value_t = kiosk_hub::privacy::DEFAULT_KEEP_DAYS)]
        keep_materials_days: u32,
    },
    /// TLS certificates for a hall network without a public CA.
    Tls {
        #[command(subcommand)]
        command: TlsCommand,
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
    /// Lay down demo data: the Suzhou demo's catalogue, announcements, cases and documents.
    Seed {
        /// The Suzhou demo (the only seed there is; required so that a seed is never laid by accident).
        #[arg(long, required = true)]
        demo: bool,
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
    },
    /// Queue a command for a terminal's next heartbeat: out_of_service, in_service, refresh_catalogue,
    /// refresh_keys, restart, screenshot or log (the answer shows in the console's 运维 tab).
    #[command(name = "command")]
    Queue {
        device: String,
        command: String,
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
    },
    /// Print the hub's public key (what `kiosk verify --key` and terminals check signatures with), or
    /// `keys rotate`: sign with a new key from the next start (the old one still checks what it signed).
    Keys {
        /// Also after `rotate` (`keys rotate --db …`).
        #[arg(long, default_value = "sqlite://hub.db", global = true)]
        db: String,
        #[command(subcommand)]
        command: Option<KeysCommand>,
    },
    /// Simulated terminals against a hub: throughput and latency percentiles.
    Loadgen {
        #[command(flatten)]
        plan: kiosk_hub::loadgen::Plan,
        /// The hub's database: the terminals are enrolled into it. Without --hub a hub is served on it
        /// in this process; default a fresh SQLite file in a temporary folder.
        #[arg(long)]
        db: Option<String>,
        /// A running hub (`kiosk-hub serve`) on the same --db to drive instead.
        #[arg(long, requires = "db")]
        hub: Option<String>,
    },
    /// Staff accounts of the console (`/console`): guides, reviewers, operators and admins.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// A terminal's credential: rotate it (the terminal takes a new one at its next beat, no enrolment)
    /// or revoke it (refused by every hub process within seconds).
    Credential {
        #[command(subcommand)]
        command: CredentialCommand,
    },
    /// The audit trail (a hash chain): verify it, or show its newest records.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Personal data (PIPL): delete materials past their retention now; export or erase one person's
    /// records (the ID number is read from standard input, never from the command line).
    Privacy {
        #[command(subcommand)]
        command: PrivacyCommand,
    },
    /// 亮码: add a citizen's account on the phone page that stands in for the government app (the ID
    /// number is read from standard input); prints the page's address, which shows the person's dynamic
    /// sign-in code. An earlier account of the same person stops working.
    Citizen {
        #[command(subcommand)]
        command: CitizenCommand,
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
enum StaffCommand {
    /// Add a staff member (or change their name, number or password). The password is read from the
    /// first line of standard input, never from the command line; only its argon2 hash is kept.
    Add {
        /// The login name (letters, digits, '.', '_', '-').
        username: String,
        /// The name citizens see on the terminal's banner, e.g. 张丽.
        #[arg(long)]
        name: String,
        /// The staff number citizens see, e.g. 0123.
        #[arg(long)]
        number: String,
        /// What they may do: guide (remote guidance), reviewer (decides the applications of the
        /// departments named), admin (both, every department).
        #[arg(long, value_enum, default_value = "guide")]
        role: kiosk_hub::staff::Role,
        /// A department a reviewer decides for, as the catalogue names it (e.g. 苏州市公安局); repeat it
        /// for several.
        #[arg(long = "department")]
        departments: Vec<String>,
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Make a new signing key; the old one's public half stays listed at /v1/keys, and every terminal is
    /// asked to fetch the keys again. Restart every hub process afterwards.
    Rotate,
}

#[derive(Subcommand)]
enum CredentialCommand {
    /// Queue `rotate_credential` for the terminal's next heartbeat: it takes a new credential and the old
    /// one is refused once the new one is used.
    Rotate {
        device: String,
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
    },
    /// Refuse the terminal's credential from now (a stolen terminal or disk); enrol it again to bring it back.
    Revoke {
        device: String,
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
    },
}

#[derive(Subcommand)]
enum TlsCommand {
    /// Make a private CA and the hub's certificate signed by it (ca.pem, ca.key, hub.pem, hub.key).
    Init {
        /// Where to write them (created if missing).
        #[arg(long, default_value = "/etc/kiosk-hub/tls")]
        dir: std::path::PathBuf,
        /// A name terminals reach the hub by: a host name or an IP address (repeat for several).
        #[arg(long = "name", required = true)]
        names: Vec<String>,
        /// The CA's name as certificates show it.
        #[arg(long, default_value = "kiosk hall CA")]
        ca_name: String,
    },
}

#[derive(Subcommand)]
enum CitizenCommand {
    /// Add (or replace) the account of the person whose ID number is on standard input.
    Add {
        /// The name the code shows and carries, as registered.
        #[arg(long)]
        name: String,
        /// The hub's address as phones reach it, to print the page's whole address.
        #[arg(long, default_value = "")]
        public_url: String,
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
    },
}

#[derive(Subcommand)]
enum PrivacyCommand {
    /// Delete the material pages of cases that ended more than --keep-materials-days days ago (0 keeps
    /// them for ever).
    Sweep {
        #[arg(long, default_value_t = kiosk_hub::privacy::DEFAULT_KEEP_DAYS)]
        keep_materials_days: u32,
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
    },
    /// Everything the hub holds about the person whose ID number is on standard input, as JSON on
    /// standard output; with --pages DIR their material pages are written there as files too.
    Export {
        #[arg(long)]
        pages: Option<std::path::PathBuf>,
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
    },
    /// Delete what the hub collected from the person whose ID number is on standard input (applications,
    /// supplements, material pages, ratings) and unlink their cases from the number; refused while a case
    /// of theirs is still being handled. Needs --yes.
    Erase {
        #[arg(long)]
        yes: bool,
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every record's link and hash and the chain's head: exit 0 when intact, 1 with the first
    /// record that was changed or removed. Prints the head (note it elsewhere: a later verify that ends on
    /// another hash at the same number means the chain was rewritten whole).
    Verify {
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
        #[arg(long)]
        json: bool,
    },
    /// The newest records, newest first.
    Show {
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long, default_value = "sqlite://hub.db")]
        db: String,
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
    {
        use tracing_subscriber::layer::SubscriberExt;
        use tracing_subscriber::util::SubscriberInitExt;
        // A copy for the test run's scan of every log for ID numbers (kiosk_proto::logcopy).
        let copy = kiosk_proto::logcopy::file("kiosk-hub");
        use tracing_subscriber::Layer;
        tracing_subscriber::registry()
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_writer(std::io::stderr)
                    .with_filter(
                        tracing_subscriber::EnvFilter::try_from_env("KIOSK_HUB_LOG")
                            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
                    ),
            )
            // The hub's own lines down to debug, whatever KIOSK_HUB_LOG says.
            .with(copy.map(|file| {
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_writer(std::sync::Mutex::new(file))
                    .with_filter(tracing_subscriber::EnvFilter::new("info,kiosk_hub=debug"))
            }))
            .init();
    }
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
        Command::Serve {
            listen,
            db,
            tls_cert,
            tls_key,
            keep_materials_days,
        } => {
            // Read before anything listens: a wrong file is said at once, with which.
            let tls = match (&tls_cert, &tls_key) {
                (Some(cert), Some(key)) => Some(kiosk_hub::tls::server_config(cert, key)?),
                _ => None,
            };
            let store = Store::open(&db).await?;
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            let address = listener.local_addr()?;
            let sweeper = tokio::spawn(sweep_forever(store.clone(), keep_materials_days));
            match tls {
                Some(tls) => {
                    tracing::info!(%address, "kiosk-hub serving over TLS");
                    kiosk_hub::serve_tls(listener, tls, store, stopped()).await?
                }
                None => {
                    tracing::info!(%address, "kiosk-hub serving (plain HTTP: use --tls-cert and --tls-key off loopback)");
                    kiosk_hub::serve(listener, store, stopped()).await?
                }
            }
            sweeper.abort();
            Ok(ExitCode::SUCCESS)
        }
        Command::Tls {
            command:
                TlsCommand::Init {
                    dir,
                    names,
                    ca_name,
                },
        } => {
            let issued = kiosk_hub::tls::init(&dir, &names, &ca_name)?;
            println!(
                "the hall's CA: {} (copy it to every terminal and set [hub] ca to its path)\n\
                 the CA's key: {} (keep it off the hub, somewhere safe)\n\
                 the hub's certificate and key: kiosk-hub serve --tls-cert {} --tls-key {}",
                issued.ca.display(),
                issued.ca_key.display(),
                issued.cert.display(),
                issued.key.display()
            );
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
        Command::Seed { demo: _, db } => {
            let store = Store::open(&db).await?;
            let seeded = kiosk_hub::seed::demo(&store).await?;
            match seeded.catalogue_version {
                Some(version) => println!("catalogue version {version} published"),
                None => println!("catalogue kept (one is published already)"),
            }
            println!(
                "{} cases and {} documents for {} demo card holders",
                seeded.cases, seeded.documents, seeded.holders
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Staff {
            command:
                StaffCommand::Add {
                    username,
                    name,
                    number,
                    role,
                    departments,
                    db,
                },
        } => {
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprintln!("password for {username} (at least 8 characters), then Enter:");
            }
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let store = Store::open(&db).await?;
            kiosk_hub::staff::save(
                &store,
                "kiosk-hub staff add (command line)",
                &username,
                (&name, &number),
                Some(password),
                role,
                &departments,
            )
            .await?;
            println!(
                "staff {username} ({name}, {number}, {}) can log in at /console",
                role.name()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Queue {
            device,
            command,
            db,
        } => {
            let store = Store::open(&db).await?;
            kiosk_hub::remote::queue(
                &store,
                &device,
                &command,
                "kiosk-hub command (command line)",
            )
            .await?;
            println!("{command} queued for {device}: it goes with the terminal's next heartbeat");
            Ok(ExitCode::SUCCESS)
        }
        Command::Keys {
            command: Some(KeysCommand::Rotate),
            db,
        } => {
            let store = Store::open(&db).await?;
            let rotated =
                kiosk_hub::keys::rotate(&store, "kiosk-hub keys rotate (command line)").await?;
            println!(
                "new signing key {} (the old one, {}, still checks what it signed);\n\
                 {} terminals fetch the keys at their next heartbeat;\n\
                 restart every hub process now: each signs with the key it read when it started",
                rotated.new, rotated.old, rotated.terminals
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Keys { db, command: None } => {
            let store = Store::open(&db).await?;
            println!(
                "{}",
                kiosk_proto::verify::public_key_hex(&store.signing_key().verifying_key())
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Loadgen { plan, db, hub } => {
            let temporary = tempfile::tempdir()?;
            let db = db.unwrap_or_else(|| {
                format!("sqlite://{}", temporary.path().join("hub.db").display())
            });
            let store = Store::open(&db).await?;
            let (base, server) = match hub {
                Some(url) => (url, None),
                None => {
                    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
                    let base = format!("http://{}", listener.local_addr()?);
                    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
                    let served = tokio::spawn(kiosk_hub::serve(listener, store.clone(), async {
                        let _ = stopped.await;
                    }));
                    (base, Some((stop, served)))
                }
            };
            eprintln!(
                "loadgen: {} terminals against {base} ({}), {}",
                plan.kiosks,
                store_kind(&db),
                if plan.applications > 0.0 {
                    format!(
                        "{} applications/s with three 150 KB pages each and {} reviewer reads/s for {:?}",
                        plan.applications, plan.reviews, plan.duration
                    )
                } else if plan.ceiling.is_empty() {
                    format!(
                        "beating every {:?} ± 20 % for {:?}, {} business calls/s",
                        plan.interval, plan.duration, plan.business
                    )
                } else {
                    format!("ceiling steps {:?}/s of {:?} each", plan.ceiling, plan.step)
                }
            );
            let figures = kiosk_hub::loadgen::run(&store, &base, &plan).await?;
            for f in &figures {
                println!("{f}");
            }
            if !plan.ceiling.is_empty() {
                let ceiling = figures
                    .iter()
                    .take_while(|f| f.p99_ms <= kiosk_hub::loadgen::P99_GOAL.as_secs_f64() * 1000.0)
                    .last();
                match ceiling {
                    Some(f) => println!(
                        "ceiling: {:.0} heartbeats/s with p99 {:.2} ms (the last step under 50 ms)",
                        f.per_second, f.p99_ms
                    ),
                    None => println!("ceiling: below the first step (p99 over 50 ms already)"),
                }
            }
            if let Some((stop, served)) = server {
                let _ = stop.send(());
                let _ = served.await;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Credential {
            command: CredentialCommand::Rotate { device, db },
        } => {
            let store = Store::open(&db).await?;
            kiosk_hub::remote::queue(
                &store,
                &device,
                "rotate_credential",
                "kiosk-hub credential rotate (command line)",
            )
            .await?;
            println!("{device} takes a new credential at its next heartbeat; the old one is refused once it is used");
            Ok(ExitCode::SUCCESS)
        }
        Command::Credential {
            command: CredentialCommand::Revoke { device, db },
        } => {
            let store = Store::open(&db).await?;
            kiosk_hub::fleet::revoke_credential(
                &store,
                &device,
                "kiosk-hub credential revoke (command line)",
            )
            .await?;
            println!(
                "{device}'s credential is refused from now (by every hub process within {} s); \
                 enrol it again to bring it back",
                2 * kiosk_hub::fleet::CREDENTIAL_TTL.as_secs()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::Verify { db, json },
        } => {
            let store = Store::open(&db).await?;
            let verdict = kiosk_hub::audit::verify(&store).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&verdict)?);
            } else {
                match &verdict.broken {
                    None => println!(
                        "audit chain intact: {} records; head {} {}",
                        verdict.records, verdict.head_seq, verdict.head_hash
                    ),
                    Some((seq, why)) => println!(
                        "audit chain BROKEN at record {seq}: {why}\n(read {} records; head {} {}). \
                         Restore the database from a backup taken before it, and find who could write it.",
                        verdict.records, verdict.head_seq, verdict.head_hash
                    ),
                }
            }
            Ok(if verdict.intact() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Privacy {
            command:
                PrivacyCommand::Sweep {
                    keep_materials_days,
                    db,
                },
        } => {
            let store = Store::open(&db).await?;
            let swept =
                kiosk_hub::privacy::sweep(&store, keep_materials_days, kiosk_hub::store::now_ms())
                    .await?;
            println!(
                "{} ended cases past {keep_materials_days} days: {} pages deleted ({} bytes)",
                swept.cases, swept.pages, swept.bytes
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Citizen {
            command:
                CitizenCommand::Add {
                    name,
                    public_url,
                    db,
                },
        } => {
            let id = id_from_stdin()?;
            let store = Store::open(&db).await?;
            let token = kiosk_hub::signin::add_account(&store, &id.0, &name).await?;
            println!("{}/id/{token}", public_url.trim_end_matches('/'));
            eprintln!(
                "kiosk-hub: the account of {} added; the address above shows their sign-in code (keep it as \
                 private as a password)",
                id.masked()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Privacy {
            command: PrivacyCommand::Export { pages, db },
        } => {
            let id = id_from_stdin()?;
            let store = Store::open(&db).await?;
            let export = kiosk_hub::privacy::export(&store, &id).await?;
            if let Some(dir) = &pages {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot make {}", dir.display()))?;
                for page in &export.pages {
                    let extension = if page.kind == "image/png" {
                        "png"
                    } else {
                        "jpg"
                    };
                    let file = dir.join(format!("{}-{}.{extension}", page.case_no, page.sha256));
                    std::fs::write(&file, &page.content)
                        .with_context(|| format!("cannot write {}", file.display()))?;
                }
            }
            println!("{}", serde_json::to_string_pretty(&export)?);
            eprintln!(
                "kiosk-hub: {} cases, {} applications, {} supplements, {} pages{}",
                export.cases.len(),
                export.applications.len(),
                export.supplements.len(),
                export.pages.len(),
                pages
                    .as_ref()
                    .map(|d| format!(" (written to {})", d.display()))
                    .unwrap_or_default()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Privacy {
            command: PrivacyCommand::Erase { yes, db },
        } => {
            // Said before the number is asked for, not after it was typed in vain.
            if !yes {
                anyhow::bail!(
                    "erasing cannot be undone: run `kiosk-hub privacy export` first for the person's copy, \
                     then again with --yes"
                );
            }
            let id = id_from_stdin()?;
            let store = Store::open(&db).await?;
            match kiosk_hub::privacy::erase(&store, &id).await {
                Ok(erased) => {
                    println!(
                        "erased: {} applications, {} supplements, {} pages, {} ratings, {} sign-in code \
                         accounts; {} cases kept as the \
                         office's record, no longer linked to the ID number. Documents, e-licences and \
                         library facts are other authorities' records and were left.",
                        erased.applications,
                        erased.supplements,
                        erased.pages,
                        erased.ratings,
                        erased.accounts,
                        erased.cases
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(kiosk_hub::store::HubError::Conflict(why)) => {
                    eprintln!("kiosk-hub: nothing erased: {why}");
                    Ok(ExitCode::from(1))
                }
                Err(error) => Err(error.into()),
            }
        }
        Command::Audit {
            command: AuditCommand::Show { limit, db },
        } => {
            let store = Store::open(&db).await?;
            for record in kiosk_hub::audit::recent(&store, &[], limit).await? {
                let at = chrono::DateTime::from_timestamp_millis(record.at_ms)
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
                    .unwrap_or_default();
                println!(
                    "{:6} {at} {:24} {:24} {:24} {}",
                    record.seq,
                    record.entry.actor,
                    record.entry.action,
                    record.entry.target,
                    record.entry.detail
                );
            }
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

/// Resolves on Ctrl+C or SIGTERM (systemd's stop): the hub then finishes what it serves and writes the
/// last heartbeats.
/// The ID number a privacy command is about, from standard input (a command line would leave it in the
/// shell's history and in the process list).
fn id_from_stdin() -> anyhow::Result<kiosk_proto::service::IdNumber> {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprintln!("the person's ID number, then Enter:");
    }
    let mut line = zeroize::Zeroizing::new(String::new());
    std::io::stdin().read_line(&mut line)?;
    let id = line.trim().to_uppercase();
    if !kiosk_proto::fields::id_number_is_valid(&id) {
        anyhow::bail!(
            "that is not a valid resident ID number (18 characters with its check character): \
             nothing was read or changed"
        );
    }
    Ok(kiosk_proto::service::IdNumber::new(&id))
}

/// Deletes materials past their retention, and the sign-in codes that can no longer be shown, every hour
/// while serving.
async fn sweep_forever(store: Store, keep_days: u32) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        hourly.tick().await;
        let now = kiosk_hub::store::now_ms();
        if let Err(error) = kiosk_hub::privacy::sweep(&store, keep_days, now).await {
            tracing::error!(%error, "cannot delete the materials past their retention");
        }
        if let Err(error) = kiosk_hub::signin::sweep_used(&store, now).await {
            tracing::error!(%error, "cannot forget the sign-in codes past their minute");
        }
    }
}

async fn stopped() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("a SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

fn store_kind(db: &str) -> &'static str {
    if db.starts_with("sqlite:") {
        "SQLite"
    } else {
        "PostgreSQL"
    }
}
