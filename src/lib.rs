//! navoy-console library: the AWS read model, state and views behind the binary.

pub mod app;
pub mod aws;
pub mod cli;
pub mod config;
pub mod model;
pub mod ops;
pub mod sanitize;
pub mod status;
pub mod theme;
pub mod ui;
