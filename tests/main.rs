//! The one integration-test binary (every test binary links the whole AWS SDK, so there is one).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    reason = "test code fails loudly on purpose"
)]

mod adapters_mock;
mod docs;
mod faults;
mod hostile;
mod logs_moto;
mod ops;
mod paging_mock;
mod parsers;
mod policy;
mod security;
mod snapshot_moto;
mod support;
