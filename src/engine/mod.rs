//! The discrete-event engine: simulation time, the event queue and random-number streams.
//!
//! This module knows nothing about ports, vehicles or files. It owns three things:
//!
//! * [`Time`] and [`Duration`]: every piece of clock arithmetic (minutes since the start,
//!   day index, time of day) goes through them;
//! * [`EventQueue`]: the future event list and the simulation clock, ordered by
//!   (time, insertion sequence) so that events due at the same instant run first-in first-out;
//! * [`Streams`]: independent random-number streams forked from one master seed, one per named
//!   random source, so that adding a source never changes the numbers another source draws.

mod queue;
mod rng;
mod time;

pub use queue::EventQueue;
pub use rng::{StreamRng, Streams};
pub use time::{Duration, MINUTES_PER_DAY, MINUTES_PER_HOUR, Time};
