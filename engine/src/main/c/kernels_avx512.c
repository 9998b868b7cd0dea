/*
 * The native kernels with AVX-512 VNNI (see nemotron4j_kernels.c): 16 weight rows at a time, row i in lane i of
 * every register, so that a block's exact sums for 16 rows build up in one register; then one float step per block,
 * row and token.
 *
 * The arithmetic, for every row r and token t and whatever else is in the batch (the same as the AMX kernels'):
 *     s = 0; for each block b in order: s = fma(float(sum of w x over b), d_x(t, b) * d_w(r, b), s)
 * so a token's result has the same bits alone as with others, and with either instruction set.
 *
 * vpdpbusd multiplies unsigned by signed bytes: the weights go in unsigned (Q8_0 shifted by 128, Q4_0 as the
 * nibbles they are stored as, w + 8) and each block sum comes out too high by 128 or 8 times the block's activation
 * sum, which is subtracted exactly. A tile's block is transposed once (eight registers, register k holding bytes
 * 4k to 4k + 3 of each row) and serves every token of a group: eight vpdpbusd, each against four of the token's
 * bytes broadcast to all lanes, leave the 16 block sums in lane order. The float step then costs one conversion,
 * one multiply and one fused add per 16 rows. (A sum tree per token over two rows per register took 14 lane
 * shuffles for 8 vpdpbusd; on Zen 4, which issues 512-bit shuffles as two halves, batched decode ran at 60% of
 * this speed.)
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
 * Tokens per pass over a tile's weights: their accumulators, the eight registers of the transposed block and a
 * token's two chains of sums fit in the 32 vector registers (16 against 8 per pass: prefill 5-10% faster on Zen 4).
 */
#define GROUP 16

/* Per-thread scratch: per token and block, its 32 bytes, its scale, and the offset the unsigned weights add to its
 * block sum. Hot loops take it by pointer: each access to a thread-local of a shared library is a call. */
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
    return grow_buffer((void **) &tls.q, &tls.q_bytes, token_blocks * QK) != OK
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

/* Quantizes the tokens, each block's bytes in element order, with the offset the weights add to its block sums. */
KERNELS static void quantize(const scratch *s, int type, const float *x, int x_stride, int n, int blocks) {
    for (int t = 0; t < n; t++) {
        for (int b = 0; b < blocks; b++) {
            size_t at = (size_t) t * blocks + b;
            int8_t *q = s->q + at * QK;
            s->scales[at] = quantize_block_avx512(x + (size_t) t * x_stride + (size_t) b * QK, q);
            __m256i v = _mm256_load_si256((const __m256i *) q);
            int sum = _mm512_reduce_add_epi32(_mm512_madd_epi16(_mm512_cvtepi8_epi16(v), _mm512_set1_epi16(1)));
            s->offsets[at] = (type == TYPE_Q8_0 ? 128 : 8) * sum;
        }
    }
}

/*
 * A tile's block b (at byte at of each row) transposed to eight registers of unsigned bytes: register k holds
 * bytes 4k to 4k + 3 of the 16 rows' blocks, row i in lane i, elements 4k to 4k + 3 of each. Q8_0 rows are shifted
 * by 128; Q4_0 rows are their nibbles as stored (a block's low nibbles are its elements 0-15, its high ones 16-31).
 */
KERNELS static inline __attribute__((always_inline)) void transpose_block(const int TYPE, const uint8_t *const *row,
        size_t at, __m512i *tr) {
    if (TYPE == TYPE_Q8_0) {
        /* Rows m and m + 8 in the two halves of p[m]: an 8 x 8 transpose of dwords in each half gives rows 0-7 in
         * lanes 0-7 and rows 8-15 in lanes 8-15. */
        __m512i p[8];
        for (int m = 0; m < 8; m++) {
            __m512i both = _mm512_inserti64x4(
                    _mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *) (row[m] + at + 2))),
                    _mm256_loadu_si256((const __m256i *) (row[m + 8] + at + 2)), 1);
            p[m] = _mm512_xor_si512(both, _mm512_set1_epi8((char) 0x80));
        }
        /* a[2j], a[2j + 1]: rows 2j and 2j + 1 interleaved, bytes 0-7 and 16-23, then 8-15 and 24-31. */
        __m512i a[8];
        for (int j = 0; j < 4; j++) {
            a[2 * j] = _mm512_unpacklo_epi32(p[2 * j], p[2 * j + 1]);
            a[2 * j + 1] = _mm512_unpackhi_epi32(p[2 * j], p[2 * j + 1]);
        }
        /* c[4j + k]: rows 4j to 4j + 3, dword k in each 128-bit lane's first half, dword k + 4 in its second. */
        __m512i c[8];
        for (int j = 0; j < 2; j++) {
            for (int h = 0; h < 2; h++) {
                c[4 * j + 2 * h] = _mm512_unpacklo_epi64(a[4 * j + h], a[4 * j + 2 + h]);
                c[4 * j + 2 * h + 1] = _mm512_unpackhi_epi64(a[4 * j + h], a[4 * j + 2 + h]);
            }
        }
        const __m512i low = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0);
        const __m512i high = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
        for (int k = 0; k < 4; k++) {
            tr[k] = _mm512_permutex2var_epi64(c[k], low, c[4 + k]);
            tr[k + 4] = _mm512_permutex2var_epi64(c[k], high, c[4 + k]);
        }
    } else {
        /* Rows j, j + 4, j + 8, j + 12 in the 128-bit lanes of r[j]: a 4 x 4 transpose of dwords in each lane puts
         * row 4L + j in lane 4L + j. */
        __m512i r[4];
        for (int j = 0; j < 4; j++) {
            __m512i v = _mm512_castsi128_si512(_mm_loadu_si128((const __m128i *) (row[j] + at + 2)));
            v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *) (row[j + 4] + at + 2)), 1);
            v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *) (row[j + 8] + at + 2)), 2);
            r[j] = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *) (row[j + 12] + at + 2)), 3);
        }
        __m512i a0 = _mm512_unpacklo_epi32(r[0], r[1]);
        __m512i a1 = _mm512_unpackhi_epi32(r[0], r[1]);
        __m512i a2 = _mm512_unpacklo_epi32(r[2], r[3]);
        __m512i a3 = _mm512_unpackhi_epi32(r[2], r[3]);
        __m512i u[4] = {_mm512_unpacklo_epi64(a0, a2), _mm512_unpackhi_epi64(a0, a2), _mm512_unpacklo_epi64(a1, a3),
                _mm512_unpackhi_epi64(a1, a3)};
        const __m512i nibble = _mm512_set1_epi8(0x0F);
        for (int k = 0; k < 4; k++) {
            tr[k] = _mm512_and_si512(u[k], nibble);
            tr[k + 4] = _mm512_and_si512(_mm512_srli_epi16(u[k], 4), nibble);
        }
    }
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
 * Into L2, not L1: a tile is up to 267 KiB, and filling L1 (32-48 KiB) with the next tile's lines only evicted
 * this tile's (Zen 4, 2 threads, Q8_0 22656 x 4480 from memory: one token 18-22 GB/s into L1, 23-30 into L2, as
 * fast as AVX2's one row at a time; eight tokens 18-19 -> 22-26).
 */
typedef struct {
    const char *start;
    size_t lines;
    size_t per_block;
} read_ahead;

/* Bytes 4k to 4k + 3 of a token's block in every lane (memcpy: the bytes are int8_t). */
KERNELS static inline __attribute__((always_inline)) __m512i word(const int8_t *x, int k) {
    int32_t w;
    memcpy(&w, x + 4 * k, 4);
    return _mm512_set1_epi32(w);
}

/* GROUP or fewer tokens, from token t0, by the 16 rows of a tile; TYPE and N constants at every call. */
KERNELS static inline __attribute__((always_inline)) void tile_of(const int TYPE, const int N, const scratch *s,
        const uint8_t *const *row, __mmask16 real, int blocks, int t0, const read_ahead *ahead, float *out,
        int out_stride) {
    const int block_bytes = BLOCK_BYTES(TYPE);
    __m512 acc[N];
    for (int t = 0; t < N; t++) {
        acc[t] = _mm512_setzero_ps();
    }
    for (int b = 0; b < blocks; b++) {
        if (ahead != NULL) {
            size_t from = (size_t) b * ahead->per_block;
            for (size_t l = from; l < from + ahead->per_block && l < ahead->lines; l++) {
                _mm_prefetch(ahead->start + l * 64, _MM_HINT_T1);
            }
        }
        size_t at = (size_t) b * block_bytes;
        __m512i tr[8];
        transpose_block(TYPE, row, at, tr);
        __m512 dw = row_block_scales(row, at, real);
        for (int t = 0; t < N; t++) {
            size_t token_block = (size_t) (t0 + t) * blocks + b;
            const int8_t *x = s->q + token_block * QK;
            /* Two chains of four, so that one token does not wait on vpdpbusd's latency eight times over. */
            __m512i even = _mm512_setzero_si512();
            __m512i odd = _mm512_setzero_si512();
            for (int k = 0; k < 8; k += 2) {
                even = _mm512_dpbusd_epi32(even, tr[k], word(x, k));
                odd = _mm512_dpbusd_epi32(odd, tr[k + 1], word(x, k + 1));
            }
            __m512i sums = _mm512_sub_epi32(_mm512_add_epi32(even, odd), _mm512_set1_epi32(s->offsets[token_block]));
            __m512 dx = _mm512_set1_ps(s->scales[token_block]);
            acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sums), _mm512_mul_ps(dx, dw), acc[t]);
        }
    }
    for (int t = 0; t < N; t++) {
        _mm512_mask_storeu_ps(out + (size_t) (t0 + t) * out_stride, real, acc[t]);
    }
}

typedef void (*tile_kernel)(const scratch *, const uint8_t *const *, __mmask16, int, int, const read_ahead *, float *,
        int);

#define TILE_KERNEL(TYPE, N)                                                                                         \
    KERNELS static void tile_##TYPE##_##N(const scratch *s, const uint8_t *const *row, __mmask16 real, int blocks,  \
            int t0, const read_ahead *ahead, float *out, int out_stride) {                                           \
        tile_of(TYPE, N, s, row, real, blocks, t0, ahead, out, out_stride);                                          \
    }
#define TILE_KERNELS(TYPE)                                                                                           \
    TILE_KERNEL(TYPE, 1) TILE_KERNEL(TYPE, 2) TILE_KERNEL(TYPE, 3) TILE_KERNEL(TYPE, 4)                              \
    TILE_KERNEL(TYPE, 5) TILE_KERNEL(TYPE, 6) TILE_KERNEL(TYPE, 7) TILE_KERNEL(TYPE, 8)                              \
    TILE_KERNEL(TYPE, 9) TILE_KERNEL(TYPE, 10) TILE_KERNEL(TYPE, 11) TILE_KERNEL(TYPE, 12)                           \
    TILE_KERNEL(TYPE, 13) TILE_KERNEL(TYPE, 14) TILE_KERNEL(TYPE, 15) TILE_KERNEL(TYPE, 16)

TILE_KERNELS(TYPE_Q8_0)
TILE_KERNELS(TYPE_Q4_0)

/* TILES[type is Q4_0][tokens - 1] */
static const tile_kernel TILES[2][GROUP] = {
        {tile_TYPE_Q8_0_1, tile_TYPE_Q8_0_2, tile_TYPE_Q8_0_3, tile_TYPE_Q8_0_4, tile_TYPE_Q8_0_5, tile_TYPE_Q8_0_6,
                tile_TYPE_Q8_0_7, tile_TYPE_Q8_0_8, tile_TYPE_Q8_0_9, tile_TYPE_Q8_0_10, tile_TYPE_Q8_0_11,
                tile_TYPE_Q8_0_12, tile_TYPE_Q8_0_13, tile_TYPE_Q8_0_14, tile_TYPE_Q8_0_15, tile_TYPE_Q8_0_16},
        {tile_TYPE_Q4_0_1, tile_TYPE_Q4_0_2, tile_TYPE_Q4_0_3, tile_TYPE_Q4_0_4, tile_TYPE_Q4_0_5, tile_TYPE_Q4_0_6,
                tile_TYPE_Q4_0_7, tile_TYPE_Q4_0_8, tile_TYPE_Q4_0_9, tile_TYPE_Q4_0_10, tile_TYPE_Q4_0_11,
                tile_TYPE_Q4_0_12, tile_TYPE_Q4_0_13, tile_TYPE_Q4_0_14, tile_TYPE_Q4_0_15, tile_TYPE_Q4_0_16}};

/* n4j_matmul with AVX-512 VNNI. */
KERNELS int matmul_avx512(int type, const uint8_t *w, int64_t row_bytes, int cols, const float *x, int x_stride, int n,
        float *out, int out_stride, int row_start, int row_end) {
    int blocks = cols / QK;
    if (reserve((size_t) n * blocks) != OK) {
        return NO_MEMORY;
    }
    quantize(&tls, type, x, x_stride, n, blocks);
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
            TILES[q4][tokens - 1](&tls, row, real, blocks, t0, t0 == 0 && next_lines > 0 ? &ahead : NULL,
                    out + r0, out_stride);
        }
    }
    return OK;
}
