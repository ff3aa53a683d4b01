//! Simulator configuration.

/// How to start a [`crate::Simulator`].
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Emit every list as a JSON array, even with one member (turns off quirk §9.1).
    pub always_arrays: bool,
    /// Server quirks on (default). `false` behaves like `always_arrays = true`.
    pub quirks: bool,
    /// Run the demo script of visitors.
    pub demo: bool,
    /// Demo pace: 1.0 = human pace, 20.0 = twenty times faster.
    pub demo_speed: f64,
    /// Run the timers (offer window, chatTimeout) on real time in the background every 250 ms.
    /// `advance_clock` always runs them too.
    pub background_timers: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            port: 0,
            always_arrays: false,
            quirks: true,
            demo: false,
            demo_speed: 1.0,
            background_timers: true,
        }
    }
}

impl SimConfig {
    /// True when one-element lists must stay arrays.
    pub fn arrays(&self) -> bool {
        self.always_arrays || !self.quirks
    }
}
