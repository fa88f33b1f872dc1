//! The web app's integration tests, one binary: the real server on a random port over a
//! fresh database, on SQLite and PostgreSQL (`both!`), driven over HTTP as a reporter, an
//! analyst and the public would; and in headless Chromium (`browser`).

mod support;

mod abuse;
mod admin;
mod browser;
mod flows;
mod hostile;
mod incidents;
mod media;
mod public_site;
mod replica;
mod sealed;
mod security;
mod workspace;
mod workspace_browser;
