/* O_PATH. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <utf8proc.h>
#include "path_key.h"

/* The length of the valid UTF-8 sequence at h[0..n), or 0 (overlong forms,
   surrogates and values past U+10FFFF are not valid, as in Unicode's table 3-7). */
static size_t utf8_sequence(const unsigned char *h, size_t n) {
    unsigned char c = h[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
    else return 0;
    if (n < len) return 0;
    if (h[1] < lo || h[1] > hi) return 0;
    for (size_t k = 2; k < len; k++) if (h[k] < 0x80 || h[k] > 0xBF) return 0;
    return len;
}

int ssot_path_is_plain(const unsigned char *in, size_t n) {
    for (size_t i = 0; i < n; i++) if (in[i] >= 0x80 || in[i] == 0) return 0;
    return 1;
}

/* Whether the n bytes (valid UTF-8, no NUL) are in Unicode's NFC form. */
static int is_nfc(const unsigned char *in, size_t n) {
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t m = utf8proc_map(in, (utf8proc_ssize_t)n, &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    int same = m >= 0 && (size_t)m == n && memcmp(nfc, in, n) == 0;
    free(nfc);
    return same;
}

size_t ssot_path_key(const unsigned char *in, size_t n, unsigned char *out) {
    /* Swift compares strings by canonical equivalence: `é` and `e` + U+0301 are one
       String, but two files to git. So a path is its own key only when it is valid
       UTF-8 in NFC (two different NFC strings are never equivalent); otherwise every
       byte above 0x7F is written as NUL and three octal digits. */
    int escape = 0;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_sequence(in + i, n - i);
        if (len == 0) { escape = 1; break; }
        i += len;
    }
    if (!escape && !is_nfc(in, n)) escape = 1;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = in[i];
        if (escape && c >= 0x80) {
            out[o++] = 0;
            out[o++] = (unsigned char)('0' + (c >> 6));
            out[o++] = (unsigned char)('0' + ((c >> 3) & 7));
            out[o++] = (unsigned char)('0' + (c & 7));
        } else {
            out[o++] = c;
        }
    }
    return o;
}

size_t ssot_path_bytes(const unsigned char *in, size_t n, unsigned char *out) {
    size_t o = 0, i = 0;
    while (i < n) {
        if (in[i] != 0) { out[o++] = in[i++]; continue; }
        if (i + 3 < n && in[i + 1] >= '0' && in[i + 1] <= '3' && in[i + 2] >= '0' && in[i + 2] <= '7'
            && in[i + 3] >= '0' && in[i + 3] <= '7') {
            out[o++] = (unsigned char)((in[i + 1] - '0') << 6 | (in[i + 2] - '0') << 3 | (in[i + 3] - '0'));
            i += 4;
            continue;
        }
        out[o++] = in[i++];  /* not made by ssot_path_key: kept as it is */
    }
    return o;
}


int ssot_open_beneath(int dirfd, const char *path, int flags) {
#ifdef SYS_openat2
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (unsigned long long)(unsigned int)flags;
    how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH;
    long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    /* ENOSYS: an older kernel; EPERM: a seccomp filter that does not know the call. */
    if (fd >= 0 || (errno != ENOSYS && errno != EPERM)) return (int)fd;
#endif
    int cur = dirfd;
    const char *start = path;
    for (;;) {
        const char *slash = strchr(start, '/');
        if (slash == NULL) break;
        size_t len = (size_t)(slash - start);
        if (len > 0) {
            char name[len + 1];
            memcpy(name, start, len);
            name[len] = 0;
            int next = openat(cur, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (next < 0) {
                int why = errno;
                struct stat st;
                /* A link opened as a folder says ENOTDIR: say what it is. */
                if (fstatat(cur, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) why = ELOOP;
                if (cur != dirfd) close(cur);
                errno = why;
                return -1;
            }
            if (cur != dirfd) close(cur);
            cur = next;
        }
        start = slash + 1;
    }
    int file = openat(cur, *start ? start : ".", flags | O_NOFOLLOW);
    int why = errno;
    if (cur != dirfd) close(cur);
    errno = why;
    return file;
}

int ssot_is_regular_beneath(int dirfd, const char *path) {
    int fd = ssot_open_beneath(dirfd, path, O_PATH | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return 0;
    struct stat st;
    int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    close(fd);
    return regular;
}
