//! End-to-end tests of the `lexiscope` binary: each test makes a temporary
//! folder, writes or copies small inputs into it, runs the real binary and
//! checks the content of what it wrote.

mod austen;
mod browser;
mod commands;
mod errors;
mod hostile;
mod report;
mod spreadsheet;
mod util;
