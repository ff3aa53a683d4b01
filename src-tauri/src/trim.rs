//! Giving memory back once tray mode has released the webview (issue 10 §3, Linux).
//!
//! Destroying the webview ends WebKit's web process, but two costs stay with a desk hidden in the
//! tray all day (measured with 20 chats, `docs/benchmarks.md`):
//! - WebKit's network process (≈ 30 MiB PSS) lives as long as the web context, although nothing
//!   uses it while there is no page. It is ended here; WebKit starts a new one when the window is
//!   built again (the page loads from the app's own protocol, and keeps nothing in it that must
//!   outlive the page: the login form's remembered fields were written long before).
//! - The shell's process keeps the pages of code and read-only data it touched at start and while
//!   the page ran (its own binary, libwebkit2gtk, JavaScriptCore, GTK …): ≈ 50 MiB that the web
//!   process shared before and the shell now holds alone. They are handed back to the kernel with
//!   `madvise(MADV_PAGEOUT)`, the way Android compacts an app sent to the background: what the
//!   engine and the tray keep using comes back on its next touch, from the page cache or the file.
//!   Only clean pages of files are asked for (mappings with no private, written pages), so nothing
//!   ever goes to swap and nothing changes in memory. Kernels before 5.4 refuse the advice; that
//!   costs nothing.
//!
//! `AGENT_DESK_TRIM=0` turns both off (to compare, or should a WebKit ever mind its network
//! process ending). Under WebDriver automation (`TAURI_WEBVIEW_AUTOMATION`) the network process is
//! kept: WebKit's automation session does not survive it, and the real-window suite follows the
//! rebuilt page through that session. `AGENT_DESK_TRIM=all` ends it even then (the suite's own
//! test of this path, which checks the new page without WebDriver).

/// `0`/`off`: no trim; `all`: end the network process even under automation; else the default.
pub const TRIM_ENV: &str = "AGENT_DESK_TRIM";
/// Tauri turns WebKit's automation (WebDriver) on when this is `true`.
const AUTOMATION_ENV: &str = "TAURI_WEBVIEW_AUTOMATION";

/// What the trim does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trim {
    /// End WebKit's network process.
    pub end_network_process: bool,
    /// Page out the shell's clean file pages.
    pub page_out: bool,
}

/// From the values of [`TRIM_ENV`] and of Tauri's automation switch.
pub fn decide(trim: Option<&str>, automation: Option<&str>) -> Trim {
    let automated = automation.is_some_and(|v| {
        let v = v.trim();
        v.eq_ignore_ascii_case("true") || v == "1"
    });
    match trim.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        Some("0" | "off" | "no" | "false") => Trim {
            end_network_process: false,
            page_out: false,
        },
        Some("all") => Trim {
            end_network_process: true,
            page_out: true,
        },
        _ => Trim {
            end_network_process: !automated,
            page_out: true,
        },
    }
}

/// One mapping of `/proc/self/smaps` worth paging out: its address range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: usize,
    pub len: usize,
}

/// The mappings of a `/proc/<pid>/smaps` text whose resident pages are all clean pages of a file:
/// a path that is a real file (not shared memory, a memfd or a device), no anonymous (written,
/// copy-on-write) pages and no dirty ones. These can be dropped and read again unchanged.
pub fn clean_file_ranges(smaps: &str) -> Vec<Range> {
    struct Current {
        range: Range,
        file: bool,
        rss: u64,
        written: bool,
    }
    let mut out = Vec::new();
    let mut current: Option<Current> = None;
    let finish = |c: Option<Current>, out: &mut Vec<Range>| {
        if let Some(c) = c
            && c.file
            && c.rss > 0
            && !c.written
        {
            out.push(c.range);
        }
    };
    for line in smaps.lines() {
        let mut fields = line.split_whitespace();
        let Some(first) = fields.next() else {
            continue;
        };
        if let Some((start, end)) = first.split_once('-')
            && let (Ok(start), Ok(end)) = (
                usize::from_str_radix(start, 16),
                usize::from_str_radix(end, 16),
            )
        {
            finish(current.take(), &mut out);
            // address perms offset dev inode [path]
            let path = fields.nth(4).unwrap_or("");
            let file = path.starts_with('/')
                && !path.starts_with("/SYSV")
                && !path.starts_with("/memfd:")
                && !path.starts_with("/dev/");
            current = Some(Current {
                range: Range {
                    start,
                    len: end.saturating_sub(start),
                },
                file,
                rss: 0,
                written: false,
            });
            continue;
        }
        let Some(c) = current.as_mut() else {
            continue;
        };
        let kib = fields
            .next()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        match first {
            "Rss:" => c.rss = kib,
            "Anonymous:" | "Shared_Dirty:" | "Private_Dirty:" | "Swap:" if kib > 0 => {
                c.written = true;
            }
            _ => {}
        }
    }
    finish(current.take(), &mut out);
    out
}

/// After the webview was released: waits for the web process to leave, ends the network
/// process and pages out the shell's clean file pages (on a thread of its own; never blocks).
pub fn after_release() {
    let trim = decide(
        std::env::var(TRIM_ENV).ok().as_deref(),
        std::env::var(AUTOMATION_ENV).ok().as_deref(),
    );
    if !trim.end_network_process && !trim.page_out {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        let spawned = std::thread::Builder::new()
            .name("tray-trim".into())
            .spawn(move || linux::trim(trim));
        if let Err(error) = spawned {
            tracing::warn!(%error, "could not start the tray-mode trim");
        }
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use super::{Range, Trim, clean_file_ranges};
    use std::time::{Duration, Instant};

    /// How long to wait for the web process to leave before trimming (it exits a moment after
    /// the webview is destroyed).
    const WEB_PROCESS_GONE: Duration = Duration::from_secs(5);

    /// This process's children whose name starts with `prefix` (WebKit names its processes
    /// `WebKitWebProcess`, `WebKitNetworkProcess`; the kernel keeps 15 bytes of it).
    fn children(prefix: &str) -> Vec<i32> {
        let me = std::process::id().to_string();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|entry| {
                let pid: i32 = entry.file_name().to_str()?.parse().ok()?;
                let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
                // pid (comm) state ppid …: comm may hold spaces and parentheses.
                let (head, rest) = stat.rsplit_once(')')?;
                let comm = head.split_once('(')?.1;
                let ppid = rest.split_whitespace().nth(1)?;
                (ppid == me && comm.starts_with(prefix)).then_some(pid)
            })
            .collect()
    }

    /// Proportional set size of this process, KiB (for the log).
    fn pss_kib() -> Option<u64> {
        let rollup = std::fs::read_to_string("/proc/self/smaps_rollup").ok()?;
        rollup
            .lines()
            .find_map(|l| l.strip_prefix("Pss:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
    }

    pub(super) fn trim(trim: Trim) {
        let waited = Instant::now();
        while !children("WebKitWebProc").is_empty() {
            if waited.elapsed() > WEB_PROCESS_GONE {
                tracing::info!("a web process is still running: no trim this time");
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let before = pss_kib();
        let mut ended = 0;
        let network = if trim.end_network_process {
            children("WebKitNetworkP")
        } else {
            Vec::new()
        };
        for pid in network {
            let Some(pid) = rustix::process::Pid::from_raw(pid) else {
                continue;
            };
            match rustix::process::kill_process(pid, rustix::process::Signal::TERM) {
                Ok(()) => ended += 1,
                Err(error) => tracing::debug!(%error, "could not end WebKit's network process"),
            }
        }
        let (asked, refused) = match std::fs::read_to_string("/proc/self/smaps") {
            Ok(_) if !trim.page_out => (0, 0),
            Ok(smaps) => page_out(&clean_file_ranges(&smaps)),
            Err(error) => {
                tracing::debug!(%error, "cannot read /proc/self/smaps");
                (0, 0)
            }
        };
        tracing::info!(
            network_processes_ended = ended,
            paged_out_mib = format_args!("{:.1}", asked as f64 / 1_048_576.0),
            refused,
            pss_before_mib = format_args!("{:.1}", before.unwrap_or(0) as f64 / 1024.0),
            pss_after_mib = format_args!("{:.1}", pss_kib().unwrap_or(0) as f64 / 1024.0),
            "tray mode: memory handed back"
        );
    }

    /// Asks the kernel to reclaim the pages of each range; returns the bytes asked for and how
    /// many ranges it refused (an old kernel, or a mapping gone meanwhile).
    pub(super) fn page_out(ranges: &[Range]) -> (usize, usize) {
        let mut asked = 0;
        let mut refused = 0;
        for range in ranges {
            if advise_pageout(*range) {
                asked += range.len;
            } else {
                refused += 1;
            }
        }
        (asked, refused)
    }

    /// `madvise(MADV_PAGEOUT)` on one range. Sound whatever the range: the advice never changes
    /// what memory holds (a reclaimed page is read back unchanged on its next touch), and a range
    /// that is no longer mapped only makes the call fail.
    #[allow(unsafe_code)]
    fn advise_pageout(range: Range) -> bool {
        // SAFETY: MADV_PAGEOUT only tells the kernel the pages may be reclaimed; their contents
        // stay as they are for every thread of this process, so no Rust reference can observe a
        // change. The pointer is never dereferenced here.
        unsafe {
            rustix::mm::madvise(
                range.start as *mut core::ffi::c_void,
                range.len,
                rustix::mm::Advice::LinuxPageOut,
            )
        }
        .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMAPS: &str = "\
55d000000000-55d000100000 r-xp 00001000 fe:01 123 /usr/bin/agent-desk
Size:               1024 kB
Rss:                 800 kB
Shared_Dirty:          0 kB
Private_Dirty:         0 kB
Anonymous:             0 kB
Swap:                  0 kB
55d000100000-55d000110000 r--p 00101000 fe:01 123 /usr/bin/agent-desk
Size:                 64 kB
Rss:                  64 kB
Private_Dirty:        64 kB
Anonymous:            64 kB
7f0000000000-7f0000200000 rw-p 00000000 00:00 0
Size:               2048 kB
Rss:                2048 kB
Anonymous:          2048 kB
7f0000200000-7f0000300000 rw-s 00000000 00:01 9 /SYSV00000000 (deleted)
Size:               1024 kB
Rss:                1024 kB
7f0000300000-7f0000400000 r--p 00000000 fe:01 77 /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1
Size:               1024 kB
Rss:                   0 kB
7f0000400000-7f0000500000 r-xp 00000000 fe:01 78 /usr/lib/x86_64-linux-gnu/libwebkit2gtk-4.1.so.0
Size:               1024 kB
Rss:                 512 kB
Anonymous:             0 kB
7f0000500000-7f0000501000 rw-s 00000000 00:05 80 /memfd:wayland-shm (deleted)
Rss:                   4 kB
7ffd00000000-7ffd00001000 r-xp 00000000 00:00 0 [vdso]
Rss:                   4 kB
";

    #[test]
    fn only_resident_clean_file_pages_are_paged_out() {
        let ranges = clean_file_ranges(SMAPS);
        assert_eq!(
            ranges,
            vec![
                Range {
                    start: 0x55d0_0000_0000,
                    len: 0x10_0000
                },
                Range {
                    start: 0x7f00_0040_0000,
                    len: 0x10_0000
                },
            ],
            "the binary's code and libwebkit's, not its relocated data, the heap, shared \
             memory, a memfd, an untouched library or the vdso"
        );
    }

    #[test]
    fn odd_smaps_text_gives_nothing_rather_than_failing() {
        assert!(clean_file_ranges("").is_empty());
        assert!(clean_file_ranges("Rss: 12 kB\nnot a mapping\n").is_empty());
        assert!(clean_file_ranges("zz-yy r-xp 0 0:0 1 /x\nRss: 4 kB\n").is_empty());
    }

    #[test]
    fn the_switch_reads_the_environment_values() {
        let both = Trim {
            end_network_process: true,
            page_out: true,
        };
        let pages = Trim {
            end_network_process: false,
            page_out: true,
        };
        let none = Trim {
            end_network_process: false,
            page_out: false,
        };
        assert_eq!(decide(None, None), both);
        assert_eq!(decide(Some("1"), Some("false")), both);
        assert_eq!(decide(Some(""), None), both);
        assert_eq!(
            decide(None, Some("true")),
            pages,
            "WebDriver keeps its network process"
        );
        assert_eq!(decide(Some("all"), Some("true")), both);
        assert_eq!(decide(Some("0"), None), none);
        assert_eq!(decide(Some(" OFF "), Some("true")), none);
    }

    /// KiB resident in clean file mappings of this process.
    #[cfg(target_os = "linux")]
    fn clean_file_rss() -> u64 {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let ranges = clean_file_ranges(&smaps);
        let mut total = 0;
        let mut inside = false;
        for line in smaps.lines() {
            if let Some((start, _)) = line.split_once('-')
                && let Ok(start) = usize::from_str_radix(start, 16)
            {
                inside = ranges.iter().any(|r| r.start == start);
            } else if inside && let Some(v) = line.strip_prefix("Rss:") {
                total += v
                    .trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .unwrap();
            }
        }
        total
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_pages_out_its_own_clean_file_pages() {
        let before = clean_file_rss();
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let ranges = clean_file_ranges(&smaps);
        assert!(
            !ranges.is_empty(),
            "a running test binary has clean code pages"
        );
        let (asked, refused) = linux::page_out(&ranges);
        assert!(
            asked > 0,
            "the kernel took the advice ({refused} ranges refused)"
        );
        // Still running after its own code was paged out (the pages come back on use), and
        // holding less of it.
        let after = clean_file_rss();
        assert!(
            after < before,
            "resident clean file pages {before} KiB → {after} KiB"
        );
    }
}
