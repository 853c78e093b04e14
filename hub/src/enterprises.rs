//! 企业服务 at the hub: the registry's enterprises, found by their legal representative's ID number (kept
//! only as a peppered hash), for the terminal where the representative signed in. The demo seeds a few for
//! the demo cards' holders (`seed --demo`).

use axum::extract::State;
use axum::Json;
use kiosk_proto::enterprise::{Enterprise, Size};
use kiosk_proto::service::{HolderQuery, IdNumber};
use kiosk_proto::LocalText;
use sqlx::Row;

use crate::http::{Body, Device, Failure, Hub};
use crate::store::{HubError, Store};

/// The salt of the representative's holder key.
const SALT: &str = "enterprise-representative";

/// Adds (or replaces) `enterprise`, represented by the holder of `representative`.
pub async fn put(
    store: &Store,
    representative: &IdNumber,
    enterprise: &Enterprise,
) -> Result<(), HubError> {
    if !kiosk_proto::fields::uscc_is_valid(&enterprise.uscc) {
        return Err(HubError::BadRequest(format!(
            "{} is not a valid unified social credit code",
            enterprise.uscc
        )));
    }
    if kiosk_proto::enterprise::industry_name(&enterprise.industry).is_none() {
        return Err(HubError::BadRequest(format!(
            "{:?} is no industry section of GB/T 4754 (A to T)",
            enterprise.industry
        )));
    }
    sqlx::query("DELETE FROM enterprises WHERE uscc = $1")
        .bind(&enterprise.uscc)
        .execute(store.pool())
        .await?;
    sqlx::query(
        "INSERT INTO enterprises (uscc, representative, name, kind_zh, kind_en, industry, size, district, \
         address, established) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&enterprise.uscc)
    .bind(store.holder_key(SALT, &representative.0))
    .bind(&enterprise.name)
    .bind(&enterprise.kind.zh)
    .bind(&enterprise.kind.en)
    .bind(&enterprise.industry)
    .bind(crate::store::wire_name(enterprise.size))
    .bind(&enterprise.district)
    .bind(&enterprise.address)
    .bind(&enterprise.established)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// The enterprises the holder of `id` represents, by name.
pub async fn mine(store: &Store, id: &IdNumber) -> Result<Vec<Enterprise>, HubError> {
    let rows = sqlx::query(
        "SELECT uscc, name, kind_zh, kind_en, industry, size, district, address, established \
         FROM enterprises WHERE representative = $1 ORDER BY name, uscc",
    )
    .bind(store.holder_key(SALT, &id.0))
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let size: String = row.try_get(5)?;
            Ok(Enterprise {
                uscc: row.try_get(0)?,
                name: row.try_get(1)?,
                kind: LocalText::new(row.try_get::<String, _>(2)?, row.try_get::<String, _>(3)?),
                industry: row.try_get(4)?,
                size: crate::store::from_wire_name::<Size>(&size, "enterprise size")?,
                district: row.try_get(6)?,
                address: row.try_get(7)?,
                established: row.try_get(8)?,
            })
        })
        .collect()
}

/// An enterprise's application is taken only from its legal representative, with the registry's facts:
/// the enterprise its code field names must be one the applicant represents, and its name and address
/// fields the registry's.
pub async fn check_representative(
    store: &Store,
    form: &kiosk_proto::application::ApplicationForm,
    application: &kiosk_proto::application::Application,
) -> Result<(), HubError> {
    use kiosk_proto::application::Prefill;
    let value = |fact: Prefill| {
        form.fields
            .iter()
            .find(|f| f.prefill == Some(fact))
            .and_then(|f| application.values.iter().find(|v| v.id == f.id))
            .map(|v| v.value.as_str())
    };
    let Some(code) = value(Prefill::EnterpriseCode) else {
        return Err(HubError::BadRequest(
            "an enterprise's application names the enterprise's unified social credit code".into(),
        ));
    };
    let represented = mine(store, &application.applicant).await?;
    let Some(enterprise) = represented.iter().find(|e| e.uscc == code) else {
        tracing::warn!(number = %application.number, "an enterprise's application from someone the registry does not list as its representative");
        return Err(HubError::Forbidden(format!(
            "the applicant is not the registered legal representative of {code}"
        )));
    };
    for (fact, registered) in [
        (Prefill::EnterpriseName, &enterprise.name),
        (Prefill::EnterpriseAddress, &enterprise.address),
    ] {
        if value(fact).is_some_and(|given| given != registered) {
            return Err(HubError::BadRequest(format!(
                "the application's {fact:?} is not the registry's for {code}"
            )));
        }
    }
    Ok(())
}

#[utoipa::path(post, path = "/v1/enterprises/mine", tag = "enterprises", request_body = HolderQuery,
    security(("device" = [])),
    responses(
        (status = 200, description = "the enterprises whose legal representative the card holder is (none: an empty list)", body = Vec<Enterprise>),
        (status = 400, description = "bad JSON or unknown fields", body = kiosk_proto::fleet::ApiError),
        (status = 413, description = "body over 256 KB", body = kiosk_proto::fleet::ApiError),
        (status = 401, description = "missing or wrong credential (empty body)"),
        (status = 500, description = "database failure (the hub's log has the cause)", body = kiosk_proto::fleet::ApiError),
    ))]
pub async fn mine_route(
    State(hub): State<Hub>,
    Device(_): Device,
    Body(query): Body<HolderQuery>,
) -> Result<Json<Vec<Enterprise>>, Failure> {
    Ok(Json(mine(&hub.store, &query.id_number).await?))
}
