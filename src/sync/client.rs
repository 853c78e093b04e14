//! The terminal's side of the hub API: enrolment with a one-time code, and authenticated calls with the
//! credential it gave (kept in the file `[hub] credential` names, readable by the terminal's user only).

use std::path::{Path, PathBuf};
use std::time::Duration;

use kiosk_proto::fleet::{ApiError, EnrollReply, EnrollRequest, Heartbeat, HeartbeatReply};
use kiosk_proto::service::{
    CaseDetail, CaseQuery, ClaimReply, ClaimRequest, DocumentEntry, HolderQuery, IdNumber,
};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the hub at {url} cannot be reached: {why}")]
    Unreachable { url: String, why: String },
    #[error("the hub refused this terminal's credential (401); enrol it again: kiosk enroll --hub URL --code CODE")]
    Unauthorized,
    #[error("the hub answered {status}: {message}")]
    Rejected { status: u16, message: String },
    #[error("this terminal is not enrolled: no credential at {path} ({why}); run kiosk enroll --hub URL --code CODE")]
    NotEnrolled { path: String, why: String },
    #[error("cannot save the credential to {path}: {why}")]
    Save { path: String, why: String },
    #[error("the hub's document does not check: {0}")]
    Unsigned(#[from] kiosk_proto::service::SignedDocumentError),
    #[error("the hub at {url} shows a TLS certificate this terminal does not trust ({why})")]
    Untrusted { url: String, why: String },
    #[error("[hub] ca {path}: {why}")]
    BadCa { path: String, why: String },
}

/// How long one call may take: a village link is slow, but a terminal must not wait forever.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The CAs a client trusts for the hub: those in `[hub] ca` alone when it is set (read once), else `None`,
/// the public CAs bundled with the software.
type Trust = Option<Vec<reqwest::Certificate>>;

fn trust(ca: Option<&Path>) -> Result<Trust, SyncError> {
    ca.map(|ca| {
        trusted_roots(ca)?
            .iter()
            .map(|der| reqwest::Certificate::from_der(der.as_ref()).map_err(|e| bad_ca(ca, e)))
            .collect()
    })
    .transpose()
}

fn http(trust: &Trust) -> Result<reqwest::blocking::Client, SyncError> {
    http_waiting(TIMEOUT, Duration::from_secs(5), trust)
}

/// An HTTP client that trusts, over TLS, what `trust` says.
fn http_waiting(
    timeout: Duration,
    connect: Duration,
    trust: &Trust,
) -> Result<reqwest::blocking::Client, SyncError> {
    let mut builder = reqwest::blocking::Client::builder()
        .timeout(timeout)
        .connect_timeout(connect)
        .user_agent(concat!("kiosk/", env!("CARGO_PKG_VERSION")));
    if let Some(roots) = trust {
        builder = builder.tls_built_in_root_certs(false);
        for root in roots {
            builder = builder.add_root_certificate(root.clone());
        }
    }
    builder.build().map_err(|e| SyncError::Unreachable {
        url: String::new(),
        why: format!("no HTTP client: {e}"),
    })
}

fn bad_ca(path: &Path, why: impl std::fmt::Display) -> SyncError {
    SyncError::BadCa {
        path: path.display().to_string(),
        why: why.to_string(),
    }
}

/// The certificates in the PEM file `[hub] ca` names: the only CAs the terminal trusts for its hub.
pub fn trusted_roots(
    ca: &Path,
) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, SyncError> {
    let pem = std::fs::read(ca).map_err(|e| bad_ca(ca, e))?;
    roots_in(&pem).map_err(|why| bad_ca(ca, why))
}

/// The certificates in PEM text (a CA file's content), or why there are none.
pub fn roots_in(pem: &[u8]) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, String> {
    use rustls::pki_types::pem::PemObject;
    let roots: Vec<_> = rustls::pki_types::CertificateDer::pem_slice_iter(pem)
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    if roots.is_empty() {
        return Err("no PEM certificate in it".into());
    }
    Ok(roots)
}

/// Why a call did not get an answer: a certificate the terminal does not trust, or the hub out of reach.
fn unanswered(url: &str, error: reqwest::Error) -> SyncError {
    let mut chain = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    if chain.contains("certificate") || chain.contains("UnknownIssuer") {
        let why = chain.rsplit(": ").next().unwrap_or_default().to_string();
        SyncError::Untrusted {
            url: url.to_string(),
            why,
        }
    } else {
        SyncError::Unreachable {
            url: url.to_string(),
            why: error.without_url().to_string(),
        }
    }
}

/// The hub's URL without a trailing slash, and an endpoint on it.
fn endpoint(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

/// What a reply means: the value, or why not.
fn answer<T: serde::de::DeserializeOwned>(
    url: &str,
    reply: reqwest::Result<reqwest::blocking::Response>,
) -> Result<T, SyncError> {
    checked(url, reply)?
        .json::<T>()
        .map_err(|e| SyncError::Unreachable {
            url: url.to_string(),
            why: format!("an answer that does not parse: {e}"),
        })
}

/// A reply that succeeded, or why not.
fn checked(
    url: &str,
    reply: reqwest::Result<reqwest::blocking::Response>,
) -> Result<reqwest::blocking::Response, SyncError> {
    let reply = reply.map_err(|e| unanswered(url, e))?;
    let status = reply.status();
    if status == reqwest::StatusCode::UNAUTHORIZED {
        return Err(SyncError::Unauthorized);
    }
    if !status.is_success() {
        let message = reply
            .json::<ApiError>()
            .map(|e| e.error)
            .unwrap_or_else(|_| "no explanation".into());
        return Err(SyncError::Rejected {
            status: status.as_u16(),
            message,
        });
    }
    Ok(reply)
}

/// Spends the one-time `code` for `device_id` and saves the credential at `credential` (mode 600, written
/// whole or not at all).
pub fn enroll(
    hub: &str,
    ca: Option<&Path>,
    code: &str,
    device_id: &str,
    credential: &Path,
) -> Result<EnrollReply, SyncError> {
    let url = endpoint(hub, "/v1/enroll");
    let reply: EnrollReply = answer(
        hub,
        http(&trust(ca)?)?
            .post(&url)
            .json(&EnrollRequest {
                code: code.to_string(),
                device_id: device_id.to_string(),
            })
            .send(),
    )?;
    save_credential(credential, &reply.credential).map_err(|e| SyncError::Save {
        path: credential.display().to_string(),
        why: e.to_string(),
    })?;
    Ok(reply)
}

fn save_credential(path: &Path, credential: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let temporary = path.with_extension("new");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&temporary)?;
    file.write_all(credential.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

/// A terminal's authenticated connection to its hub.
#[derive(Clone)]
pub struct HubClient {
    base: String,
    /// Wiped from memory when the client goes.
    credential: zeroize::Zeroizing<String>,
    http: reqwest::blocking::Client,
    /// `[hub] ca`'s certificates, the only CAs trusted when set.
    trust: Trust,
}

impl std::fmt::Debug for HubClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the credential.
        f.debug_struct("HubClient")
            .field("base", &self.base)
            .finish()
    }
}

impl HubClient {
    /// The client for `hub`, with the credential saved at `credential`, trusting the CA at `ca` alone
    /// when it is given (`[hub] ca`).
    pub fn new(hub: &str, credential: &Path, ca: Option<&Path>) -> Result<HubClient, SyncError> {
        let saved = std::fs::read_to_string(credential)
            .map(zeroize::Zeroizing::new)
            .map_err(|e| SyncError::NotEnrolled {
                path: credential.display().to_string(),
                why: e.to_string(),
            })?;
        let trust = trust(ca)?;
        Ok(HubClient {
            base: hub.trim_end_matches('/').to_string(),
            credential: zeroize::Zeroizing::new(saved.trim().to_string()),
            http: http(&trust)?,
            trust,
        })
    }

    /// The same client with short waits (1 s to connect, 3 s in all): for a call made while the citizen
    /// watches, which the heartbeat repeats later if it does not get through now.
    pub fn quick(&self) -> HubClient {
        HubClient {
            // The same trust, already read; a client that cannot be built keeps the usual waits.
            http: http_waiting(Duration::from_secs(3), Duration::from_secs(1), &self.trust)
                .unwrap_or_else(|_| self.http.clone()),
            ..self.clone()
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Takes a new credential from the hub and saves it at `path` (mode 600, whole or not at all); the
    /// client that uses it. The hub refuses the old one once the new one has been used.
    pub fn rotate_credential(&self, path: &Path) -> Result<HubClient, SyncError> {
        let reply: kiosk_proto::fleet::CredentialReply = self.post("/v1/credential", &())?;
        save_credential(path, &reply.credential).map_err(|e| SyncError::Save {
            path: path.display().to_string(),
            why: e.to_string(),
        })?;
        Ok(HubClient {
            credential: zeroize::Zeroizing::new(reply.credential),
            ..self.clone()
        })
    }

    /// The `Authorization` header's value (for the remote-guidance connection).
    pub(crate) fn bearer(&self) -> String {
        format!("Bearer {}", self.credential.as_str())
    }

    /// The hub's newest catalogue unless it is the one tagged `etag` (`Ok(None)`: unchanged, a 304).
    /// Returns the checked catalogue's JSON and its ETag.
    pub fn catalogue(&self, etag: Option<&str>) -> Result<Option<(String, String)>, SyncError> {
        let url = endpoint(&self.base, "/v1/catalogue");
        let mut request = self.http.get(&url).bearer_auth(self.credential.as_str());
        if let Some(etag) = etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        let reply = request.send();
        if let Ok(reply) = &reply {
            if reply.status() == reqwest::StatusCode::NOT_MODIFIED {
                return Ok(None);
            }
        }
        let reply = reply.map_err(|e| unanswered(&self.base, e))?;
        let tag = reply
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let catalogue: kiosk_proto::catalogue::Catalogue = answer(&self.base, Ok(reply))?;
        // Checked as a seed file is, before it replaces anything.
        let json = serde_json::to_string(&catalogue).expect("a catalogue serialises");
        kiosk_proto::catalogue::Catalogue::from_json(&json, "the hub's catalogue").map_err(
            |e| SyncError::Unreachable {
                url: self.base.clone(),
                why: e.to_string(),
            },
        )?;
        Ok(Some((json, tag)))
    }

    /// Uploads a batch of outbox records; the hub stores each once however often it is sent.
    pub fn send_events(
        &self,
        batch: &kiosk_proto::fleet::EventBatch,
    ) -> Result<kiosk_proto::fleet::EventReceipt, SyncError> {
        self.post("/v1/events", batch)
    }

    fn post<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, SyncError> {
        answer(
            &self.base,
            self.http
                .post(endpoint(&self.base, path))
                .bearer_auth(self.credential.as_str())
                .json(body)
                .send(),
        )
    }

    /// The hub's signing keys (fetched over this authenticated link, then kept as the trusted ones).
    pub fn keys(&self) -> Result<Vec<ed25519_dalek::VerifyingKey>, SyncError> {
        let keys: kiosk_proto::service::Keys = answer(
            &self.base,
            self.http.get(endpoint(&self.base, "/v1/keys")).send(),
        )?;
        keys.keys
            .iter()
            .map(|k| kiosk_proto::verify::parse_public_key(&k.id))
            .collect::<Result<_, _>>()
            .map_err(|why| SyncError::Unreachable {
                url: self.base.clone(),
                why: format!("an answer that does not parse: a listed key: {why}"),
            })
    }

    /// Every case of the card holder, newest first.
    pub fn cases_mine(&self, id: &IdNumber) -> Result<Vec<CaseDetail>, SyncError> {
        self.post(
            "/v1/cases/mine",
            &HolderQuery {
                id_number: id.clone(),
            },
        )
    }

    /// One case by its number and a second factor (a 404 when they do not match, a 429 when locked).
    pub fn case_query(&self, query: &CaseQuery) -> Result<CaseDetail, SyncError> {
        self.post("/v1/cases/query", query)
    }

    /// The card holder's printable documents with today's copies.
    pub fn documents_mine(&self, id: &IdNumber) -> Result<Vec<DocumentEntry>, SyncError> {
        self.post(
            "/v1/documents/mine",
            &HolderQuery {
                id_number: id.clone(),
            },
        )
    }

    /// Claims a copy of a document; a granted document is opened only if one of `trusted` signed it.
    pub fn claim(
        &self,
        document_id: &str,
        id: &IdNumber,
        trusted: &[ed25519_dalek::VerifyingKey],
    ) -> Result<Claimed, SyncError> {
        let reply: ClaimReply = self.post(
            "/v1/claims",
            &ClaimRequest {
                document_id: document_id.to_string(),
                id_number: id.clone(),
            },
        )?;
        Ok(match reply {
            ClaimReply::Granted {
                claim_id,
                copy,
                daily_limit,
                document,
            } => match document.open(trusted) {
                Ok(document) => Claimed::Granted {
                    claim_id,
                    copy,
                    daily_limit,
                    document,
                },
                Err(error) => {
                    // Nothing will be printed: the copy goes back at once, or the holder would lose it.
                    self.give_back(&claim_id);
                    return Err(error.into());
                }
            },
            ClaimReply::LimitReached {
                printed_today,
                daily_limit,
                next_day,
            } => Claimed::LimitReached {
                printed_today,
                daily_limit,
                next_day,
            },
        })
    }

    /// Reports a granted claim as failed (nothing printed), so its copy counts no more.
    fn give_back(&self, claim_id: &str) {
        use kiosk_proto::service::{ClaimEnd, ClaimOutcome, CLAIM_EVENT};
        let end = ClaimEnd {
            claim_id: claim_id.to_string(),
            outcome: ClaimOutcome::Failed,
        };
        let batch = kiosk_proto::fleet::EventBatch {
            events: vec![kiosk_proto::fleet::Event {
                id: super::new_event_id(),
                kind: CLAIM_EVENT.into(),
                occurred_ms: chrono::Utc::now().timestamp_millis(),
                body: serde_json::to_value(end).expect("a claim's end serialises"),
            }],
        };
        if let Err(error) = self.send_events(&batch) {
            tracing::error!(%error, "a refused document's claim could not be given back; it counts until the day ends");
        }
    }

    /// The card holder's e-licences in the hub's library (免证办).
    pub fn elicences_mine(
        &self,
        id: &IdNumber,
    ) -> Result<Vec<kiosk_proto::application::Elicence>, SyncError> {
        self.post(
            "/v1/elicences/mine",
            &HolderQuery {
                id_number: id.clone(),
            },
        )
    }

    /// What the hub holds of the card holder to prefill forms (两个免于提交).
    pub fn held_facts(
        &self,
        id: &IdNumber,
    ) -> Result<kiosk_proto::application::HeldFacts, SyncError> {
        self.post(
            "/v1/holder/facts",
            &HolderQuery {
                id_number: id.clone(),
            },
        )
    }

    /// Which of these pages the hub does not hold.
    pub fn pages_missing(&self, sha256: &[String]) -> Result<Vec<String>, SyncError> {
        let reply: kiosk_proto::application::PageQuery = self.post(
            "/v1/pages/missing",
            &kiosk_proto::application::PageQuery {
                sha256: sha256.to_vec(),
            },
        )?;
        Ok(reply.sha256)
    }

    /// Sends a page under its SHA-256 (a page the hub holds already changes nothing).
    pub fn put_page(&self, sha256: &str, bytes: &[u8]) -> Result<(), SyncError> {
        let kind = if bytes.starts_with(b"\x89PNG") {
            "image/png"
        } else {
            "image/jpeg"
        };
        checked(
            &self.base,
            self.http
                .put(endpoint(&self.base, &format!("/v1/pages/{sha256}")))
                .bearer_auth(self.credential.as_str())
                .header(reqwest::header::CONTENT_TYPE, kind)
                .body(bytes.to_vec())
                .send(),
        )
        .map(drop)
    }

    /// Opens a one-time phone upload page for one material.
    pub fn open_upload(
        &self,
        request: &kiosk_proto::application::UploadRequest,
    ) -> Result<kiosk_proto::application::UploadTicket, SyncError> {
        self.post("/v1/uploads", request)
    }

    /// The enterprises whose legal representative the holder of `id` is (企业服务).
    pub fn enterprises_mine(
        &self,
        id: &IdNumber,
    ) -> Result<Vec<kiosk_proto::enterprise::Enterprise>, SyncError> {
        self.post(
            "/v1/enterprises/mine",
            &HolderQuery {
                id_number: id.clone(),
            },
        )
    }

    /// Has the hub take a citizen's sign-in code (亮码) once: refused when it was taken already, its minute
    /// passed on the hub's clock, or the hub did not sign it.
    pub fn redeem_code(&self, code: &str) -> Result<(), SyncError> {
        checked(
            &self.base,
            self.http
                .post(endpoint(&self.base, "/v1/codes/redeem"))
                .bearer_auth(self.credential.as_str())
                .json(&kiosk_proto::signin::Redeem {
                    code: code.to_string(),
                })
                .send(),
        )
        .map(drop)
    }

    /// What the phone has sent so far.
    pub fn upload_status(
        &self,
        token: &str,
    ) -> Result<kiosk_proto::application::UploadStatus, SyncError> {
        answer(
            &self.base,
            self.http
                .get(endpoint(&self.base, &format!("/v1/uploads/{token}")))
                .bearer_auth(self.credential.as_str())
                .send(),
        )
    }

    /// A page the hub holds (a phone's photo, to show on the terminal).
    pub fn page(&self, sha256: &str) -> Result<Vec<u8>, SyncError> {
        let reply = checked(
            &self.base,
            self.http
                .get(endpoint(&self.base, &format!("/v1/pages/{sha256}")))
                .bearer_auth(self.credential.as_str())
                .send(),
        )?;
        let bytes = reply.bytes().map_err(|e| SyncError::Unreachable {
            url: self.base.clone(),
            why: e.without_url().to_string(),
        })?;
        if kiosk_proto::application::sha256_hex(&bytes) != sha256 {
            return Err(SyncError::Unreachable {
                url: self.base.clone(),
                why: "a page that does not match its SHA-256".into(),
            });
        }
        Ok(bytes.to_vec())
    }

    /// Sends an application (the hub makes its case once, however often it is sent).
    pub fn submit_application(
        &self,
        application: &kiosk_proto::application::Application,
    ) -> Result<kiosk_proto::application::ApplicationReceipt, SyncError> {
        self.post("/v1/applications", application)
    }

    /// The next queue ticket of `service` in this terminal's hall. The tap has an id of its own: when the
    /// answer is lost on the way the same request goes once more, and the hub gives back the
    /// ticket it issued then instead of a second one no one holds.
    pub fn ticket(&self, service: &str) -> Result<kiosk_proto::fleet::TicketReply, SyncError> {
        let request = kiosk_proto::fleet::TicketRequest {
            service: service.to_string(),
            request_id: Some(super::new_event_id()),
        };
        let mut tries = 0;
        loop {
            match self.post("/v1/tickets", &request) {
                Err(SyncError::Unreachable { .. }) if tries < 1 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(300));
                }
                answer => return answer,
            }
        }
    }

    /// One authenticated round trip that changes nothing (an empty event batch): how long it took, and the
    /// hub's clock as its `Date` header gives it.
    pub fn probe(&self) -> Result<(Duration, Option<chrono::DateTime<chrono::Utc>>), SyncError> {
        let started = std::time::Instant::now();
        let reply = self
            .http
            .post(endpoint(&self.base, "/v1/events"))
            .bearer_auth(self.credential.as_str())
            .json(&kiosk_proto::fleet::EventBatch { events: vec![] })
            .send();
        let rtt = started.elapsed();
        let date = reply
            .as_ref()
            .ok()
            .and_then(|r| r.headers().get(reqwest::header::DATE))
            .and_then(|v| v.to_str().ok())
            .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
            .map(|t| t.with_timezone(&chrono::Utc));
        let _: kiosk_proto::fleet::EventReceipt = answer(&self.base, reply)?;
        Ok((rtt, date))
    }

    pub fn heartbeat(&self, beat: &Heartbeat) -> Result<HeartbeatReply, SyncError> {
        self.post("/v1/heartbeat", beat)
    }

    /// The settings the operators published for this terminal, with their version.
    pub fn settings(&self) -> Result<kiosk_proto::remote::SettingsReply, SyncError> {
        answer(
            &self.base,
            self.http
                .get(endpoint(&self.base, "/v1/settings"))
                .bearer_auth(self.credential.as_str())
                .send(),
        )
    }

    /// Answers the command `id` a heartbeat carried.
    pub fn command_result(
        &self,
        id: i64,
        result: &kiosk_proto::remote::CommandResult,
    ) -> Result<(), SyncError> {
        checked(
            &self.base,
            self.http
                .post(endpoint(&self.base, &format!("/v1/commands/{id}")))
                .bearer_auth(self.credential.as_str())
                .json(result)
                .send(),
        )
        .map(drop)
    }
}

/// A claim's answer, the document checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Claimed {
    /// Print it under `claim_id` (the journal's claim: its end goes back to the hub through the outbox).
    Granted {
        claim_id: String,
        copy: u32,
        daily_limit: u32,
        document: kiosk_proto::document::Document,
    },
    LimitReached {
        printed_today: u32,
        daily_limit: u32,
        next_day: String,
    },
}

/// Where the hub settings of a configuration point.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HubSettings {
    pub url: String,
    pub credential: PathBuf,
    /// `[hub] ca`.
    pub ca: Option<PathBuf>,
    /// The terminal's SQLite file, for the sync state.
    pub database: PathBuf,
    pub interval: Duration,
}

impl HubSettings {
    pub fn from_config(config: &crate::config::Config) -> Option<HubSettings> {
        (!config.hub.url.is_empty()).then(|| HubSettings {
            url: config.hub.url.clone(),
            credential: config.hub.credential.clone(),
            ca: config.hub.ca.clone(),
            database: config.terminal.database.clone(),
            interval: Duration::from_secs(30),
        })
    }
}
