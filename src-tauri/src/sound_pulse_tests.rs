//! The tones on real audio parts: the test starts a PulseAudio daemon of its own with a null sink
//! (no sound card needed), the player reaches it the way it reaches any desktop's audio (cpal →
//! ALSA's default device → the PulseAudio ALSA plugin), sox records the sink's monitor (through the
//! same plugin) and measures what came out.
//!
//! Run under `scripts/desktop-session.sh`, which gives the session a private `XDG_RUNTIME_DIR`, so
//! the daemon's socket is where the client looks by default and nobody's real audio is touched:
//!   scripts/desktop-session.sh cargo test -p agent-desk --lib -- --include-ignored sound::

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::*;

/// A PulseAudio daemon with one null sink, "ring", the default sink; stopped on drop.
struct Pulse {
    daemon: Child,
    dir: tempfile::TempDir,
    /// One daemon at a time (the tests of this file run in parallel threads of one process).
    _turn: MutexGuard<'static, ()>,
}

static TURN: Mutex<()> = Mutex::new(());

fn take_turn() -> MutexGuard<'static, ()> {
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Pulse {
    fn start() -> Self {
        Self::start_in(take_turn())
    }

    fn start_in(turn: MutexGuard<'static, ()>) -> Self {
        assert!(
            std::env::var_os("AGENT_DESK_DESKTOP_SESSION").is_some(),
            "run this test under scripts/desktop-session.sh (it gives the test a private XDG_RUNTIME_DIR)"
        );
        let runtime = std::env::var_os("XDG_RUNTIME_DIR")
            .map(PathBuf::from)
            .filter(|dir| dir.is_dir())
            .unwrap_or_else(|| panic!("XDG_RUNTIME_DIR is not a folder"));
        assert!(
            !pactl_answers(),
            "a PulseAudio server already answers in {}: this test wants its own",
            runtime.display()
        );
        let dir = tempfile::tempdir().unwrap();
        let daemon = Command::new("pulseaudio")
            .args([
                "-n",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--use-pid-file=no",
                "--disable-shm=yes",
                "--log-target=stderr",
                "-L",
                "module-native-protocol-unix auth-anonymous=1",
                "-L",
                "module-null-sink sink_name=ring",
            ])
            .env("HOME", dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("pulseaudio could not start (scripts/setup.sh installs it): {e}")
            });
        let pulse = Self {
            daemon,
            dir,
            _turn: turn,
        };
        let started = Instant::now();
        while !pactl_answers() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "pulseaudio did not answer within 10 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        pulse
    }

    /// Records the sink's monitor for `secs` from the moment `during` starts; sox's figures.
    fn record(&self, name: &str, secs: f32, during: impl FnOnce()) -> Recording {
        let raw = self.dir.path().join(format!("{name}.raw"));
        // sox records through ALSA's PulseAudio plugin from the sink's monitor, for a set time.
        let mut sox = Command::new("sox")
            .args(["-q", "-t", "alsa", "default"])
            .args(RAW)
            .arg(&raw)
            .args(["trim", "0", &format!("{:.2}", secs + LEAD_IN)])
            .env("PULSE_SOURCE", "ring.monitor")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("sox could not start (scripts/setup.sh installs it): {e}"));
        // The tone starts once the recording runs (sox writes its first block).
        let started = Instant::now();
        while std::fs::metadata(&raw).map_or(0, |m| m.len()) == 0 {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "sox recorded nothing within 10 s"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        during();
        let status = sox.wait().unwrap();
        assert!(status.success(), "sox failed recording: {status}");
        let measure = sox_stat(&raw, 0.0);
        eprintln!("{name}: {measure:?}");
        Recording { raw, measure }
    }
}

/// The raw recording's format, for sox.
const RAW: [&str; 10] = [
    "-t", "raw", "-r", "44100", "-e", "signed", "-b", "16", "-c", "1",
];

impl Drop for Pulse {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// How much longer the recording runs than asked (it starts a little before the tone).
const LEAD_IN: f32 = 0.2;

fn pactl_answers() -> bool {
    Command::new("pactl")
        .arg("info")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A recording and sox's figures for all of it.
struct Recording {
    raw: PathBuf,
    measure: Measure,
}

impl Recording {
    /// Sox's figures from `start` seconds on.
    fn from(&self, start: f32) -> Measure {
        sox_stat(&self.raw, start)
    }
}

/// What sox says about a recording (amplitudes from 0 to 1).
#[derive(Debug, Clone, Copy)]
struct Measure {
    seconds: f32,
    rms: f32,
    peak: f32,
}

fn sox_stat(raw: &Path, start: f32) -> Measure {
    let out = Command::new("sox")
        .args(RAW)
        .arg(raw)
        .args(["-n", "trim", &format!("{start:.2}"), "stat"])
        .output()
        .unwrap_or_else(|e| panic!("sox could not start: {e}"));
    let text = String::from_utf8_lossy(&out.stderr);
    let field = |label: &str| -> f32 {
        text.lines()
            .find(|l| l.starts_with(label))
            .and_then(|l| l.rsplit(':').next())
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {label:?} in sox's answer: {text}"))
    };
    Measure {
        seconds: field("Length (seconds)"),
        rms: field("RMS     amplitude"),
        peak: field("Maximum amplitude"),
    }
}

fn settings(volume: u8, muted: bool) -> Settings {
    let mut s = Settings::default();
    s.alerts.ring.volume = volume;
    s.muted = muted;
    s
}

/// Loud enough to hear (the tones peak at -3 dBFS; 80 % is a gain of 0.64).
const HEARD_RMS: f32 = 0.02;
/// Digital silence, give or take a rounding.
const SILENT_PEAK: f32 = 0.001;

#[test]
#[ignore = "needs PulseAudio, parec and sox: scripts/desktop-session.sh cargo test -p agent-desk --lib -- --include-ignored sound::"]
fn tones_reach_a_pulseaudio_sink_at_their_volume_and_mute_silences_them() {
    let pulse = Pulse::start();
    let sound = Sound::start();
    let started = Instant::now();
    while sound.output() != Output::Working {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the player found no output: {:?}",
            sound.output()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let loud = pulse
        .record("message-80", 1.0, || {
            sound.alert(RingTone::MessageNewInstant, &settings(80, false));
        })
        .measure;
    assert!(loud.seconds > 1.0, "{loud:?}");
    assert!(loud.rms > HEARD_RMS, "the tone came out: {loud:?}");
    assert!(
        loud.peak > 0.3 && loud.peak < 0.6,
        "peak near 0.707 × 0.64: {loud:?}"
    );

    let muted = pulse
        .record("message-muted", 1.0, || {
            sound.alert(RingTone::MessageNewInstant, &settings(80, true));
        })
        .measure;
    assert!(muted.peak < SILENT_PEAK, "muted is silent: {muted:?}");

    let zero = pulse
        .record("message-0", 1.0, || {
            sound.alert(RingTone::MessageNewInstant, &settings(0, false));
        })
        .measure;
    assert!(zero.peak < SILENT_PEAK, "volume 0 is silent: {zero:?}");

    // The preview plays while muted, at the volume it is given.
    let quiet = pulse
        .record("message-preview-30", 1.0, || {
            sound.preview(RingTone::MessageNewInstant, 30);
        })
        .measure;
    assert!(
        quiet.rms > HEARD_RMS / 10.0 && quiet.rms < loud.rms / 3.0,
        "30 % is quieter than 80 %: {quiet:?} vs {loud:?}"
    );

    // Every tone plays.
    for tone in [
        RingTone::PhoneIncomingCall,
        RingTone::Bell,
        RingTone::Complete,
    ] {
        let heard = pulse
            .record(&format!("{tone:?}"), 1.4, || {
                sound.preview(tone, 100);
            })
            .measure;
        assert!(heard.rms > HEARD_RMS, "{tone:?}: {heard:?}");
    }
}

#[test]
#[ignore = "needs PulseAudio, parec and sox: scripts/desktop-session.sh cargo test -p agent-desk --lib -- --include-ignored sound::"]
fn stopping_cuts_a_tone_short() {
    let pulse = Pulse::start();
    let sound = Sound::start();
    // The bell rings for 1.1 s; the recording starts at most a few tenths of a second before it.
    let whole = pulse.record("bell-whole", 1.6, || sound.preview(RingTone::Bell, 100));
    let cut = pulse.record("bell-stopped", 1.6, || {
        sound.preview(RingTone::Bell, 100);
        std::thread::sleep(Duration::from_millis(150));
        sound.stop();
    });
    assert!(cut.measure.rms > HEARD_RMS, "it started: {:?}", cut.measure);
    // Less than half the energy (RMS²) of the whole bell: the stop lands within a few tenths of a
    // second (the sound thread, then the output's buffers).
    assert!(
        cut.measure.rms < whole.measure.rms * 0.7,
        "stopped early: {:?} vs {:?}",
        cut.measure,
        whole.measure
    );
    // From 0.9 s on the whole bell still sounds, the stopped one is silent.
    let (whole_tail, cut_tail) = (whole.from(0.9), cut.from(0.9));
    eprintln!("tails from 0.9 s: whole {whole_tail:?}, stopped {cut_tail:?}");
    assert!(whole_tail.rms > HEARD_RMS, "{whole_tail:?}");
    assert!(cut_tail.peak < SILENT_PEAK, "{cut_tail:?}");
}

#[test]
#[ignore = "needs PulseAudio, parec and sox: scripts/desktop-session.sh cargo test -p agent-desk --lib -- --include-ignored sound::"]
fn without_an_output_tones_return_at_once_and_play_once_one_appears() {
    let turn = take_turn();
    assert!(!pactl_answers(), "no PulseAudio server runs yet");
    let sound = Sound::start();
    let started = Instant::now();
    for _ in 0..20 {
        sound.alert(RingTone::Bell, &settings(80, false));
        sound.preview(RingTone::PhoneIncomingCall, 50);
    }
    sound.stop();
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "the callers never wait on the audio system: {:?}",
        started.elapsed()
    );
    while sound.output() == Output::Unknown {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the sound thread answered"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        sound.output(),
        Output::Missing,
        "this machine has an audio output besides the test's PulseAudio (a sound card?): the test needs none, as on CI"
    );
    // An output appears: the next tone finds it (the thread survived, and tries again).
    let pulse = Pulse::start_in(turn);
    let heard = pulse
        .record("after-no-output", 1.0, || {
            sound.alert(RingTone::MessageNewInstant, &settings(80, false));
        })
        .measure;
    assert!(heard.rms > HEARD_RMS, "{heard:?}");
    assert_eq!(sound.output(), Output::Working);
}
