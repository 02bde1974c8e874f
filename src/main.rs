//! The `gongwen` command-line tool: a thin layer over the library.
mod cli;

fn main() -> std::process::ExitCode {
    tune_allocator();
    default_sigpipe();
    cli::main()
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
