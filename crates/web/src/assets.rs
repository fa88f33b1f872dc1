//! Every script, style, image and map layer the pages use, built into the binary and served
//! from `/assets/`: nothing is loaded from another site. Our own files live in
//! `crates/web/assets`; the map library comes from npm through the build script.

use crate::Shared;
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

mod vendor {
    include!(concat!(env!("OUT_DIR"), "/vendor.rs"));
}

const OWN: [(&str, &[u8]); 6] = [
    ("app.css", include_bytes!("../assets/app.css")),
    ("map.js", include_bytes!("../assets/map.js")),
    ("review.js", include_bytes!("../assets/review.js")),
    (
        "provinces.geojson",
        include_bytes!("../assets/provinces.geojson"),
    ),
    ("favicon.svg", include_bytes!("../assets/favicon.svg")),
    (
        "PROVINCES-ATTRIBUTION.md",
        include_bytes!("../assets/PROVINCES-ATTRIBUTION.md"),
    ),
];

/// Every asset: our own files, then the map library when the build found it.
pub fn all() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    OWN.iter().chain(vendor::VENDOR.iter()).copied()
}

pub fn routes() -> Router<Shared> {
    Router::new().route("/assets/{*path}", get(asset))
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("geojson") => "application/geo+json",
        Some("md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

async fn asset(Path(path): Path<String>) -> Response {
    let found = OWN
        .iter()
        .chain(vendor::VENDOR.iter())
        .find(|(name, _)| *name == path);
    match found {
        Some((name, bytes)) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(name)),
            );
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            res
        }
        None if path == "leaflet.js" || path == "markercluster.js" => {
            // Built without the map library: an empty script, so map.js draws the fallback.
            let mut res = "".into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            );
            res
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
