#ifndef SSOT_CSUPPORT_H
#define SSOT_CSUPPORT_H
#include <stddef.h>

/// glibc's memmem (a GNU extension Swift's Glibc module does not export):
/// SIMD substring search, used by the prefilter.
const void *ssot_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/// memcmp, callable from inlinable Swift.
static inline int ssot_memcmp(const void *a, const void *b, size_t n) {
    return __builtin_memcmp(a, b, n);
}

#endif
