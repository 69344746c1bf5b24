//! Test support: a pinned moto server on a free loopback port, and the seed stack built through the SDK.

pub mod mocks;
pub mod moto;
pub mod proxy;
pub mod screen;
pub mod seed;
