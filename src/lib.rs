//! portsim: a discrete-event simulator of land border ports.
//!
//! The crate is layered; each layer uses only the ones before it:
//!
//! 1. [`engine`]: simulation time, the event queue, random-number streams (no port knowledge);
//! 2. [`dist`] and [`stats`]: duration distributions and statistics collectors;
//! 3. [`model`]: the port and the event loop that runs vehicles through it (no I/O);
//! 4. [`scenario`]: reads and checks scenario files (the only place that deserializes);
//! 5. [`experiment`]: what to run: seeds, replications, comparisons, sweeps, the planner,
//!    saturated capacity runs;
//! 6. [`report`]: turns results into text, JSON, CSV, event logs, plots and the HTML report,
//!    and writes them (the only place that formats or writes files).
//!
//! See ARCHITECTURE.md for the invariants these layers keep.

pub mod dist;
pub mod engine;
pub mod error;
pub mod experiment;
pub mod model;
pub mod report;
pub mod scenario;
pub mod stats;

pub use error::Error;
