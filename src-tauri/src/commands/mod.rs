//! Tauri commands, one file per feature; each is a one-line delegation into core.

pub mod agents;
pub mod app;
pub mod audit;
pub mod channels;
pub mod connectors;
pub mod diagnose;
pub mod history;
pub mod inspect;
pub mod messaging;
pub mod numbers;
pub mod orgs;
pub mod sandbox;
pub mod senders;
pub mod transfer;
pub mod updates;
