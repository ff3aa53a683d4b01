//! The desk's tones, played from Rust so that they sound while the window is hidden to the tray
//! (a hidden webview throttles its timers, and the notification server may play nothing).
//!
//! One thread of its own ("sound") owns the audio output: callers only send it a message, so
//! neither the GTK main thread nor an async worker ever waits on the audio system. The output is
//! opened when a tone plays and closed again after a few quiet seconds, so an idle desk holds no
//! audio stream. Without an audio device (a server, a container, a broken setup) a tone logs one
//! warning and is dropped; the notification's `sound-name` hint remains the second path then.
//!
//! The tones are ours (`scripts/make-tones.sh` synthesises them with sox) and bundled into the
//! binary, so nothing is looked up on disk at run time.

use std::io::Cursor;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::alert_settings::RingTone;
use crate::settings::Settings;

/// How long the output stays open after the last tone ended.
const CLOSE_AFTER: Duration = Duration::from_secs(5);
/// How often the thread looks whether an open output has gone quiet.
const IDLE_CHECK: Duration = Duration::from_millis(500);

/// The WAV bytes of a tone.
pub fn wav(tone: RingTone) -> &'static [u8] {
    match tone {
        RingTone::MessageNewInstant => include_bytes!("../sounds/message.wav"),
        RingTone::PhoneIncomingCall => include_bytes!("../sounds/phone.wav"),
        RingTone::Bell => include_bytes!("../sounds/bell.wav"),
        RingTone::Complete => include_bytes!("../sounds/chime.wav"),
    }
}

/// The gain for a volume in percent (0–100, more is taken as 100). Squared, so that the slider's
/// steps sound roughly even to the ear (loudness follows amplitude logarithmically).
pub fn gain(volume: u8) -> f32 {
    let v = f32::from(volume.min(100)) / 100.0;
    v * v
}

/// Whether a tone should sound under the agent's settings: not when muted, not at volume 0.
pub fn audible(settings: &Settings) -> bool {
    !settings.muted && settings.alerts.ring.volume > 0
}

/// What the player knows about the audio output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Nothing was played yet.
    Unknown,
    /// The last tone reached an output device.
    Working,
    /// The last attempt found no usable output (logged once).
    Missing,
}

enum Command {
    Play { tone: RingTone, volume: u8 },
    Stop,
}

/// The handle to the sound thread (managed by Tauri; cheap to call from anywhere).
pub struct Sound {
    tx: Option<mpsc::Sender<Command>>,
    output: Arc<AtomicU8>,
}

impl Sound {
    /// Starts the sound thread. If the thread cannot be started, tones are logged and dropped.
    pub fn start() -> Self {
        let (tx, rx) = mpsc::channel();
        let output = Arc::new(AtomicU8::new(Output::Unknown as u8));
        let state = Arc::clone(&output);
        let started = std::thread::Builder::new()
            .name("sound".into())
            .spawn(move || run(&rx, &state));
        match started {
            Ok(_) => Self {
                tx: Some(tx),
                output,
            },
            Err(error) => {
                tracing::warn!(%error, "could not start the sound thread: tones stay silent");
                Self { tx: None, output }
            }
        }
    }

    /// Plays an alert's tone unless the settings silence it (muted, volume 0). A tone still
    /// playing stops first.
    pub fn alert(&self, tone: RingTone, settings: &Settings) {
        if audible(settings) {
            self.send(Command::Play {
                tone,
                volume: settings.alerts.ring.volume,
            });
        }
    }

    /// Plays a tone at a volume whatever the mute says (the agent asked to hear it: the settings'
    /// "Play" button). Volume 0 stops what plays and plays nothing.
    pub fn preview(&self, tone: RingTone, volume: u8) {
        if volume == 0 {
            self.stop();
        } else {
            self.send(Command::Play { tone, volume });
        }
    }

    /// Stops a tone still playing (the ring was accepted, the agent muted).
    pub fn stop(&self) {
        self.send(Command::Stop);
    }

    /// What the player knows about the audio output.
    pub fn output(&self) -> Output {
        match self.output.load(Ordering::Relaxed) {
            x if x == Output::Working as u8 => Output::Working,
            x if x == Output::Missing as u8 => Output::Missing,
            _ => Output::Unknown,
        }
    }

    fn send(&self, command: Command) {
        if let Some(tx) = &self.tx {
            // The thread lives as long as the handle; if it died, the tone is dropped.
            let _ = tx.send(command);
        }
    }
}

/// The open audio output and the tone on it.
struct Open {
    device: rodio::MixerDeviceSink,
    /// Dropping a player stops its tone.
    playing: Option<rodio::Player>,
    quiet_since: Instant,
}

fn run(rx: &mpsc::Receiver<Command>, output: &AtomicU8) {
    let mut open: Option<Open> = None;
    let mut warned = false;
    // Learn at once whether there is an output, so the first notification knows whether to carry
    // the sound hint (the output is opened and closed again; nothing plays).
    match rodio::DeviceSinkBuilder::open_default_sink() {
        Ok(mut device) => {
            device.log_on_drop(false);
            output.store(Output::Working as u8, Ordering::Relaxed);
        }
        Err(error) => {
            output.store(Output::Missing as u8, Ordering::Relaxed);
            tracing::warn!(%error, "no audio output: tones are not played (notifications still ask the desktop for a sound)");
            warned = true;
        }
    }
    loop {
        let command = if open.is_some() {
            match rx.recv_timeout(IDLE_CHECK) {
                Ok(command) => Some(command),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match rx.recv() {
                Ok(command) => Some(command),
                Err(_) => return,
            }
        };
        match command {
            Some(Command::Play { tone, volume }) => {
                if open.is_none() {
                    match rodio::DeviceSinkBuilder::open_default_sink() {
                        Ok(mut device) => {
                            device.log_on_drop(false);
                            output.store(Output::Working as u8, Ordering::Relaxed);
                            if warned {
                                tracing::info!("an audio output is back: tones play again");
                                warned = false;
                            }
                            open = Some(Open {
                                device,
                                playing: None,
                                quiet_since: Instant::now(),
                            });
                        }
                        Err(error) => {
                            output.store(Output::Missing as u8, Ordering::Relaxed);
                            if !warned {
                                tracing::warn!(%error, "no audio output: tones are not played (notifications still ask the desktop for a sound)");
                                warned = true;
                            }
                            continue;
                        }
                    }
                }
                if let Some(open) = &mut open {
                    play(open, tone, volume);
                }
            }
            Some(Command::Stop) => {
                if let Some(open) = &mut open {
                    open.playing = None;
                }
            }
            None => {}
        }
        // Close an output that has been quiet for a while.
        if let Some(o) = &mut open {
            if o.playing.as_ref().is_some_and(|p| !p.empty()) {
                o.quiet_since = Instant::now();
            } else if o.quiet_since.elapsed() >= CLOSE_AFTER {
                open = None;
            }
        }
    }
}

fn play(open: &mut Open, tone: RingTone, volume: u8) {
    // The tone before stops (its player is dropped).
    open.playing = None;
    let decoder = match rodio::Decoder::new_wav(Cursor::new(wav(tone))) {
        Ok(decoder) => decoder,
        Err(error) => {
            tracing::warn!(%error, ?tone, "a bundled tone could not be decoded");
            return;
        }
    };
    let player = rodio::Player::connect_new(open.device.mixer());
    player.set_volume(gain(volume));
    player.append(decoder);
    open.quiet_since = Instant::now();
    open.playing = Some(player);
}

#[cfg(test)]
#[path = "sound_pulse_tests.rs"]
mod pulse_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use rodio::Source;

    #[test]
    fn every_tone_decodes_to_a_short_sound() {
        for tone in [
            RingTone::MessageNewInstant,
            RingTone::PhoneIncomingCall,
            RingTone::Bell,
            RingTone::Complete,
        ] {
            let decoder = rodio::Decoder::new_wav(Cursor::new(wav(tone))).unwrap();
            let rate = decoder.sample_rate().get();
            let samples: Vec<f32> = decoder.collect();
            let secs = samples.len() as f32 / rate as f32;
            assert!((0.3..=1.5).contains(&secs), "{tone:?} lasts {secs} s");
            let peak = samples.iter().fold(0f32, |m, s| m.max(s.abs()));
            assert!((0.5..=0.8).contains(&peak), "{tone:?} peaks at {peak}");
        }
    }

    #[test]
    fn volume_maps_to_gain() {
        assert_eq!(gain(0), 0.0);
        assert_eq!(gain(100), 1.0);
        assert_eq!(gain(200), 1.0);
        assert!((gain(50) - 0.25).abs() < 1e-6);
        assert!(gain(30) < gain(31));
    }

    #[test]
    fn mute_and_volume_zero_are_silent() {
        let mut settings = Settings::default();
        assert!(audible(&settings));
        settings.muted = true;
        assert!(!audible(&settings));
        settings.muted = false;
        settings.alerts.ring.volume = 0;
        assert!(!audible(&settings));
    }
}
