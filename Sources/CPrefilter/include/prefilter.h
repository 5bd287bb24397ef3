#ifndef SSOT_PREFILTER_H
#define SSOT_PREFILTER_H
#include <stddef.h>

/// glibc's memmem (a GNU extension Swift's Glibc module does not export):
/// SIMD substring search, used by the prefilter.
const void *ssot_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/// Whether any of `count` words (none empty) occurs in `haystack` as a
/// whole word: one SIMD pass for all of them (see prefilter.c).
int ssot_contains_any_word(const unsigned char *haystack, size_t haystack_len, const unsigned char *const *words,
                           const size_t *lens, size_t count);

/// Whether `ssot_contains_any_word` may use AVX2 where the processor has it
/// (the default); tests turn it off to check the SSE2 pass too.
void ssot_prefilter_allow_avx2(int allowed);

/// Whether any byte of `h` is above 0x7F: a file with none has no non-ASCII
/// identifier to normalise (SSE2, 16 bytes a step; see prefilter.c).
int ssot_has_high_byte(const unsigned char *h, size_t n);

/// Whether `h` spells `import *` (blanks and backslash-newlines between): a
/// star import can bind a banned singleton no other word of the file names.
int ssot_has_star_import(const unsigned char *h, size_t n);

#endif
