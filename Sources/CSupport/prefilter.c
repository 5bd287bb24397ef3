/*
 * The prefilter's search (Sources/SSOTCore/Prefilter.swift): does any of a
 * few words occur in a file as a whole word?
 *
 * Most files of a big tree contain none, and used to cost one memmem pass
 * per word, with a restart at every occurrence inside a longer name
 * ("path" in "pathlib"): a tenth of a whole-tree scan. This makes one pass
 * for all the words: sixteen positions at a time, it compares each word's
 * first byte at the position and its last byte where the word would end
 * (SSE2, part of every x86-64), and only positions where both match are
 * compared in full. Elsewhere it falls back to memmem per word.
 */
#define _GNU_SOURCE
#include <string.h>
#include "csupport.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Python name characters, as the lexer sees them: ASCII letters, digits, _, and any non-ASCII byte. */
static inline int is_name_byte(unsigned char c) {
    unsigned char lower = c | 0x20;
    return (lower >= 'a' && lower <= 'z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

static int word_at(const unsigned char *h, size_t n, size_t at, const unsigned char *word, size_t len) {
    if (at + len > n) return 0;
    /* The edges first: most near-misses are inside a longer name ("re" in "there"). */
    unsigned char before = at > 0 ? h[at - 1] : ' ';
    unsigned char after = at + len < n ? h[at + len] : ' ';
    if (is_name_byte(before) || is_name_byte(after)) return 0;
    return memcmp(h + at, word, len) == 0;
}

static int any_word_by_memmem(const unsigned char *h, size_t n, const unsigned char *const *words, const size_t *lens,
                              size_t count) {
    for (size_t k = 0; k < count; k++) {
        size_t start = 0;
        while (start < n) {
            const unsigned char *hit = memmem(h + start, n - start, words[k], lens[k]);
            if (!hit) break;
            size_t at = (size_t)(hit - h);
            if (word_at(h, n, at, words[k], lens[k])) return 1;
            start = at + 1;
        }
    }
    return 0;
}

int ssot_contains_any_word(const unsigned char *h, size_t n, const unsigned char *const *words, const size_t *lens,
                           size_t count) {
    size_t longest = 0;
    for (size_t k = 0; k < count; k++) {
        if (lens[k] == 0) return 0; /* the Swift side drops empty words; never match on one */
        if (lens[k] > longest) longest = lens[k];
    }
    if (count == 0 || n == 0) return 0;
#if defined(__SSE2__)
    if (count <= 16) {
        __m128i first[16], last[16];
        for (size_t k = 0; k < count; k++) {
            first[k] = _mm_set1_epi8((char)words[k][0]);
            last[k] = _mm_set1_epi8((char)words[k][lens[k] - 1]);
        }
        size_t i = 0;
        for (; i + 16 + longest <= n; i += 16) {
            __m128i at = _mm_loadu_si128((const __m128i *)(h + i));
            __m128i hit = _mm_setzero_si128();
            for (size_t k = 0; k < count; k++) {
                __m128i end = _mm_loadu_si128((const __m128i *)(h + i + lens[k] - 1));
                hit = _mm_or_si128(hit, _mm_and_si128(_mm_cmpeq_epi8(at, first[k]), _mm_cmpeq_epi8(end, last[k])));
            }
            unsigned mask = (unsigned)_mm_movemask_epi8(hit);
            while (mask) {
                unsigned j = (unsigned)__builtin_ctz(mask);
                mask &= mask - 1;
                for (size_t k = 0; k < count; k++) {
                    if (word_at(h, n, i + j, words[k], lens[k])) return 1;
                }
            }
        }
        for (; i < n; i++) {
            for (size_t k = 0; k < count; k++) {
                if (word_at(h, n, i, words[k], lens[k])) return 1;
            }
        }
        return 0;
    }
#endif
    return any_word_by_memmem(h, n, words, lens, count);
}
