//! Integration tests: one binary.
mod common;
mod conformance;
mod errors;
mod library;
mod props;
