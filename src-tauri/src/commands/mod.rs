//! Tauri commands, one file per feature; each is a one-line delegation into core.

pub mod app;
pub mod connectors;
pub mod numbers;
pub mod orgs;
pub mod sandbox;
