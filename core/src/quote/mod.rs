//! Requests in, quotes out: the JSON contract shared by Rust, Python and JavaScript.

mod explain;
mod formula;
mod read;
mod request;
pub(crate) mod result;
pub(crate) mod wire;

pub use explain::{explain, warning_text, Lang};
pub use formula::formula_text;
pub use request::{Applicant, InputValue, PostageRequest, Request};
pub use result::{
    AppliedAdjustment, ChannelComparison, ChannelQuote, Citation, ErrorInfo, Line, PostageQuote,
    Quote, Retained, RoundingNote, Warning,
};
