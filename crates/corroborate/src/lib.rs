//! Corroboration: which events describe one incident, how many independent sources back
//! it, and how far to trust it.
//!
//! Ten people report the same shooting in Zahedan; a dataset that counts ten events is
//! wrong, and one that cannot say how many independent sources back an event cannot be
//! trusted. This crate turns coded events into incidents:
//!
//! - [`sources`]: a [`Fingerprint`] per report, and [`source_groups`], which names each
//!   report's *source*: forwarded copies and near-duplicates share one.
//! - [`cluster`](mod@cluster): [`cluster_with`] groups events of different reports that are
//!   the same incident, merges their fields under the codebook's rules into a [`Canonical`]
//!   event, lists the fields members disagree on as [`Conflict`]s, and applies analysts'
//!   [`Decision`]s keyed so that they survive re-coding.
//! - [`grade`]: the Admiralty grade (reliability A–F, credibility 1–6) and
//!   [`suggest_grade`].
//! - [`compat`]: which event types may be one incident.
//!
//! Everything here is a plain function over data given as arguments. This crate knows
//! nothing of the database, the clock, the network or the web app: the store loads events,
//! fingerprints and decisions, calls in, and persists what comes out.

pub mod cluster;
pub mod compat;
pub mod grade;
pub mod sources;

pub use cluster::{
    cluster, cluster_with, date_window, distance_km, may_interact, neighbour_km, Canonical,
    Cluster, Clustering, Conflict, ConflictValue, Decision, EventKey, EventRef, Field, Params,
    NEIGHBOUR_DAYS,
};
pub use grade::{suggest_grade, Credibility, Grade, Reliability};
pub use sources::{source_groups, source_groups_of, Fingerprint, Similarity, SourceParams};
