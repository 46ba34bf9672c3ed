//! Integration tests: one binary.
mod canonical;
mod common;
mod conformance;
mod errors;
mod library;
mod props;
mod request_json;
