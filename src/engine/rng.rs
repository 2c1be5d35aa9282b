//! Random-number streams forked from one master seed.
//!
//! Every random source in a model (an arrival stream, a stage's service times, a routing
//! decision) asks for its own stream by a stable name such as `"service/inspection"`. The
//! stream's generator is **Xoshiro256++**, seeded with 256 bits drawn from **SplitMix64**
//! started at `master_seed XOR FNV-1a-64(name)`. Consequences:
//!
//! * the same master seed and name always give the same numbers, on every platform and
//!   thread count;
//! * adding or removing a source (a new lane, a new stage) does not change the numbers any
//!   other source draws: common random numbers across configurations;
//! * streams of different names are statistically independent for all practical purposes
//!   (SplitMix64 decorrelates nearby seeds; Xoshiro256++ has period 2^256 − 1).

use rand::SeedableRng;
use rand_xoshiro::{SplitMix64, Xoshiro256PlusPlus};

/// The generator behind every stream.
pub type StreamRng = Xoshiro256PlusPlus;

/// A factory of named, independent random-number streams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Streams {
    master_seed: u64,
}

impl Streams {
    /// Streams derived from `master_seed`.
    pub fn new(master_seed: u64) -> Streams {
        Streams { master_seed }
    }

    /// The master seed.
    pub fn master_seed(&self) -> u64 {
        self.master_seed
    }

    /// The stream for the random source called `name`.
    pub fn stream(&self, name: &str) -> StreamRng {
        let mut mixer = SplitMix64::seed_from_u64(self.master_seed ^ fnv1a64(name.as_bytes()));
        Xoshiro256PlusPlus::from_rng(&mut mixer)
    }

    /// Independent streams for replication `index`: a new master seed derived from this one.
    ///
    /// Replication `i` of a scenario always sees the same numbers, whatever else runs.
    pub fn replication(&self, index: u64) -> Streams {
        let mut mixer = SplitMix64::seed_from_u64(self.master_seed ^ fnv1a64(b"replication"));
        let base = rand::Rng::next_u64(&mut mixer);
        let mut mixer = SplitMix64::seed_from_u64(base.wrapping_add(index));
        Streams::new(rand::Rng::next_u64(&mut mixer))
    }
}

/// FNV-1a, 64 bit: a fixed, documented hash (unlike `std`'s, which may change between releases).
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn first(rng: &mut StreamRng, n: usize) -> Vec<u64> {
        (0..n).map(|_| rng.next_u64()).collect()
    }

    #[test]
    fn fnv_matches_reference_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn same_seed_and_name_same_numbers() {
        let s = Streams::new(42);
        assert_eq!(
            first(&mut s.stream("arrivals/exports"), 8),
            first(&mut s.stream("arrivals/exports"), 8)
        );
    }

    #[test]
    fn names_and_seeds_give_different_streams() {
        let s = Streams::new(42);
        let a = first(&mut s.stream("arrivals/exports"), 8);
        assert_ne!(a, first(&mut s.stream("service/inspection"), 8));
        assert_ne!(
            a,
            first(&mut Streams::new(43).stream("arrivals/exports"), 8)
        );
    }

    #[test]
    fn pinned_output_never_changes() {
        // Changing the seeding scheme silently breaks every user's reproducibility.
        let got = Streams::new(20240301).stream("arrivals/exports").next_u64();
        assert_eq!(got, PINNED_FIRST_DRAW, "the stream seeding scheme changed");
    }

    #[test]
    fn replications_are_distinct_and_stable() {
        let s = Streams::new(7);
        assert_eq!(s.replication(3), s.replication(3));
        assert_ne!(s.replication(3), s.replication(4));
        assert_ne!(s.replication(0), s);
    }

    const PINNED_FIRST_DRAW: u64 = 14_690_892_355_516_314_902;
}
