//! Test helpers with no dependency beyond std (and `wasm-bindgen-test` in WASM), shared
//! by `common` and by tests/jcs-reference, which is its own workspace.
#![allow(dead_code)]

/// Print a line of test output (case counts): stdout natively, the console in WASM.
#[cfg(not(target_arch = "wasm32"))]
#[allow(unused_macros)]
macro_rules! say {
    ($($t:tt)*) => { println!($($t)*) };
}
#[cfg(target_arch = "wasm32")]
#[allow(unused_macros)]
macro_rules! say {
    ($($t:tt)*) => { wasm_bindgen_test::console_log!($($t)*) };
}

/// xorshift64*: deterministic, dependency-free, so a failure names a reproducible seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
