/*
 * The native kernels with AVX2 (see nemotron4j_kernels.c), for CPUs without AVX-512: vpmaddubsw multiplies 32
 * unsigned by 32 signed bytes and adds neighbours into 16-bit sums, vpmaddwd adds those into 32-bit ones.
 *
 * vpmaddubsw saturates at 32767, so the operands must stay small: Q4_0 weights go in as their stored nibbles
 * (w + 8, at most 15; a block's sum then starts at -8 times the sum of its activations, computed once per token),
 * Q8_0 weights as |w| against the activations with the weight's sign (llama.cpp's trick: 2 x 128 x 127 fits).
 *
 * The arithmetic decode and batches share, so that a (row, token) has the same bits whatever the batch: per block
 * b the exact integer sum I_b, converted to float (exact: |I_b| < 2^24); s_b = d_x d_w, the product of the two
 * block scales; four running sums, A_(b mod 4) = fma(I_b, s_b, A_(b mod 4)) in block order; the result
 * (A0 + A2) + (A1 + A3). One conversion, multiply and FMA per 32 products.
 *
 * Decode (up to four tokens) puts blocks in the vector lanes: eight blocks of a row are reduced to one vector of
 * their sums, whose halves are the four running sums' next two steps. More tokens put rows in the lanes: eight rows'
 * weights are transposed once per call into a panel, four bytes of a block per lane, and each vector of it meets
 * four activation bytes of a token broadcast to all lanes, so that a block's sums for eight rows build up in one
 * register with no reduction. Everything here is reentrant: activations and panel live in per-thread buffers.
 */
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#include "nemotron4j_kernels.h"

#define KERNELS __attribute__((target("avx2,fma,f16c")))
#define INLINE static inline __attribute__((always_inline))
/* Loops over tile sizes and block places: unrolled, the running sums stay in registers. */
#define UNROLLED _Pragma("GCC unroll 8")

/*
 * Per-thread scratch. The activations of n tokens quantized, by pairs of blocks laid out as the type's weights
 * are best unpacked (see quantize): 64 bytes per pair in q; per block its scale in dx and where its integer sum
 * starts in start. A token takes `slots` blocks: its blocks rounded up to a whole pair. The panel: eight rows'
 * weights transposed, 8 vectors of 32 bytes per block in w, and the blocks' eight scales in dw.
 */
typedef struct {
    int8_t *q;
    float *dx;
    int32_t *start;
    __m256i *w;
    float *dw;
    size_t q_bytes;
    size_t dx_bytes;
    size_t start_bytes;
    size_t w_bytes;
    size_t dw_bytes;
} scratch;

/* Hot loops take it by pointer: each access to a thread-local of a shared library is a call. */
static __thread scratch tls;

void release_avx2(void) {
    free(tls.q);
    free(tls.dx);
    free(tls.start);
    free(tls.w);
    free(tls.dw);
    memset(&tls, 0, sizeof(tls));
}

static int reserve(size_t token_blocks, size_t panel_blocks) {
    if (tls.q_bytes == 0) {
        release_at_thread_exit();
    }
    return grow_buffer((void **) &tls.q, &tls.q_bytes, token_blocks * QK) != OK
                    || grow_buffer((void **) &tls.dx, &tls.dx_bytes, token_blocks * sizeof(float)) != OK
                    || grow_buffer((void **) &tls.start, &tls.start_bytes, token_blocks * sizeof(int32_t)) != OK
                    || grow_buffer((void **) &tls.w, &tls.w_bytes, panel_blocks * 8 * sizeof(__m256i)) != OK
                    || grow_buffer((void **) &tls.dw, &tls.dw_bytes, panel_blocks * 8 * sizeof(float)) != OK
            ? NO_MEMORY
            : OK;
}

/*
 * One block of 32 floats to bytes, exactly as the AVX-512 kernels do: d = max|x| / 127, rounded to half precision
 * as a Q8_0 block stores it; q = x / d rounded to nearest, ties to even. Returns the rounded d.
 */
KERNELS static float quantize_block(const float *x, __m256i *q) {
    __m256 v[4];
    __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 max = _mm256_setzero_ps();
    for (int i = 0; i < 4; i++) {
        v[i] = _mm256_loadu_ps(x + 8 * i);
        max = _mm256_max_ps(max, _mm256_andnot_ps(sign, v[i]));
    }
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(max), _mm256_extractf128_ps(max, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    float amax = _mm_cvtss_f32(_mm_max_ss(m, _mm_movehdup_ps(m)));
    float d = amax / 127.0f;
    __m256 id = _mm256_set1_ps(d != 0.0f ? 127.0f / amax : 0.0f);
    __m256i i[4];
    for (int k = 0; k < 4; k++) {
        i[k] = _mm256_cvtps_epi32(_mm256_mul_ps(v[k], id));
    }
    /* The packs work within 128-bit halves; the permutation puts the four-byte groups back in order. */
    __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(i[0], i[1]), _mm256_packs_epi32(i[2], i[3]));
    *q = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    return _cvtsh_ss(_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT));
}

/* The sum of the 32 signed bytes of q. */
KERNELS INLINE int32_t byte_sum(__m256i q) {
    __m256i quads = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), q), _mm256_set1_epi16(1));
    __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(quads), _mm256_extracti128_si256(quads, 1));
    sum = _mm_add_epi32(sum, _mm_unpackhi_epi64(sum, sum));
    return _mm_cvtsi128_si32(_mm_add_epi32(sum, _mm_shuffle_epi32(sum, 1)));
}

/*
 * Quantizes each token's blocks by pairs (the second may be absent: zeros, scale 0). Q8_0 keeps a pair's two blocks
 * in order. Q4_0 stores [first 0-15, second 0-15, first 16-31, second 16-31], the order in which two blocks' nibbles
 * come out of one 32-byte load: low nibbles are a block's elements 0-15, high nibbles 16-31.
 */
KERNELS static void quantize(const scratch *s, int type, const float *x, int x_stride, int n, int blocks) {
    int slots = (blocks + 1) & ~1;
    for (int t = 0; t < n; t++) {
        for (int b = 0; b < blocks; b += 2) {
            const float *from = x + (size_t) t * x_stride + (size_t) b * QK;
            size_t at = (size_t) t * slots + b;
            __m256i first, second = _mm256_setzero_si256();
            s->dx[at] = quantize_block(from, &first);
            s->dx[at + 1] = b + 1 < blocks ? quantize_block(from + QK, &second) : 0.0f;
            __m256i *q = (__m256i *) (s->q + at * QK);
            if (type == TYPE_Q8_0) {
                q[0] = first;
                q[1] = second;
                s->start[at] = s->start[at + 1] = 0;
            } else {
                q[0] = _mm256_permute2x128_si256(first, second, 0x20);
                q[1] = _mm256_permute2x128_si256(first, second, 0x31);
                s->start[at] = -8 * byte_sum(first);
                s->start[at + 1] = -8 * byte_sum(second);
            }
        }
    }
}

/* Q8_0: |w| times x with w's sign, in 16-bit sums of two, then 32-bit sums of four. */
KERNELS INLINE __m256i dot_q8_0(__m256i w, __m256i x) {
    __m256i pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(w), _mm256_sign_epi8(x, w));
    return _mm256_madd_epi16(pairs, _mm256_set1_epi16(1));
}

/* Q4_0: the nibbles of the pair of blocks at first (the second absent unless SECOND) times x, as quantize lays it
 * out: 16-bit sums of four products, the first block's in the low half. */
KERNELS INLINE __m256i dot_q4_0(const uint8_t *first, const int SECOND, const int8_t *x) {
    __m128i a = _mm_loadu_si128((const __m128i *) (first + 2));
    __m128i b = SECOND ? _mm_loadu_si128((const __m128i *) (first + 20)) : _mm_setzero_si128();
    __m256i packed = _mm256_set_m128i(b, a);
    __m256i low = _mm256_and_si256(packed, _mm256_set1_epi8(0x0F));
    __m256i high = _mm256_and_si256(_mm256_srli_epi16(packed, 4), _mm256_set1_epi8(0x0F));
    return _mm256_add_epi16(_mm256_maddubs_epi16(low, _mm256_load_si256((const __m256i *) x)),
            _mm256_maddubs_epi16(high, _mm256_load_si256((const __m256i *) (x + 32))));
}

/* Lanes below `count` all ones. */
KERNELS INLINE __m256i first_lanes(int count) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/*
 * The half-precision values at first + i * stride for lanes i below `count` (zero above) as floats. Put together in
 * general-purpose registers, whose ALUs decode leaves idle: a gather took half of decode's time on Zen 3.
 */
KERNELS INLINE __m256 halves(const uint8_t *first, int64_t stride, int count) {
    uint64_t packed[2] = {0, 0};
    for (int i = 0; i < 8 && i < count; i++) {
        uint16_t h;
        memcpy(&h, first + i * stride, 2);
        packed[i / 4] |= (uint64_t) h << (16 * (i % 4));
    }
    return _mm256_cvtph_ps(_mm_set_epi64x((int64_t) packed[1], (int64_t) packed[0]));
}

/*
 * How far ahead of decode's reads to prefetch, in bytes (rows are contiguous, so past a row's end is the next row's
 * start). On Zen 3, 2 threads, Q8_0 rows beyond the caches with 4 KiB pages: 20-21 GB/s without, 23-26 / 25-26 /
 * 26-28 / 25-26 GB/s at 512 / 1024 / 2048 / 4096 bytes: the hardware prefetcher alone stays too close.
 */
#define PREFETCH_AHEAD 2048

/*
 * Up to this many tokens take decode's way, the row read once and each token's blocks reduced in turn; more take the
 * transposed panel, whose preparation pays off only over many tokens. C harness, Zen 3, 2 threads, 16384 x 4480
 * beyond the caches, ms per call at Q8_0 for 2 / 4 / 6 / 8 tokens: decode's way 3.7 / 5.6 / 8.2 / 10.4, panel 5.2 /
 * 5.7-7.2 / 7.4 / 9.1 (one token: 2.6-2.8).
 */
#define DECODE_TOKENS 4

/*
 * The integer sums of eight blocks of a row against the token, block m in lane m, from block 8 g: the row's
 * blocks up to `left` (8 when FULL), zeros after. Integer additions, so their order is free.
 */
KERNELS INLINE __m256i block_sums(const int TYPE, const uint8_t *row, const int8_t *q, int g, const int FULL,
        int left) {
    const uint8_t *first = row + (size_t) 8 * g * BLOCK_BYTES(TYPE);
    const int8_t *x = q + (size_t) 8 * g * QK;
    __m256i p[8];
    if (TYPE == TYPE_Q8_0) {
        for (int m = 0; m < 8; m++) {
            p[m] = FULL || m < left ? dot_q8_0(_mm256_loadu_si256((const __m256i *) (first + 34 * m + 2)),
                                              _mm256_load_si256((const __m256i *) (x + m * QK)))
                                    : _mm256_setzero_si256();
        }
        /* 32-bit lanes, four per block: each half of h holds four blocks' half-sums. */
        __m256i h0 = _mm256_hadd_epi32(_mm256_hadd_epi32(p[0], p[1]), _mm256_hadd_epi32(p[2], p[3]));
        __m256i h1 = _mm256_hadd_epi32(_mm256_hadd_epi32(p[4], p[5]), _mm256_hadd_epi32(p[6], p[7]));
        return _mm256_add_epi32(_mm256_permute2x128_si256(h0, h1, 0x20), _mm256_permute2x128_si256(h0, h1, 0x31));
    }
    for (int m = 0; m < 4; m++) {
        const uint8_t *pair = first + (size_t) 36 * m;
        p[m] = FULL || 2 * m + 1 < left ? dot_q4_0(pair, 1, x + 64 * m)
               : 2 * m < left          ? dot_q4_0(pair, 0, x + 64 * m)
                                       : _mm256_setzero_si256();
    }
    /* Two rounds of pairwise 16-bit sums (then sixteen products of at most 15 x 127 each: they fit) leave, in the
     * low half, two sums for each of blocks 0, 2, 4, 6 and in the high half for 1, 3, 5, 7; one more in 32 bits,
     * and the blocks are put in order. */
    __m256i h = _mm256_hadd_epi16(_mm256_hadd_epi16(p[0], p[1]), _mm256_hadd_epi16(p[2], p[3]));
    __m256i sums = _mm256_madd_epi16(h, _mm256_set1_epi16(1));
    return _mm256_permutevar8x32_epi32(sums, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

/* A token's quantized activations: its first pair, block scales and block sum starts. */
typedef struct {
    const int8_t *q;
    const float *dx;
    const int32_t *start;
} token;

KERNELS INLINE token token_at(const scratch *s, int t, int slots) {
    size_t at = (size_t) t * slots;
    return (token) {s->q + at * QK, s->dx + at, s->start + at};
}

/* A token's four running sums after eight more blocks of a row (the last `left` of it unless FULL). */
KERNELS INLINE __m128 decode_group(const int TYPE, const uint8_t *row, token x, int g, const int FULL, int left,
        __m128 acc) {
    __m256i mask = FULL ? _mm256_set1_epi32(-1) : first_lanes(left);
    __m256i sums = block_sums(TYPE, row, x.q, g, FULL, left);
    const int32_t *start = x.start + (size_t) 8 * g;
    const float *dx = x.dx + (size_t) 8 * g;
    if (TYPE == TYPE_Q4_0) {
        sums = _mm256_add_epi32(sums, FULL ? _mm256_loadu_si256((const __m256i *) start)
                                           : _mm256_maskload_epi32(start, mask));
    }
    __m256 scales = _mm256_mul_ps(FULL ? _mm256_loadu_ps(dx) : _mm256_maskload_ps(dx, mask),
            halves(row + (size_t) 8 * g * BLOCK_BYTES(TYPE), BLOCK_BYTES(TYPE), FULL ? 8 : left));
    __m256 f = _mm256_cvtepi32_ps(sums);
    acc = _mm_fmadd_ps(_mm256_castps256_ps128(f), _mm256_castps256_ps128(scales), acc);
    return _mm_fmadd_ps(_mm256_extractf128_ps(f, 1), _mm256_extractf128_ps(scales, 1), acc);
}

/* (A0 + A2) + (A1 + A3) */
KERNELS INLINE float finish(__m128 acc) {
    __m128 t = _mm_add_ps(acc, _mm_movehl_ps(acc, acc));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_movehdup_ps(t)));
}

/*
 * Decode: one row against n <= DECODE_TOKENS tokens, eight blocks at a time, the row read front to back once
 * (later tokens find the group in L1).
 */
KERNELS INLINE void decode_row(const scratch *s, const int TYPE, const uint8_t *row, int blocks, int slots, int n,
        float *out, int out_stride) {
    __m128 acc[DECODE_TOKENS];
    token x[DECODE_TOKENS];
    for (int t = 0; t < n; t++) {
        acc[t] = _mm_setzero_ps();
        x[t] = token_at(s, t, slots);
    }
    int groups = blocks / 8;
    for (int g = 0; g < groups; g++) {
        const uint8_t *first = row + (size_t) 8 * g * BLOCK_BYTES(TYPE);
        for (int ahead = 0; ahead < 8 * BLOCK_BYTES(TYPE); ahead += 64) {
            _mm_prefetch((const char *) first + PREFETCH_AHEAD + ahead, _MM_HINT_T0);
        }
        for (int t = 0; t < n; t++) {
            acc[t] = decode_group(TYPE, row, x[t], g, 1, 8, acc[t]);
        }
    }
    for (int t = 0; t < n && blocks % 8 != 0; t++) {
        acc[t] = decode_group(TYPE, row, x[t], groups, 0, blocks % 8, acc[t]);
    }
    for (int t = 0; t < n; t++) {
        out[(size_t) t * out_stride] = finish(acc[t]);
    }
}

KERNELS static void decode(const scratch *s, int type, const uint8_t *w, int64_t row_bytes, int blocks, int n,
        float *out, int out_stride, int row_start, int row_end) {
    int slots = (blocks + 1) & ~1;
    for (int r = row_start; r < row_end; r++) {
        if (type == TYPE_Q8_0) {
            decode_row(s, TYPE_Q8_0, w + (size_t) r * row_bytes, blocks, slots, n, out + r, out_stride);
        } else {
            decode_row(s, TYPE_Q4_0, w + (size_t) r * row_bytes, blocks, slots, n, out + r, out_stride);
        }
    }
}

/* v[c] = column c of the 8 x 8 matrix of 32-bit words whose row i is v[i]. */
KERNELS INLINE void transpose8(__m256i v[8]) {
    __m256i t[8], u[8];
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm256_unpacklo_epi32(v[2 * i], v[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_epi32(v[2 * i], v[2 * i + 1]);
    }
    /* u[4h + k], 128-bit half l: rows 4h..4h+3 of column 4l + k. */
    for (int h = 0; h < 2; h++) {
        u[4 * h] = _mm256_unpacklo_epi64(t[4 * h], t[4 * h + 2]);
        u[4 * h + 1] = _mm256_unpackhi_epi64(t[4 * h], t[4 * h + 2]);
        u[4 * h + 2] = _mm256_unpacklo_epi64(t[4 * h + 1], t[4 * h + 3]);
        u[4 * h + 3] = _mm256_unpackhi_epi64(t[4 * h + 1], t[4 * h + 3]);
    }
    for (int k = 0; k < 4; k++) {
        v[k] = _mm256_permute2x128_si256(u[k], u[4 + k], 0x20);
        v[4 + k] = _mm256_permute2x128_si256(u[k], u[4 + k], 0x31);
    }
}

/*
 * The panel of rows [r0, r0 + rows), rows <= 8: block b's vector k holds, in lane i, the weight bytes of row r0 + i
 * for the block's elements 4k..4k+3 (signed for Q8_0, nibbles for Q4_0), and dw the block's scales of the eight
 * rows. Lanes of rows beyond `rows` are zero.
 */
KERNELS INLINE void prepare_panel_of(const scratch *s, const int TYPE, const uint8_t *w, int64_t row_bytes, int r0,
        int rows, int blocks) {
    /* Q8_0 takes one block (8 words of a row) per transpose, Q4_0 two (their nibbles are 8 words). */
    const int STEP = TYPE == TYPE_Q8_0 ? 1 : 2;
    for (int b = 0; b < blocks; b += STEP) {
        __m256i v[8];
        for (int i = 0; i < 8; i++) {
            if (i >= rows) {
                v[i] = _mm256_setzero_si256();
                continue;
            }
            const uint8_t *first = w + (size_t) (r0 + i) * row_bytes + (size_t) b * BLOCK_BYTES(TYPE) + 2;
            if (TYPE == TYPE_Q8_0) {
                v[i] = _mm256_loadu_si256((const __m256i *) first);
            } else {
                __m128i second = b + 1 < blocks ? _mm_loadu_si128((const __m128i *) (first + 18)) : _mm_setzero_si128();
                v[i] = _mm256_set_m128i(second, _mm_loadu_si128((const __m128i *) first));
            }
        }
        transpose8(v);
        if (TYPE == TYPE_Q8_0) {
            for (int k = 0; k < 8; k++) {
                s->w[(size_t) b * 8 + k] = v[k];
            }
            continue;
        }
        /* Packed byte j of a Q4_0 block: element j in the low nibble, element j + 16 in the high one. */
        for (int m = 0; m < 2 && b + m < blocks; m++) {
            for (int k = 0; k < 4; k++) {
                __m256i packed = v[4 * m + k];
                s->w[(size_t) (b + m) * 8 + k] = _mm256_and_si256(packed, _mm256_set1_epi8(0x0F));
                s->w[(size_t) (b + m) * 8 + 4 + k] =
                        _mm256_and_si256(_mm256_srli_epi16(packed, 4), _mm256_set1_epi8(0x0F));
            }
        }
    }
    for (int b = 0; b < blocks; b++) {
        _mm256_store_ps(s->dw + (size_t) b * 8,
                halves(w + (size_t) r0 * row_bytes + (size_t) b * BLOCK_BYTES(TYPE), row_bytes, rows));
    }
}

KERNELS static void prepare_panel(const scratch *s, int type, const uint8_t *w, int64_t row_bytes, int r0, int rows,
        int blocks) {
    if (type == TYPE_Q8_0) {
        prepare_panel_of(s, TYPE_Q8_0, w, row_bytes, r0, rows, blocks);
    } else {
        prepare_panel_of(s, TYPE_Q4_0, w, row_bytes, r0, rows, blocks);
    }
}

/* The four activation bytes for elements 4k..4k+3 of the first (SECOND = 0) or second block of the pair at x, in
 * every lane (see quantize). */
KERNELS INLINE __m256i act(const int TYPE, const int8_t *x, const int SECOND, const int k) {
    int offset = TYPE == TYPE_Q8_0 ? SECOND * 32 + 4 * k : (k & 4) * 8 + SECOND * 16 + 4 * (k & 3);
    int32_t word;
    memcpy(&word, x + offset, 4);
    return _mm256_set1_epi32(word);
}

/* Block b of the panel against tokens t0..t0+RN-1: running sum J (= b mod 4) of each token. */
KERNELS INLINE void tile_block(const scratch *s, const int TYPE, int t0, const int RN, int slots, int b, const int J,
        __m256 acc[RN][4]) {
    __m256i sums[RN];
    const __m256i *w = s->w + (size_t) b * 8;
    /* Blocks come in groups of four from a multiple of four, so b's place in its pair is J's, a constant. */
    const int8_t *x[RN];
    UNROLLED for (int j = 0; j < RN; j++) {
        x[j] = s->q + ((size_t) (t0 + j) * slots + (b & ~1)) * QK;
    }
    if (TYPE == TYPE_Q8_0) {
        UNROLLED for (int j = 0; j < RN; j++) {
            sums[j] = _mm256_setzero_si256();
        }
        UNROLLED for (int k = 0; k < 8; k++) {
            __m256i wk = _mm256_load_si256(w + k);
            __m256i mk = _mm256_abs_epi8(wk);
            UNROLLED for (int j = 0; j < RN; j++) {
                __m256i pairs = _mm256_maddubs_epi16(mk, _mm256_sign_epi8(act(TYPE, x[j], J & 1, k), wk));
                sums[j] = _mm256_add_epi32(sums[j], _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
            }
        }
    } else {
        /* Eight 16-bit sums of two nibble products (at most 8 x 2 x 15 x 127) fit before widening. */
        __m256i pairs[RN];
        UNROLLED for (int k = 0; k < 8; k++) {
            __m256i wk = _mm256_load_si256(w + k);
            UNROLLED for (int j = 0; j < RN; j++) {
                __m256i p = _mm256_maddubs_epi16(wk, act(TYPE, x[j], J & 1, k));
                pairs[j] = k == 0 ? p : _mm256_add_epi16(pairs[j], p);
            }
        }
        UNROLLED for (int j = 0; j < RN; j++) {
            sums[j] = _mm256_add_epi32(_mm256_madd_epi16(pairs[j], _mm256_set1_epi16(1)),
                    _mm256_set1_epi32(s->start[(size_t) (t0 + j) * slots + b]));
        }
    }
    __m256 dw = _mm256_load_ps(s->dw + (size_t) b * 8);
    UNROLLED for (int j = 0; j < RN; j++) {
        __m256 scales = _mm256_mul_ps(_mm256_set1_ps(s->dx[(size_t) (t0 + j) * slots + b]), dw);
        acc[j][J] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums[j]), scales, acc[j][J]);
    }
}

/* The panel's rows (8 lanes, `rows` of them stored) against tokens t0..t0+RN-1. */
KERNELS INLINE void tile(const scratch *s, const int TYPE, const int RN, int t0, int r0, int rows, int blocks,
        float *out, int out_stride) {
    __m256 acc[RN][4];
    UNROLLED for (int j = 0; j < RN; j++) {
        UNROLLED for (int a = 0; a < 4; a++) {
            acc[j][a] = _mm256_setzero_ps();
        }
    }
    int b = 0;
    for (; b + 4 <= blocks; b += 4) {
        UNROLLED for (int a = 0; a < 4; a++) {
            tile_block(s, TYPE, t0, RN, (blocks + 1) & ~1, b + a, a, acc);
        }
    }
    UNROLLED for (int a = 0; a < 4; a++) {
        if (b + a < blocks) {
            tile_block(s, TYPE, t0, RN, (blocks + 1) & ~1, b + a, a, acc);
        }
    }
    __m256i present = first_lanes(rows);
    UNROLLED for (int j = 0; j < RN; j++) {
        __m256 sum = _mm256_add_ps(_mm256_add_ps(acc[j][0], acc[j][2]), _mm256_add_ps(acc[j][1], acc[j][3]));
        _mm256_maskstore_ps(out + (size_t) (t0 + j) * out_stride + r0, present, sum);
    }
}

/* Tokens per tile: two keep eight running sums and two block sums in the 16 vector registers. */
#define TILE_TOKENS 2

KERNELS static void tiles(const scratch *s, int type, int n, int r0, int rows, int blocks, float *out, int out_stride) {
    for (int t0 = 0; t0 < n; t0 += TILE_TOKENS) {
        int two = n - t0 >= 2;
        if (type == TYPE_Q8_0 && two) {
            tile(s, TYPE_Q8_0, 2, t0, r0, rows, blocks, out, out_stride);
        } else if (type == TYPE_Q8_0) {
            tile(s, TYPE_Q8_0, 1, t0, r0, rows, blocks, out, out_stride);
        } else if (two) {
            tile(s, TYPE_Q4_0, 2, t0, r0, rows, blocks, out, out_stride);
        } else {
            tile(s, TYPE_Q4_0, 1, t0, r0, rows, blocks, out, out_stride);
        }
    }
}

/* n4j_matmul with AVX2. */
KERNELS int matmul_avx2(int type, const uint8_t *w, int64_t row_bytes, int cols, const float *x, int x_stride, int n,
        float *out, int out_stride, int row_start, int row_end) {
    int blocks = cols / QK;
    if (reserve((size_t) n * ((blocks + 1) & ~1), n > DECODE_TOKENS ? (size_t) blocks : 0) != OK) {
        return NO_MEMORY;
    }
    const scratch *s = &tls;
    quantize(s, type, x, x_stride, n, blocks);
    if (n <= DECODE_TOKENS) {
        decode(s, type, w, row_bytes, blocks, n, out, out_stride, row_start, row_end);
        return OK;
    }
    for (int r = row_start; r < row_end; r += 8) {
        int rows = row_end - r < 8 ? row_end - r : 8;
        prepare_panel(s, type, w, row_bytes, r, rows, blocks);
        tiles(s, type, n, r, rows, blocks, out, out_stride);
    }
    return OK;
}
