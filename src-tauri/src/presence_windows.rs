//! Idle time and screen lock on Windows, read every poll (`presence_poll.rs` does the rest):
//! - idle: `GetLastInputInfo` gives the tick count of the session's last input; `GetTickCount`
//!   is now. Both are 32-bit millisecond counters that wrap after 49.7 days, so the difference
//!   is taken with wrapping arithmetic.
//! - lock: `WTSQuerySessionInformationW(WTSSessionInfoEx)` for this session; its
//!   `WTSINFOEX_LEVEL1.SessionFlags` is `WTS_SESSIONSTATE_LOCK` or `_UNLOCK` (or `_UNKNOWN`).
//!   Microsoft documents the two as swapped on Windows 7 and Server 2008 R2, which Tauri's
//!   WebView2 does not support anyway.
//!
//! Compiled in the cross check (`scripts/cross-check.sh`); not run on Windows by anyone yet.

// Calls into user32, kernel32 and wtsapi32; each call below says why it is sound.
#![allow(unsafe_code)]

use std::time::Duration;

use windows_sys::Win32::System::RemoteDesktop::{
    WTS_CURRENT_SERVER_HANDLE, WTS_CURRENT_SESSION, WTS_SESSIONSTATE_LOCK, WTS_SESSIONSTATE_UNLOCK,
    WTSFreeMemory, WTSINFOEXW, WTSQuerySessionInformationW, WTSSessionInfoEx,
};
use windows_sys::Win32::System::SystemInformation::GetTickCount;
use windows_sys::Win32::UI::Input::KeyboardAndMouse::{GetLastInputInfo, LASTINPUTINFO};

use crate::presence_poll::Probe;

/// Reads this session's idle time and lock state.
pub struct WindowsProbe;

impl Probe for WindowsProbe {
    fn idle_for(&mut self) -> Option<Duration> {
        let mut info = LASTINPUTINFO {
            cbSize: size_of::<LASTINPUTINFO>() as u32,
            dwTime: 0,
        };
        // SAFETY: `info` is a live, writable LASTINPUTINFO with `cbSize` set, as the call requires.
        if unsafe { GetLastInputInfo(&mut info) } == 0 {
            return None;
        }
        // SAFETY: no arguments; reads a counter.
        let now = unsafe { GetTickCount() };
        Some(Duration::from_millis(now.wrapping_sub(info.dwTime).into()))
    }

    fn locked(&mut self) -> Option<bool> {
        let mut buffer = std::ptr::null_mut();
        let mut bytes = 0u32;
        // SAFETY: both out-pointers point at live locals; on success the system allocates the
        // buffer, which is freed below with WTSFreeMemory.
        let ok = unsafe {
            WTSQuerySessionInformationW(
                WTS_CURRENT_SERVER_HANDLE,
                WTS_CURRENT_SESSION,
                WTSSessionInfoEx,
                &mut buffer,
                &mut bytes,
            )
        };
        if ok == 0 || buffer.is_null() {
            return None;
        }
        let flags = if bytes as usize >= size_of::<WTSINFOEXW>() {
            // SAFETY: for WTSSessionInfoEx the buffer holds a WTSINFOEXW (size checked above),
            // read unaligned to make no assumption about the allocation.
            let info = unsafe { std::ptr::read_unaligned(buffer.cast::<WTSINFOEXW>()) };
            // SAFETY: the union's level-1 member is the one `Level == 1` says is filled; it is
            // plain integers and arrays, so any bits are a valid value.
            let flags = unsafe { info.Data.WTSInfoExLevel1.SessionFlags };
            (info.Level == 1).then_some(flags)
        } else {
            None
        };
        // SAFETY: `buffer` came from WTSQuerySessionInformationW and is freed once.
        unsafe { WTSFreeMemory(buffer.cast()) };
        match flags.map(|flags| flags as u32) {
            Some(WTS_SESSIONSTATE_LOCK) => Some(true),
            Some(WTS_SESSIONSTATE_UNLOCK) => Some(false),
            _ => None,
        }
    }
}
