/*
 * The prefilter's search (Sources/SSOTCore/Prefilter.swift): does any of a
 * few words occur in a file as a whole word?
 *
 * Most files of a big tree contain none, and used to cost one memmem pass
 * per word, with a restart at every occurrence inside a longer name
 * ("path" in "pathlib"): a tenth of a whole-tree scan. This makes one pass
 * for all the words (prefilter_pass.h), sixteen positions at a time with
 * SSE2, part of every x86-64, or thirty-two where the processor has AVX2
 * (asked of cpuid once): the pass is still a tenth of a whole-tree scan's
 * processor time. Elsewhere it falls back to memmem per word.
 */
#define _GNU_SOURCE
#include <string.h>
#include "prefilter.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
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

/* The positions from `i` on where a word could start, checked in full. */
static int any_word_from(const unsigned char *h, size_t n, size_t i, const unsigned char *const *words, const size_t *lens,
                         size_t count) {
    for (; i < n; i++) {
        for (size_t k = 0; k < count; k++) {
            if (word_at(h, n, i, words[k], lens[k])) return 1;
        }
    }
    return 0;
}

#if defined(__SSE2__)
#define PASS_NAME any_word_sse2
#define PASS_WIDTH 16
#define PASS_TARGET
#define PASS_MASK(v) _mm_movemask_epi8((__m128i)(v))
#include "prefilter_pass.h"
#undef PASS_NAME
#undef PASS_WIDTH
#undef PASS_TARGET
#undef PASS_MASK
#endif

static int avx2_allowed = 1;

void ssot_prefilter_allow_avx2(int allowed) { __atomic_store_n(&avx2_allowed, allowed, __ATOMIC_RELAXED); }

#if defined(__x86_64__)
/* AVX2 in the processor and its registers saved by the kernel (OSXSAVE, XCR0). */
static int has_avx2(void) {
    static int known = -1; /* read and written by every scanning thread: atomics */
    if (!__atomic_load_n(&avx2_allowed, __ATOMIC_RELAXED)) return 0;
    int cached = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (cached >= 0) return cached;
    unsigned a, b, c, d;
    int yes = 0;
    if (__get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE) && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_AVX2)) {
        unsigned lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        yes = (lo & 6) == 6;
    }
    __atomic_store_n(&known, yes, __ATOMIC_RELAXED);
    return yes;
}

#define PASS_NAME any_word_avx2
#define PASS_WIDTH 32
#define PASS_TARGET __attribute__((target("avx2")))
#define PASS_MASK(v) _mm256_movemask_epi8((__m256i)(v))
#include "prefilter_pass.h"
#undef PASS_NAME
#undef PASS_WIDTH
#undef PASS_TARGET
#undef PASS_MASK
#endif

int ssot_contains_any_word(const unsigned char *h, size_t n, const unsigned char *const *words, const size_t *lens,
                           size_t count) {
    size_t longest = 0;
    for (size_t k = 0; k < count; k++) {
        if (lens[k] == 0) return 0; /* the Swift side drops empty words; never match on one */
        if (lens[k] > longest) longest = lens[k];
    }
    if (count == 0 || n == 0) return 0;
#if defined(__x86_64__)
    if (count <= 16 && has_avx2()) return any_word_avx2(h, n, words, lens, count, longest);
#endif
#if defined(__SSE2__)
    if (count <= 16) return any_word_sse2(h, n, words, lens, count, longest);
#endif
    return any_word_by_memmem(h, n, words, lens, count);
}

int ssot_has_high_byte(const unsigned char *h, size_t n) {
    size_t i = 0;
#if defined(__SSE2__)
    for (; i + 64 <= n; i += 64) {
        __m128i a = _mm_loadu_si128((const __m128i *)(h + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(h + i + 16));
        __m128i c = _mm_loadu_si128((const __m128i *)(h + i + 32));
        __m128i d = _mm_loadu_si128((const __m128i *)(h + i + 48));
        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d)))) return 1;
    }
#endif
    for (; i < n; i++) {
        if (h[i] & 0x80) return 1;
    }
    return 0;
}

int ssot_has_star_import(const unsigned char *h, size_t n) {
    const unsigned char *p = h, *end = h + n;
    while ((p = memchr(p, '*', (size_t)(end - p))) != NULL) {
        /* Back over the blanks and line continuations that may stand between `import` and `*`. */
        const unsigned char *q = p;
        while (q > h) {
            unsigned char c = q[-1];
            if (c == ' ' || c == '\t' || c == '\f') { q--; continue; }
            if (c == '\n' || c == '\r') {
                const unsigned char *r = q - 1;
                if (c == '\n' && r > h && r[-1] == '\r') r--;
                if (r > h && r[-1] == '\\') { q = r - 1; continue; }
            }
            break;
        }
        if (q - h >= 6 && memcmp(q - 6, "import", 6) == 0 && (q - h == 6 || !is_name_byte(q[-7]))) return 1;
        p++;
    }
    return 0;
}
