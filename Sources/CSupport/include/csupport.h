#ifndef SSOT_CSUPPORT_H
#define SSOT_CSUPPORT_H
#include <stddef.h>

/// glibc's memmem (a GNU extension Swift's Glibc module does not export):
/// SIMD substring search, used by the prefilter.
const void *ssot_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/// Whether any of `count` words (none empty) occurs in `haystack` as a
/// whole word: one SIMD pass for all of them (see prefilter.c).
int ssot_contains_any_word(const unsigned char *haystack, size_t haystack_len, const unsigned char *const *words,
                           const size_t *lens, size_t count);

/// memcmp, callable from inlinable Swift.
static inline int ssot_memcmp(const void *a, const void *b, size_t n) {
    return __builtin_memcmp(a, b, n);
}

#endif
