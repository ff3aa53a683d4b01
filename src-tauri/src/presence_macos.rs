//! Idle time and screen lock on macOS, read every poll (`presence_poll.rs` does the rest):
//! - idle: CoreGraphics' `CGEventSourceSecondsSinceLastEventType` for the combined session state
//!   and any input event type;
//! - lock: `CGSessionCopyCurrentDictionary` (CoreGraphics) and its `CGSSessionScreenIsLocked`
//!   key, present and true while the login window covers the session. Apple documents the
//!   function but not that key; it is what macOS has set for many releases, and where it is
//!   missing we read "not locked", so at worst a lock goes unnoticed (idle still applies).
//!
//! Declared here with `extern "C"` against the system frameworks (no crate for two calls).
//! Compiled in the cross check (`scripts/cross-check.sh`); not run on a Mac by anyone yet.

// Calls into CoreGraphics and CoreFoundation; each call below says why it is sound.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_void};
use std::time::Duration;

use crate::presence_poll::Probe;

type CFTypeRef = *const c_void;
type CFDictionaryRef = *const c_void;
type CFStringRef = *const c_void;
type CFBooleanRef = *const c_void;

/// `kCGEventSourceStateCombinedSessionState`: input from every source in this login session.
const COMBINED_SESSION_STATE: i32 = 0;
/// `kCGAnyInputEventType` (`~0`): the last event of any kind.
const ANY_INPUT_EVENT: u32 = !0;
/// `kCFStringEncodingUTF8`.
const UTF8: u32 = 0x0800_0100;

#[link(name = "CoreGraphics", kind = "framework")]
unsafe extern "C" {
    fn CGEventSourceSecondsSinceLastEventType(state: i32, event_type: u32) -> f64;
    fn CGSessionCopyCurrentDictionary() -> CFDictionaryRef;
}

#[link(name = "CoreFoundation", kind = "framework")]
unsafe extern "C" {
    fn CFStringCreateWithCString(
        allocator: *const c_void,
        text: *const c_char,
        encoding: u32,
    ) -> CFStringRef;
    fn CFDictionaryGetValue(dictionary: CFDictionaryRef, key: *const c_void) -> *const c_void;
    fn CFGetTypeID(value: CFTypeRef) -> usize;
    fn CFBooleanGetTypeID() -> usize;
    fn CFBooleanGetValue(value: CFBooleanRef) -> u8;
    fn CFRelease(value: CFTypeRef);
}

/// Reads this session's idle time and lock state.
pub struct MacProbe;

impl Probe for MacProbe {
    fn idle_for(&mut self) -> Option<Duration> {
        // SAFETY: plain values in, a number out.
        let seconds = unsafe {
            CGEventSourceSecondsSinceLastEventType(COMBINED_SESSION_STATE, ANY_INPUT_EVENT)
        };
        Duration::try_from_secs_f64(seconds).ok()
    }

    fn locked(&mut self) -> Option<bool> {
        // SAFETY: no arguments; the result is null (no window server session) or a dictionary
        // we own and release below.
        let session = unsafe { CGSessionCopyCurrentDictionary() };
        if session.is_null() {
            return None;
        }
        // SAFETY: a NUL-terminated literal; the default allocator (null); released below.
        let key = unsafe {
            CFStringCreateWithCString(std::ptr::null(), c"CGSSessionScreenIsLocked".as_ptr(), UTF8)
        };
        let locked = if key.is_null() {
            None
        } else {
            // SAFETY: `session` and `key` are live CF objects; the value is borrowed from the
            // dictionary (not released by us) and only read while the dictionary lives; its
            // type is checked before it is read as a CFBoolean.
            let value = unsafe { CFDictionaryGetValue(session, key) };
            let locked = !value.is_null()
                && unsafe { CFGetTypeID(value) == CFBooleanGetTypeID() }
                && unsafe { CFBooleanGetValue(value) } != 0;
            // SAFETY: created above, released once.
            unsafe { CFRelease(key) };
            Some(locked)
        };
        // SAFETY: a "Copy" function's result is ours to release, once.
        unsafe { CFRelease(session) };
        locked
    }
}
