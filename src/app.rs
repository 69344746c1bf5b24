//! The interactive console: state, actions, messages, the pure reducer, commands and the event loop.

pub mod action;
pub mod command;
pub mod keymap;
pub mod msg;
pub mod query;
pub mod runner;
pub mod state;
pub mod update;

pub use action::Action;
pub use command::Command;
pub use msg::Msg;
pub use state::{State, View};
pub use update::update;
