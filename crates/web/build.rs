//! Embeds the front-end libraries (Leaflet and its cluster plugin, from npm) into the binary,
//! so that `unrest serve` serves every script itself, from wherever it runs.
//!
//! The libraries come from `package-lock.json` through npm, never from the repository: when
//! `node_modules` lacks them this runs `npm ci` once (scripts/web-assets.sh does the same
//! ahead of time). If npm cannot be had, the build still succeeds without them; the public
//! map then draws the province outlines and events itself, without pan, zoom or clusters.

use std::path::{Path, PathBuf};
use std::process::Command;

const FILES: [(&str, &str); 5] = [
    ("leaflet.js", "leaflet/dist/leaflet.js"),
    ("leaflet.css", "leaflet/dist/leaflet.css"),
    (
        "markercluster.js",
        "leaflet.markercluster/dist/leaflet.markercluster.js",
    ),
    (
        "MarkerCluster.css",
        "leaflet.markercluster/dist/MarkerCluster.css",
    ),
    (
        "MarkerCluster.Default.css",
        "leaflet.markercluster/dist/MarkerCluster.Default.css",
    ),
];

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let modules = dir.join("node_modules");
    println!("cargo:rerun-if-changed=package-lock.json");
    println!("cargo:rerun-if-changed=node_modules/leaflet/package.json");
    println!("cargo:rerun-if-changed=node_modules/leaflet.markercluster/package.json");
    println!("cargo:rustc-check-cfg=cfg(map_library)");
    if !all_present(&modules) && std::env::var_os("UNREST_NO_NPM").is_none() {
        let status = Command::new("npm")
            .args([
                "ci",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ])
            .current_dir(&dir)
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            println!("cargo:warning=npm ci failed in crates/web ({status:?}): building without Leaflet; run scripts/web-assets.sh");
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("vendor.rs");
    let mut code = String::from("/// Front-end libraries from npm: (name, bytes).\npub const VENDOR: &[(&str, &[u8])] = &[\n");
    if all_present(&modules) {
        println!("cargo:rustc-cfg=map_library");
        for (name, path) in FILES {
            let p = modules.join(path);
            code.push_str(&format!(
                "    ({name:?}, include_bytes!({:?})),\n",
                p.display().to_string()
            ));
        }
        for img in [
            "layers.png",
            "layers-2x.png",
            "marker-icon.png",
            "marker-icon-2x.png",
            "marker-shadow.png",
        ] {
            let p = modules.join("leaflet/dist/images").join(img);
            code.push_str(&format!(
                "    (\"images/{img}\", include_bytes!({:?})),\n",
                p.display().to_string()
            ));
        }
    }
    code.push_str("];\n");
    std::fs::write(out, code).unwrap();
}

fn all_present(modules: &Path) -> bool {
    FILES.iter().all(|(_, p)| modules.join(p).is_file())
}
