/*
 * The native kernels with AVX-512 VNNI (see nemotron4j_kernels.c): one vpdpbusd multiplies 64 weight bytes by 64
 * activation bytes and adds them in groups of four.
 *
 * vpdpbusd multiplies unsigned by signed bytes, so the weights go in unsigned and the activations signed: Q8_0
 * weights shifted by 128 (w + 128), Q4_0 weights as the nibbles they are stored as (w + 8). Each lane's sum then
 * starts at -128 or -8 times its four activations, computed once per token, and comes out as exactly Σ w x.
 *
 * Tokens are taken four at a time and rows four at a time (eight below 17 tokens, see TILES), so that each weight
 * loaded serves up to four tokens and each activation several rows; a single token takes one or eight rows at a
 * time (see decode_rows). Everything here is reentrant: the quantized activations live in per-thread buffers.
 */
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#include "nemotron4j_kernels.h"

#define KERNELS __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx512dq,f16c,fma")))

/* A pair of weight blocks ready for vpdpbusd: 64 unsigned bytes and the scale of each lane's block. */
typedef struct weight_pair {
    __m512i w;
    __m512 scale;
} weight_pair;

/*
 * Per-thread scratch. The activations of n tokens, quantized, per pair of blocks: 64 bytes in q, the scale of the
 * block each of the 16 dot-product lanes belongs to in scale (and the pair's two block scales alone in pair_scale),
 * and where each lane's sum starts in start.
 * With more than one tile of tokens, a panel holds four rows' weight pairs, prepared once for every tile of tokens.
 */
typedef struct {
    int8_t *q;
    float *scale;
    float *pair_scale;
    int32_t *start;
    weight_pair *panel;
    size_t q_bytes;
    size_t scale_bytes;
    size_t pair_scale_bytes;
    size_t start_bytes;
    size_t panel_bytes;
} scratch;

static __thread scratch tls;

void release_avx512(void) {
    free(tls.q);
    free(tls.scale);
    free(tls.pair_scale);
    free(tls.start);
    free(tls.panel);
    memset(&tls, 0, sizeof(tls));
}

static int reserve(size_t token_pairs, size_t panel_pairs) {
    if (tls.q_bytes == 0) {
        release_at_thread_exit();
    }
    return grow_buffer((void **) &tls.q, &tls.q_bytes, token_pairs * 64) != OK
                    || grow_buffer((void **) &tls.scale, &tls.scale_bytes, token_pairs * 16 * sizeof(float)) != OK
                    || grow_buffer((void **) &tls.pair_scale, &tls.pair_scale_bytes, token_pairs * 2 * sizeof(float))
                            != OK
                    || grow_buffer((void **) &tls.start, &tls.start_bytes, token_pairs * 16 * sizeof(int32_t)) != OK
                    || grow_buffer((void **) &tls.panel, &tls.panel_bytes, panel_pairs * sizeof(weight_pair)) != OK
            ? NO_MEMORY
            : OK;
}

/*
 * One block of 32 floats to bytes: d = max|x| / 127, rounded to half precision as a Q8_0 block stores it;
 * q = x / d rounded to nearest, ties to even (the rounding of the CPU's default mode, as in llama.cpp's AVX code).
 * Returns the rounded d.
 */
KERNELS float quantize_block_avx512(const float *x, int8_t *q) {
    __m512 a = _mm512_loadu_ps(x);
    __m512 b = _mm512_loadu_ps(x + 16);
    float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(a), _mm512_abs_ps(b)));
    float d = amax / 127.0f;
    float id = d != 0.0f ? 127.0f / amax : 0.0f;
    __m512 m = _mm512_set1_ps(id);
    __m512i qa = _mm512_cvtps_epi32(_mm512_mul_ps(a, m));
    __m512i qb = _mm512_cvtps_epi32(_mm512_mul_ps(b, m));
    _mm_storeu_si128((__m128i *) q, _mm512_cvtsepi32_epi8(qa));
    _mm_storeu_si128((__m128i *) (q + 16), _mm512_cvtsepi32_epi8(qb));
    return _cvtsh_ss(_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT));
}

/* A pair's two per-block values, lanes 0 and 1 of d, spread over the 16 dot-product lanes as the type lays its
 * blocks out (see quantize_pair). */
KERNELS static inline __attribute__((always_inline)) __m512 spread(const int TYPE, __m128 d) {
    __m512i lanes = TYPE == TYPE_Q8_0 ? _mm512_set_epi32(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0)
                                      : _mm512_set_epi32(1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0);
    return _mm512_permutexvar_ps(lanes, _mm512_castps128_ps512(d));
}

/*
 * Lays out a pair of quantized blocks (the second may be absent: zeros) as the weights of the type are laid out.
 * Q8_0: the two blocks in order, lanes 0-7 from the first. Q4_0: a block's low nibbles are its elements 0-15 and its
 * high nibbles 16-31, so the 64 bytes are [first 0-15, second 0-15, first 16-31, second 16-31] and lanes go
 * 4 to the first block, 4 to the second, and again.
 */
KERNELS static inline __attribute__((always_inline)) void quantize_pair_of(const int TYPE, const float *x,
        int second, int8_t *q, float *scale, float *pair_scale, int32_t *start) {
    int8_t blocks[2][QK];
    float d[2] = {0.0f, 0.0f};
    d[0] = quantize_block_avx512(x, blocks[0]);
    if (second) {
        d[1] = quantize_block_avx512(x + QK, blocks[1]);
    } else {
        memset(blocks[1], 0, QK);
    }
    __m512i both = _mm512_loadu_si512((const void *) blocks);
    /* Q4_0: the 16-byte quarters [first 0-15, first 16-31, second 0-15, second 16-31] reordered as above. */
    __m512i v = TYPE == TYPE_Q8_0 ? both : _mm512_permutexvar_epi64(_mm512_set_epi64(7, 6, 3, 2, 5, 4, 1, 0), both);
    _mm512_store_si512((void *) q, v);
    /* Each lane starts at minus its own overshoot, so every lane sums to exactly its four products: a lane never
     * carries a large offset for another to cancel after rounding. */
    __m512i sums = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_set1_epi8(1), v);
    int shift = TYPE == TYPE_Q8_0 ? 7 : 3;
    _mm512_store_si512((void *) start, _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_slli_epi32(sums, shift)));
    __m128 pair = _mm_setr_ps(d[0], d[1], 0.0f, 0.0f);
    _mm512_store_ps(scale, spread(TYPE, pair));
    _mm_storel_pi((__m64 *) pair_scale, pair);
}

KERNELS static void quantize_pair(int type, const float *x, int second, int8_t *q, float *scale, float *pair_scale,
        int32_t *start) {
    if (type == TYPE_Q8_0) {
        quantize_pair_of(TYPE_Q8_0, x, second, q, scale, pair_scale, start);
    } else {
        quantize_pair_of(TYPE_Q4_0, x, second, q, scale, pair_scale, start);
    }
}

KERNELS static void quantize(int type, const float *x, int x_stride, int n, int cols, int pairs) {
    int blocks = cols / QK;
    for (int t = 0; t < n; t++) {
        for (int p = 0; p < pairs; p++) {
            size_t at = (size_t) t * pairs + p;
            quantize_pair(type, x + (size_t) t * x_stride + (size_t) p * 2 * QK, 2 * p + 1 < blocks,
                    tls.q + at * 64, tls.scale + at * 16, tls.pair_scale + at * 2, tls.start + at * 16);
        }
    }
}

/* The two half-precision block scales of a pair as floats in lanes 0 and 1 (0 for an absent second block). */
KERNELS static inline __attribute__((always_inline)) __m128 pair_halves(const uint8_t *first, const uint8_t *second) {
    uint16_t h[2] = {0, 0};
    memcpy(&h[0], first, 2);
    if (second != NULL) {
        memcpy(&h[1], second, 2);
    }
    return _mm_cvtph_ps(_mm_cvtsi32_si128((int) (h[0] | (uint32_t) h[1] << 16)));
}

/* SECOND is a constant at every call, 0 only for a row's odd last block, so the loops below carry no branch. */
KERNELS static inline __attribute__((always_inline)) __m512i load_q8_0(const uint8_t *first, const int SECOND) {
    __m256i hi = SECOND ? _mm256_loadu_si256((const __m256i *) (first + 36)) : _mm256_set1_epi8((char) 0x80);
    __m512i w = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *) (first + 2))), hi, 1);
    return _mm512_xor_si512(w, _mm512_set1_epi8((char) 0x80));
}

KERNELS static inline __attribute__((always_inline)) __m512i load_q4_0(const uint8_t *first, const int SECOND) {
    __m128i a = _mm_loadu_si128((const __m128i *) (first + 2));
    __m128i c = SECOND ? _mm_loadu_si128((const __m128i *) (first + 20)) : _mm_set1_epi8((char) 0x88);
    __m256i packed = _mm256_inserti128_si256(_mm256_castsi128_si256(a), c, 1);
    __m512i both = _mm512_inserti64x4(_mm512_castsi256_si512(packed), _mm256_srli_epi16(packed, 4), 1);
    return _mm512_and_si512(both, _mm512_set1_epi8(0x0F));
}

/* The 64 unsigned weight bytes of pair b / 2 of a row, laid out for vpdpbusd. */
KERNELS static inline __attribute__((always_inline)) __m512i load_weights(const int TYPE, const uint8_t *first,
        const int SECOND) {
    return TYPE == TYPE_Q8_0 ? load_q8_0(first, SECOND) : load_q4_0(first, SECOND);
}

KERNELS static inline __attribute__((always_inline)) __m128 load_halves(const int TYPE, const uint8_t *first,
        const int SECOND) {
    return pair_halves(first, SECOND ? first + BLOCK_BYTES(TYPE) : NULL);
}

KERNELS static inline __attribute__((always_inline)) weight_pair load_pair(const int TYPE, const uint8_t *row, int b,
        const int SECOND) {
    const uint8_t *first = row + (size_t) b * BLOCK_BYTES(TYPE);
    weight_pair pair;
    pair.w = load_weights(TYPE, first, SECOND);
    pair.scale = spread(TYPE, load_halves(TYPE, first, SECOND));
    return pair;
}

/* The exact integer dot products of a pair, as floats. */
KERNELS static inline __attribute__((always_inline)) __m512 dots(__m512i w, __m512i x, __m512i start) {
    return _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(start, w, x));
}

/*
 * One (row, token) step of a block pair: the integer dot products times d_x d_w, the product of the two block
 * scales (as llama.cpp's CPU backend scales a block). Every kernel below takes this same float step in the same
 * pair order, so a result has the same bits whichever kernel, tile shape or batch computed it: a tile multiplies
 * the spread scales, decode spreads the multiplied pair of scales, and lane by lane that is the same product.
 */
KERNELS static inline __attribute__((always_inline)) __m512 accumulate(__m512 acc, weight_pair wp, __m512i x,
        __m512i start, __m512 dx) {
    return _mm512_fmadd_ps(dots(wp.w, x, start), _mm512_mul_ps(dx, wp.scale), acc);
}

/* The quantized activations of token t at block pair p. */
#define X_AT(t, p) _mm512_load_si512((const void *) (tls.q + ((size_t) (t) * pairs + (p)) * 64))
#define START_AT(t, p) _mm512_load_si512((const void *) (tls.start + ((size_t) (t) * pairs + (p)) * 16))
#define DX_AT(t, p) _mm512_load_ps(tls.scale + ((size_t) (t) * pairs + (p)) * 16)
/* Its two block scales alone, in lanes 0 and 1. */
#define DX2_AT(t, p) _mm_castsi128_ps(_mm_loadl_epi64((const __m128i *) (tls.pair_scale + ((size_t) (t) * pairs + (p)) * 2)))

/* Block pair p of a tile: the RM rows' weights loaded once (or taken from the panel), each token's activations
 * once. */
KERNELS static inline __attribute__((always_inline)) void tile_pair(const int TYPE, const uint8_t *w,
        int64_t row_bytes, int r0, const int RM, int t0, const int RN, const int PANEL, int p, const int SECOND,
        int pairs, __m512 acc[RM][RN]) {
    weight_pair wp[RM];
    for (int i = 0; i < RM; i++) {
        wp[i] = PANEL ? tls.panel[(size_t) p * RM + i]
                      : load_pair(TYPE, w + (size_t) (r0 + i) * row_bytes, 2 * p, SECOND);
    }
    for (int j = 0; j < RN; j++) {
        __m512i x = X_AT(t0 + j, p);
        __m512i start = START_AT(t0 + j, p);
        __m512 dx = DX_AT(t0 + j, p);
        for (int i = 0; i < RM; i++) {
            acc[i][j] = accumulate(acc[i][j], wp[i], x, start, dx);
        }
    }
}

/* A tile of RM rows by RN tokens, over all block pairs: each weight pair serves RN tokens and each activation pair
 * RM rows. */
KERNELS static inline __attribute__((always_inline)) void tile(const int TYPE, const uint8_t *w, int64_t row_bytes,
        int r0, const int RM, int t0, const int RN, const int PANEL, int blocks, int pairs, float *out,
        int out_stride) {
    __m512 acc[RM][RN];
    for (int i = 0; i < RM; i++) {
        for (int j = 0; j < RN; j++) {
            acc[i][j] = _mm512_setzero_ps();
        }
    }
    int full = blocks / 2;
    for (int p = 0; p < full; p++) {
        tile_pair(TYPE, w, row_bytes, r0, RM, t0, RN, PANEL, p, 1, pairs, acc);
    }
    if (full < pairs) {
        tile_pair(TYPE, w, row_bytes, r0, RM, t0, RN, PANEL, full, 0, pairs, acc);
    }
    for (int i = 0; i < RM; i++) {
        for (int j = 0; j < RN; j++) {
            out[(size_t) (t0 + j) * out_stride + r0 + i] = _mm512_reduce_add_ps(acc[i][j]);
        }
    }
}

/*
 * Decode: RM rows against one token, each row's pair used as soon as it is loaded (nothing is reused, and holding
 * eight pairs at once made the compiler keep them on the stack, which cost Q4_0 decode a third of its speed: 256 x
 * 4480 from L2, one Zen 4 core, 7.8 against 11.8 multiply-adds per cycle).
 *
 * How many rows at once depends on how the CPU's prefetchers follow streams (see decode_rows): eight rows on
 * Intel, where one stream per core leaves bandwidth unused, one row on AMD, where one sequential stream per core
 * reads faster than eight interleaved ones.
 */
KERNELS static inline __attribute__((always_inline)) void decode_pair(const int TYPE, const uint8_t *w,
        int64_t row_bytes, int r0, const int RM, int p, const int SECOND, int pairs, __m512 acc[RM]) {
    __m512i x = X_AT(0, p);
    __m512i start = START_AT(0, p);
    __m128 dx2 = DX2_AT(0, p);
    for (int i = 0; i < RM; i++) {
        const uint8_t *first = w + (size_t) (r0 + i) * row_bytes + (size_t) 2 * p * BLOCK_BYTES(TYPE);
        /* Two scales multiplied before spreading, instead of sixteen lanes after: a 512-bit multiply less per row
         * and pair. */
        __m512 scale = spread(TYPE, _mm_mul_ps(dx2, load_halves(TYPE, first, SECOND)));
        acc[i] = _mm512_fmadd_ps(dots(load_weights(TYPE, first, SECOND), x, start), scale, acc[i]);
    }
}

KERNELS static inline __attribute__((always_inline)) void decode(const int TYPE, const uint8_t *w,
        int64_t row_bytes, int r0, const int RM, int blocks, int pairs, float *out) {
    __m512 acc[RM];
    for (int i = 0; i < RM; i++) {
        acc[i] = _mm512_setzero_ps();
    }
    int full = blocks / 2;
    for (int p = 0; p < full; p++) {
        decode_pair(TYPE, w, row_bytes, r0, RM, p, 1, pairs, acc);
    }
    if (full < pairs) {
        decode_pair(TYPE, w, row_bytes, r0, RM, full, 0, pairs, acc);
    }
    for (int i = 0; i < RM; i++) {
        out[r0 + i] = _mm512_reduce_add_ps(acc[i]);
    }
}

#define TILE(TYPE, RM, RN, PANEL)                                                                               \
    KERNELS static void tile_##TYPE##_##RM##x##RN##_##PANEL(const uint8_t *w, int64_t row_bytes, int r0, int t0, \
            int blocks, int pairs, float *out, int out_stride) {                                                \
        tile(TYPE, w, row_bytes, r0, RM, t0, RN, PANEL, blocks, pairs, out, out_stride);                        \
    }

#define TILES_OF(TYPE)                                                                                          \
    TILE(TYPE, 1, 1, 0) TILE(TYPE, 1, 2, 0) TILE(TYPE, 1, 3, 0) TILE(TYPE, 1, 4, 0)                             \
    TILE(TYPE, 4, 1, 0) TILE(TYPE, 4, 2, 0) TILE(TYPE, 4, 3, 0) TILE(TYPE, 4, 4, 0)                             \
    TILE(TYPE, 4, 1, 1) TILE(TYPE, 4, 2, 1) TILE(TYPE, 4, 3, 1) TILE(TYPE, 4, 4, 1)                             \
    TILE(TYPE, 8, 1, 0) TILE(TYPE, 8, 2, 0) TILE(TYPE, 8, 3, 0) TILE(TYPE, 8, 4, 0)                             \
    KERNELS static void decode_##TYPE##_1(const uint8_t *w, int64_t row_bytes, int r0, int blocks, int pairs,     \
            float *out) {                                                                                       \
        decode(TYPE, w, row_bytes, r0, 1, blocks, pairs, out);                                                  \
    }                                                                                                           \
    KERNELS static void decode_##TYPE##_8(const uint8_t *w, int64_t row_bytes, int r0, int blocks, int pairs,     \
            float *out) {                                                                                       \
        decode(TYPE, w, row_bytes, r0, 8, blocks, pairs, out);                                                  \
    }

TILES_OF(TYPE_Q8_0)
TILES_OF(TYPE_Q4_0)

typedef void (*tile_kernel)(const uint8_t *, int64_t, int, int, int, int, float *, int);

/*
 * TILES[type is Q4_0][panel][1, 4 or 8 rows][tokens - 1]. A panel serves four rows; without one, eight rows at a
 * time keep more weight streams in flight, which batched decode needs as much as decode does (C harness, 2 threads,
 * weights beyond the caches, Zen 4: Q8_0 with 2 / 3 / 4 tokens 16 / 11 / 12 GB/s of weights with four rows, 22 /
 * 17 / 15 with eight, although eight rows by four tokens spill accumulators).
 */
#define TILE_TABLE(TYPE)                                                                                        \
    {{{tile_##TYPE##_1x1_0, tile_##TYPE##_1x2_0, tile_##TYPE##_1x3_0, tile_##TYPE##_1x4_0},                     \
      {tile_##TYPE##_4x1_0, tile_##TYPE##_4x2_0, tile_##TYPE##_4x3_0, tile_##TYPE##_4x4_0},                     \
      {tile_##TYPE##_8x1_0, tile_##TYPE##_8x2_0, tile_##TYPE##_8x3_0, tile_##TYPE##_8x4_0}},                    \
     {{tile_##TYPE##_1x1_0, tile_##TYPE##_1x2_0, tile_##TYPE##_1x3_0, tile_##TYPE##_1x4_0},                     \
      {tile_##TYPE##_4x1_1, tile_##TYPE##_4x2_1, tile_##TYPE##_4x3_1, tile_##TYPE##_4x4_1},                     \
      {tile_##TYPE##_4x1_1, tile_##TYPE##_4x2_1, tile_##TYPE##_4x3_1, tile_##TYPE##_4x4_1}}}

static const tile_kernel TILES[2][2][3][4] = {TILE_TABLE(TYPE_Q8_0), TILE_TABLE(TYPE_Q4_0)};

typedef void (*decode_kernel)(const uint8_t *, int64_t, int, int, int, float *);

/* DECODES[type is Q4_0][eight rows at once] */
static const decode_kernel DECODES[2][2] = {{decode_TYPE_Q8_0_1, decode_TYPE_Q8_0_8},
        {decode_TYPE_Q4_0_1, decode_TYPE_Q4_0_8}};

/*
 * Rows per decode call. Hardware prefetchers follow a limited number of sequential streams and stop at 4 KiB pages.
 * Measured with 2 threads over weights far larger than the caches, 4 KiB pages: on a Zen 4 EPYC one row at a time
 * read Q4_0 rows of 2048-8192 columns at 35 GB/s against 17-28 for eight rows at once, and Q8_0 rows at 28-40
 * against 23-27; but rows of 15680 columns ran at half speed, where the token's quantized activations (136 bytes
 * per block pair, 33 KiB) no longer fit in L1 beside the stream (taking such rows in column chunks that do fit was
 * slower still: the stream then jumps every chunk). On an Emerald Rapids Xeon one row at a time
 * decoded Q4_0 20% slower than eight, and a plain read of one stream per core reached 21-29 GB/s against 32-33
 * with four.
 */
static int decode_rows(int pairs) {
    static int amd = -1;
    if (amd < 0) {
        __builtin_cpu_init();
        amd = __builtin_cpu_is("amd");
    }
    return amd && pairs <= 128 ? 1 : 8;
}

KERNELS static inline __attribute__((always_inline)) void prepare_panel_of(const int TYPE, const uint8_t *w,
        int64_t row_bytes, int r0, int blocks, int pairs) {
    int full = blocks / 2;
    for (int p = 0; p < pairs; p++) {
        for (int i = 0; i < 4; i++) {
            const uint8_t *row = w + (size_t) (r0 + i) * row_bytes;
            tls.panel[(size_t) p * 4 + i] = p < full ? load_pair(TYPE, row, 2 * p, 1) : load_pair(TYPE, row, 2 * p, 0);
        }
    }
}

KERNELS static void prepare_panel(int type, const uint8_t *w, int64_t row_bytes, int r0, int blocks, int pairs) {
    if (type == TYPE_Q8_0) {
        prepare_panel_of(TYPE_Q8_0, w, row_bytes, r0, blocks, pairs);
    } else {
        prepare_panel_of(TYPE_Q4_0, w, row_bytes, r0, blocks, pairs);
    }
}

/* n4j_matmul with AVX-512 VNNI. */
KERNELS int matmul_avx512(int type, const uint8_t *w, int64_t row_bytes, int cols, const float *x, int x_stride, int n,
        float *out, int out_stride, int row_start, int row_end) {
    int blocks = cols / QK;
    int pairs = (blocks + 1) / 2;
    /* Below this many tokens, preparing a panel costs more than loading each weight pair again per tile. */
    int panel = n > 16;
    if (reserve((size_t) n * pairs, panel ? (size_t) pairs * 4 : 0) != OK) {
        return NO_MEMORY;
    }
    quantize(type, x, x_stride, n, cols, pairs);
    int q4 = type == TYPE_Q4_0;
    int rows_per_decode = decode_rows(pairs);
    for (int r = row_start; r < row_end;) {
        if (n == 1 && row_end - r >= rows_per_decode) {
            DECODES[q4][rows_per_decode == 8](w, row_bytes, r, blocks, pairs, out);
            r += rows_per_decode;
            continue;
        }
        int left = row_end - r;
        int rows = left >= 8 && !panel ? 8 : left >= 4 ? 4 : 1;
        if (panel && rows == 4) {
            prepare_panel(type, w, row_bytes, r, blocks, pairs);
        }
        for (int t0 = 0; t0 < n; t0 += 4) {
            int tokens = n - t0 < 4 ? n - t0 : 4;
            TILES[q4][panel][rows / 4][tokens - 1](w, row_bytes, r, t0, blocks, pairs, out, out_stride);
        }
        r += rows;
    }
    return OK;
}
