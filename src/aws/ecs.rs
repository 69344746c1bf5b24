//! ECS adapters: services, tasks, container instances, capacity providers, task definitions.

pub mod instances;
pub mod services;
pub mod tasks;

pub use instances::{capacity_providers, container_instances};
pub use services::services;
pub use tasks::{Tasks, log_locations, tasks};
