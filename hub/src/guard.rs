//! What guards the browser pages (the staff console, the phone's upload page) beside the login itself:
//!
//! - **Anti-forgery.** A change to the console (any method but GET and HEAD under `/console`) is taken
//!   only from the console's own page: an `Origin` of another site is refused, and a request that carries
//!   a login cookie must carry the login's anti-forgery token in `X-CSRF-Token` too. The token is derived
//!   from the login (`/console/me` gives it to the page), so another site, which can neither read the page
//!   nor the cookie, cannot make it. The login cookie is `HttpOnly` and `SameSite=Strict` as well, and
//!   `Secure` when the hub is served over TLS.
//! - **Headers.** Every answer says `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`;
//!   pages carry a Content-Security-Policy that runs only the hub's own scripts (no inline script, no
//!   `eval`), loads nothing from elsewhere and cannot be framed; answers with staff or citizens' data are
//!   not cached.
//! - **Text.** An address with a NUL character (`%00`) is refused with a 400 (JSON bodies: see
//!   [`crate::http::Body`]).

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::http::Failure;
use crate::staff::COOKIE;
use crate::store::sha256_hex;

/// The header a console page sends its anti-forgery token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The pages' Content-Security-Policy.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data: blob:; connect-src 'self'; media-src 'self' blob:; font-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The anti-forgery token of the login whose token is `login`.
pub fn csrf_token(login: &str) -> String {
    sha256_hex(&format!("console anti-forgery\n{login}"))
}

/// The middleware (on every route).
pub async fn guard(request: Request, next: Next) -> Response {
    // A NUL character in a path or query (`%00`) has no use here, and PostgreSQL cannot store one.
    if request.uri().path_and_query().is_some_and(|p| {
        p.as_str()
            .as_bytes()
            .windows(3)
            .any(|w| w.eq_ignore_ascii_case(b"%00"))
    }) {
        return Failure::new(
            StatusCode::BAD_REQUEST,
            "the address holds a NUL character (%00)",
        )
        .into_response();
    }
    let path = request.uri().path().to_string();
    let console = path == "/console" || path.starts_with("/console/");
    if console && !matches!(*request.method(), Method::GET | Method::HEAD) {
        if let Err(refused) = check_change(request.headers(), &path) {
            tracing::warn!(path, "a console change refused: {}", refused.message());
            return refused.into_response();
        }
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let page = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if page {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if (console && (path.starts_with("/console/api/") || path == "/console/me"))
        || path.starts_with("/m/")
    {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// A console change: from the console's own page, with its login's token when it has a login.
fn check_change(headers: &HeaderMap, path: &str) -> Result<(), Failure> {
    own_page(headers)?;
    if path == "/console/login" {
        return Ok(());
    }
    let Some(login) = login_token(headers) else {
        // No login: nothing to forge (the route itself answers 401 where it needs one).
        return Ok(());
    };
    let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    if sent.is_some_and(|sent| crate::fleet::same(sent, &csrf_token(login))) {
        Ok(())
    } else {
        Err(Failure::new(
            StatusCode::FORBIDDEN,
            "the page's anti-forgery token is missing or wrong: reload the console",
        ))
    }
}

/// The console login's token from the request's cookie.
pub(crate) fn login_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value)
}

/// A change asked from the console's own page, or a 403 (a page of another site never changes anything).
pub(crate) fn own_page(headers: &HeaderMap) -> Result<(), Failure> {
    if same_origin(headers) {
        Ok(())
    } else {
        Err(Failure::new(
            StatusCode::FORBIDDEN,
            "from the console's own page only",
        ))
    }
}

/// Whether a browser's `Origin` (if it sent one) is this hub's own address.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority == host)
}
