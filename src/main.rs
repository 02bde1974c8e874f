//! The `gongwen` command-line tool: a thin layer over the library.
mod cli;

fn main() -> std::process::ExitCode {
    tune_allocator();
    default_sigpipe();
    output_errors_are_errors();
    cli::main()
}

/// `println!` panics when stdout cannot be written (a full disk behind
/// `gongwen new 通知 > 通知.md`, `/dev/full`): that becomes one bilingual
/// error line and exit code 2 instead of a panic message and a backtrace.
/// Nothing is lost: `index` commits before it prints its summary.
fn output_errors_are_errors() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if let Some(reason) = msg.strip_prefix("failed printing to stdout: ") {
            eprintln!("{}", cli::output_error(reason));
            std::process::exit(2);
        }
        default(info);
    }));
}

/// Fix glibc's mmap threshold at 256 KiB. By default glibc raises it (up to
/// 32 MiB) each time a large block is freed, after which the multi-megabyte
/// text buffers of extraction come from per-thread heaps that fragment and
/// are not returned: peak RSS of `index` then grew with the archive (laws ×10
/// 191 MB → 139 MB anonymous memory with the fixed threshold).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only changes allocator parameters; called before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

/// Restore the default SIGPIPE action (Rust ignores it), so that
/// `gongwen status | head` ends quietly like other Unix tools instead of
/// panicking in `println!` with "Broken pipe". Nothing is lost: the index is
/// committed before anything long is printed, and a write-side kill
/// happens only after the reader has gone.
#[cfg(unix)]
fn default_sigpipe() {
    // SAFETY: setting a signal disposition to SIG_DFL at startup, before any
    // other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn default_sigpipe() {}
