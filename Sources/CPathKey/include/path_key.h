#ifndef SSOT_PATH_KEY_H
#define SSOT_PATH_KEY_H
#include <stddef.h>

/// A path's bytes as the text ssot keys files by (baseline entries, reports):
/// the bytes themselves when they are UTF-8 in NFC; otherwise each byte above
/// 0x7F as NUL and three octal digits. No path holds a NUL, and no two NFC
/// strings are canonically equivalent (Swift's String equality), so two
/// paths never share a key (SPEC 3); every ordinary path is its own key, and
/// `x\377.py` still ends in `.py`. `out` must hold 4 * `n` bytes; returns
/// the length written.
size_t ssot_path_key(const unsigned char *in, size_t n, unsigned char *out);

/// Whether `ssot_path_key` would return the bytes unchanged (ASCII, no NUL).
int ssot_path_is_plain(const unsigned char *in, size_t n);

/// The inverse of `ssot_path_key`: the path's bytes. `out` must hold `n` bytes.
size_t ssot_path_bytes(const unsigned char *in, size_t n, unsigned char *out);

/// memcmp, callable from inlinable Swift.
static inline int ssot_memcmp(const void *a, const void *b, size_t n) {
    return __builtin_memcmp(a, b, n);
}

/// Byte strings in memcmp order, a prefix first (negative, zero or
/// positive): git's path order and SPEC section 3's bytewise order, for
/// every module that sorts or searches paths.
static inline int ssot_bytes_compare(const void *a, size_t na, const void *b, size_t nb) {
    size_t n = na < nb ? na : nb;
    int c = n == 0 ? 0 : __builtin_memcmp(a, b, n);
    return c != 0 ? c : (na == nb ? 0 : (na < nb ? -1 : 1));
}

/// open(2) of `path` below the folder `dirfd` without following a symbolic
/// link anywhere on the path: a tracked file behind a folder that became a
/// link in the work tree is not read from wherever the link points. One
/// openat2(2) call with RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH where the kernel
/// has it (Linux 5.6), else the folders opened one at a time with O_NOFOLLOW.
/// A link anywhere fails with ELOOP; -1 and errno as open(2) otherwise.
int ssot_open_beneath(int dirfd, const char *path, int flags);

/// Whether `path` below `dirfd` is a regular file reached through no link,
/// found with O_PATH: a FIFO or a device on the way is never opened.
int ssot_is_regular_beneath(int dirfd, const char *path);

#endif
