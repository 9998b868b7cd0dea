/*
 * The native kernels with AVX-512 VNNI (see nemotron4j_kernels.c): 16 weight rows at a time, their exact block sums
 * gathered into the 16 lanes of one register, then one float step per block, row and token.
 *
 * The arithmetic, for every row r and token t and whatever else is in the batch (the same as the AMX kernels'):
 *     s = 0; for each block b in order: s = fma(float(sum of w x over b), d_x(t, b) * d_w(r, b), s)
 * so a token's result has the same bits alone as with others, and with either instruction set.
 *
 * vpdpbusd multiplies unsigned by signed bytes: the weights go in unsigned (Q8_0 shifted by 128, Q4_0 as the
 * nibbles they are stored as, w + 8) and each block sum comes out too high by 128 or 8 times the block's activation
 * sum, which is subtracted exactly. One vpdpbusd takes one block of two rows; eight of them hold 16 rows' partial
 * sums, four lanes to a block, and three levels of lane shuffles add them into one register of 16 block sums (two
 * rows per register in PAIR_ROWS order, so that the shuffles leave row i in lane i). The float step then costs one
 * conversion, one multiply and one fused add per 16 rows, where a float step per vpdpbusd lane cost three per
 * register of partial sums (prefill and batched decode ran at half the speed with that).
 *
 * Tokens go through a tile of 16 rows in groups of up to GROUP, the tile's weights loaded again for each group (from
 * L2: at most 16 rows of 15680 columns, 267 KiB). Everything here is reentrant: the quantized activations live in
 * per-thread buffers.
 */
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#include "nemotron4j_kernels.h"

#define KERNELS __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx512dq,f16c,fma")))

/* Rows per tile: the lanes of a float register. */
#define ROWS 16

/*
 * Tokens per pass over a tile's weights: their accumulators, the eight registers of weight pairs and the eight of
 * partial sums fill the 32 vector registers.
 */
#define GROUP 8

/* Per-thread scratch: per token and block, its 32 bytes laid out for vpdpbusd, its scale, and the offset the
 * unsigned weights add to its block sum. */
typedef struct {
    int8_t *q;
    float *scales;
    int32_t *offsets;
    size_t q_bytes;
    size_t scales_bytes;
    size_t offsets_bytes;
} scratch;

static __thread scratch tls;

void release_avx512(void) {
    free(tls.q);
    free(tls.scales);
    free(tls.offsets);
    memset(&tls, 0, sizeof(tls));
}

static int reserve(size_t token_blocks) {
    if (tls.q_bytes == 0) {
        release_at_thread_exit();
    }
    return grow_buffer((void **) &tls.q, &tls.q_bytes, token_blocks * 64) != OK
                    || grow_buffer((void **) &tls.scales, &tls.scales_bytes, token_blocks * sizeof(float)) != OK
                    || grow_buffer((void **) &tls.offsets, &tls.offsets_bytes, token_blocks * sizeof(int32_t)) != OK
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

/* Quantizes the tokens, each block laid out as row_pair lays out the weights, with the offset the weights add. */
KERNELS static void quantize(int type, const float *x, int x_stride, int n, int blocks) {
    for (int t = 0; t < n; t++) {
        for (int b = 0; b < blocks; b++) {
            size_t at = (size_t) t * blocks + b;
            int8_t q[QK];
            tls.scales[at] = quantize_block_avx512(x + (size_t) t * x_stride + (size_t) b * QK, q);
            __m256i v = _mm256_loadu_si256((const __m256i *) q);
            __m512i both = _mm512_broadcast_i64x4(v);
            __m512i laid = type == TYPE_Q8_0 ? both
                                             : _mm512_permutexvar_epi64(_mm512_set_epi64(3, 2, 3, 2, 1, 0, 1, 0), both);
            _mm512_store_si512((void *) (tls.q + at * 64), laid);
            int sum = _mm512_reduce_add_epi32(_mm512_madd_epi16(_mm512_cvtepi8_epi16(v), _mm512_set1_epi16(1)));
            tls.offsets[at] = (type == TYPE_Q8_0 ? 128 : 8) * sum;
        }
    }
}

/*
 * The rows of a tile in the order the sum tree below leaves them in lane order: register m holds rows
 * PAIR_ROWS[m][0] and PAIR_ROWS[m][1].
 */
static const int PAIR_ROWS[8][2] = {{0, 1}, {8, 9}, {4, 5}, {12, 13}, {2, 3}, {10, 11}, {6, 7}, {14, 15}};

/*
 * Eight registers of partial sums, two rows each, to one register of 16 row sums in three levels of lane shuffles.
 * first_low and first_high pick the first level's lanes, which depend on where the type puts each row's partials.
 */
KERNELS static inline __attribute__((always_inline)) __m512i sum_rows(const __m512i *p, __m512i first_low,
        __m512i first_high) {
    const __m512i second_low = _mm512_set_epi32(29, 28, 25, 24, 21, 20, 17, 16, 13, 12, 9, 8, 5, 4, 1, 0);
    const __m512i second_high = _mm512_set_epi32(31, 30, 27, 26, 23, 22, 19, 18, 15, 14, 11, 10, 7, 6, 3, 2);
    const __m512i third_low = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i third_high = _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
    __m512i q[4];
    for (int m = 0; m < 4; m++) {
        q[m] = _mm512_add_epi32(_mm512_permutex2var_epi32(p[m], first_low, p[m + 4]),
                _mm512_permutex2var_epi32(p[m], first_high, p[m + 4]));
    }
    __m512i r[2];
    for (int m = 0; m < 2; m++) {
        r[m] = _mm512_add_epi32(_mm512_permutex2var_epi32(q[m], second_low, q[m + 2]),
                _mm512_permutex2var_epi32(q[m], second_high, q[m + 2]));
    }
    return _mm512_add_epi32(_mm512_permutex2var_epi32(r[0], third_low, r[1]),
            _mm512_permutex2var_epi32(r[0], third_high, r[1]));
}

/*
 * Two rows' blocks as 64 unsigned bytes for vpdpbusd. Q8_0: [a, c], each shifted by 128. Q4_0: the nibbles as
 * stored, [low a, low c, high a, high c], a block's low nibbles being its elements 0-15 and its high ones 16-31.
 */
KERNELS static inline __attribute__((always_inline)) __m512i row_pair(const int TYPE, const uint8_t *a,
        const uint8_t *c) {
    if (TYPE == TYPE_Q8_0) {
        __m512i both = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *) (a + 2))),
                _mm256_loadu_si256((const __m256i *) (c + 2)), 1);
        return _mm512_xor_si512(both, _mm512_set1_epi8((char) 0x80));
    }
    __m256i packed = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *) (a + 2))),
            _mm_loadu_si128((const __m128i *) (c + 2)), 1);
    __m512i both = _mm512_inserti64x4(_mm512_castsi256_si512(packed), _mm256_srli_epi16(packed, 4), 1);
    return _mm512_and_si512(both, _mm512_set1_epi8(0x0F));
}

/*
 * The scales of 16 rows' blocks at byte at, as floats (lanes outside real 0). Packed four to a 64-bit register with
 * scalar loads: a 16-lane gather took a third of the decode time.
 */
KERNELS static inline __attribute__((always_inline)) __m512 row_block_scales(const uint8_t *const *row, size_t at,
        __mmask16 real) {
    uint64_t packed[4];
    for (int k = 0; k < 4; k++) {
        uint16_t h[4];
        for (int i = 0; i < 4; i++) {
            memcpy(&h[i], row[4 * k + i] + at, 2);
        }
        packed[k] = (uint64_t) h[0] | (uint64_t) h[1] << 16 | (uint64_t) h[2] << 32 | (uint64_t) h[3] << 48;
    }
    __m256i halves = _mm256_set_epi64x((long long) packed[3], (long long) packed[2], (long long) packed[1],
            (long long) packed[0]);
    return _mm512_maskz_mov_ps(real, _mm512_cvtph_ps(halves));
}

/*
 * The next tile's bytes, read ahead in memory order while this tile computes: lines per block of this tile. Sixteen
 * rows read block by block are sixteen streams, more than AMD's prefetchers follow; one sequential stream ahead
 * of them doubled what batched decode read from memory (Zen 5, 2 threads, Q8_0 4480 x 4480, 4 and 8 tokens: 21-24
 * and 13-14 GB/s of weights without, 41-42 and 26-27 with) and kept one token at the speed of one row at a time.
 */
typedef struct {
    const char *start;
    size_t lines;
    size_t per_block;
} read_ahead;

/* GROUP or fewer tokens, from token t0, by the 16 rows of a tile; TYPE and N constants at every call. */
KERNELS static inline __attribute__((always_inline)) void tile_of(const int TYPE, const int N,
        const uint8_t *const *row, __mmask16 real, int blocks, int t0, const read_ahead *ahead, float *out,
        int out_stride) {
    /* Q8_0: a row's partials in lanes 0-7 or 8-15; Q4_0: its low nibbles' in 0-3 or 4-7, high in 8-11 or 12-15. */
    const __m512i first_low = TYPE == TYPE_Q8_0
            ? _mm512_set_epi32(27, 26, 25, 24, 19, 18, 17, 16, 11, 10, 9, 8, 3, 2, 1, 0)
            : _mm512_set_epi32(23, 22, 21, 20, 19, 18, 17, 16, 7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i first_high = TYPE == TYPE_Q8_0
            ? _mm512_set_epi32(31, 30, 29, 28, 23, 22, 21, 20, 15, 14, 13, 12, 7, 6, 5, 4)
            : _mm512_set_epi32(31, 30, 29, 28, 27, 26, 25, 24, 15, 14, 13, 12, 11, 10, 9, 8);
    const int block_bytes = BLOCK_BYTES(TYPE);
    __m512 acc[N];
    for (int t = 0; t < N; t++) {
        acc[t] = _mm512_setzero_ps();
    }
    for (int b = 0; b < blocks; b++) {
        if (ahead != NULL) {
            size_t from = (size_t) b * ahead->per_block;
            for (size_t l = from; l < from + ahead->per_block && l < ahead->lines; l++) {
                _mm_prefetch(ahead->start + l * 64, _MM_HINT_T0);
            }
        }
        size_t at = (size_t) b * block_bytes;
        __m512i pairs[8];
        for (int m = 0; m < 8; m++) {
            pairs[m] = row_pair(TYPE, row[PAIR_ROWS[m][0]] + at, row[PAIR_ROWS[m][1]] + at);
        }
        __m512 dw = row_block_scales(row, at, real);
        for (int t = 0; t < N; t++) {
            size_t token_block = (size_t) (t0 + t) * blocks + b;
            __m512i x = _mm512_load_si512((const void *) (tls.q + token_block * 64));
            __m512i p[8];
            for (int m = 0; m < 8; m++) {
                p[m] = _mm512_dpbusd_epi32(_mm512_setzero_si512(), pairs[m], x);
            }
            __m512i sums = _mm512_sub_epi32(sum_rows(p, first_low, first_high),
                    _mm512_set1_epi32(tls.offsets[token_block]));
            __m512 dx = _mm512_set1_ps(tls.scales[token_block]);
            acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sums), _mm512_mul_ps(dx, dw), acc[t]);
        }
    }
    for (int t = 0; t < N; t++) {
        _mm512_mask_storeu_ps(out + (size_t) (t0 + t) * out_stride, real, acc[t]);
    }
}

typedef void (*tile_kernel)(const uint8_t *const *, __mmask16, int, int, const read_ahead *, float *, int);

#define TILE_KERNEL(TYPE, N)                                                                                         \
    KERNELS static void tile_##TYPE##_##N(const uint8_t *const *row, __mmask16 real, int blocks, int t0,            \
            const read_ahead *ahead, float *out, int out_stride) {                                                   \
        tile_of(TYPE, N, row, real, blocks, t0, ahead, out, out_stride);                                             \
    }
#define TILE_KERNELS(TYPE)                                                                                           \
    TILE_KERNEL(TYPE, 1) TILE_KERNEL(TYPE, 2) TILE_KERNEL(TYPE, 3) TILE_KERNEL(TYPE, 4)                              \
    TILE_KERNEL(TYPE, 5) TILE_KERNEL(TYPE, 6) TILE_KERNEL(TYPE, 7) TILE_KERNEL(TYPE, 8)

TILE_KERNELS(TYPE_Q8_0)
TILE_KERNELS(TYPE_Q4_0)

/* TILES[type is Q4_0][tokens - 1] */
static const tile_kernel TILES[2][GROUP] = {
        {tile_TYPE_Q8_0_1, tile_TYPE_Q8_0_2, tile_TYPE_Q8_0_3, tile_TYPE_Q8_0_4, tile_TYPE_Q8_0_5, tile_TYPE_Q8_0_6,
                tile_TYPE_Q8_0_7, tile_TYPE_Q8_0_8},
        {tile_TYPE_Q4_0_1, tile_TYPE_Q4_0_2, tile_TYPE_Q4_0_3, tile_TYPE_Q4_0_4, tile_TYPE_Q4_0_5, tile_TYPE_Q4_0_6,
                tile_TYPE_Q4_0_7, tile_TYPE_Q4_0_8}};

/* n4j_matmul with AVX-512 VNNI. */
KERNELS int matmul_avx512(int type, const uint8_t *w, int64_t row_bytes, int cols, const float *x, int x_stride, int n,
        float *out, int out_stride, int row_start, int row_end) {
    int blocks = cols / QK;
    if (reserve((size_t) n * blocks) != OK) {
        return NO_MEMORY;
    }
    quantize(type, x, x_stride, n, blocks);
    int q4 = type == TYPE_Q4_0;
    for (int r0 = row_start; r0 < row_end; r0 += ROWS) {
        int rows = row_end - r0 < ROWS ? row_end - r0 : ROWS;
        const uint8_t *row[ROWS];
        for (int i = 0; i < ROWS; i++) {
            /* Past the last row, the first again: read, never written. */
            row[i] = w + (size_t) (r0 + (i < rows ? i : 0)) * row_bytes;
        }
        __mmask16 real = (__mmask16) ((1u << rows) - 1);
        int next_rows = row_end - (r0 + ROWS) < ROWS ? row_end - (r0 + ROWS) : ROWS;
        size_t next_lines = next_rows > 0 ? ((size_t) next_rows * (size_t) row_bytes + 63) / 64 : 0;
        read_ahead ahead = {(const char *) (w + (size_t) (r0 + ROWS) * row_bytes), next_lines,
                (next_lines + (size_t) blocks - 1) / (size_t) blocks};
        for (int t0 = 0; t0 < n; t0 += GROUP) {
            int tokens = n - t0 < GROUP ? n - t0 : GROUP;
            /* The first group reads the next tile ahead; later ones find this tile's weights in the caches. */
            TILES[q4][tokens - 1](row, real, blocks, t0, t0 == 0 && next_lines > 0 ? &ahead : NULL,
                    out + r0, out_stride);
        }
    }
    return OK;
}
