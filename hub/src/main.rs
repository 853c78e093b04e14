//! `kiosk-hub`: the central server the terminals sync with. This build is the workspace member only;
//! the server (catalogue, cases, documents, print claims, tickets, ratings, fleet, relay) comes next.

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "kiosk-hub",
    version,
    about = "Central server for self-service terminals (not yet able to serve: see the README)"
)]
struct Cli {}

fn main() {
    let _ = Cli::parse();
    println!(
        "kiosk-hub {} (wire API v{}): no server in this build yet; terminals run stand-alone \
         with their bundled catalogue.",
        env!("CARGO_PKG_VERSION"),
        kiosk_proto::API_VERSION
    );
}
