/*
 * One width of the prefilter's block pass, included by prefilter.c once per
 * width: PASS_NAME, PASS_WIDTH (bytes per block), PASS_TARGET (a function
 * attribute) and PASS_MASK (one bit per byte of a comparison) are defined
 * there. Written with vector extensions, so that the one text serves SSE2
 * and AVX2.
 *
 * Sixteen or thirty-two positions at a time, it compares each word's first
 * byte at the position and its last byte where the word would end; only
 * positions where both match are compared in full (`word_at`).
 */
PASS_TARGET
static int PASS_NAME(const unsigned char *h, size_t n, const unsigned char *const *words, const size_t *lens,
                     size_t count, size_t longest) {
    typedef unsigned char block __attribute__((vector_size(PASS_WIDTH)));
    typedef signed char lanes __attribute__((vector_size(PASS_WIDTH))); /* a comparison: -1 or 0 per byte */
    block first[16], last[16]; /* each word's first and last byte in every lane */
    for (size_t k = 0; k < count; k++) {
        first[k] = (block){0} + words[k][0];
        last[k] = (block){0} + words[k][lens[k] - 1];
    }
    size_t i = 0;
    for (; i + PASS_WIDTH + longest <= n; i += PASS_WIDTH) {
        block at, end;
        lanes hit = {0};
        memcpy(&at, h + i, PASS_WIDTH); /* an unaligned load */
        for (size_t k = 0; k < count; k++) {
            memcpy(&end, h + i + lens[k] - 1, PASS_WIDTH);
            hit |= (at == first[k]) & (end == last[k]);
        }
        unsigned mask = PASS_MASK(hit);
        while (mask) {
            unsigned j = (unsigned)__builtin_ctz(mask);
            mask &= mask - 1;
            for (size_t k = 0; k < count; k++) {
                if (word_at(h, n, i + j, words[k], lens[k])) return 1;
            }
        }
    }
    return any_word_from(h, n, i, words, lens, count);
}
