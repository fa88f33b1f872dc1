//! Corroboration (being written).
