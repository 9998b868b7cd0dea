/*
 * The native kernels with AMX (Intel's tile matrix unit, Sapphire Rapids and later; see nemotron4j_kernels.c). One
 * tdpbssd multiplies a tile of 16 weight rows by 32 columns (one block of each row, as stored) with a tile of the
 * same 32 columns of up to 16 tokens: 8192 signed byte products into 16 x 16 exact block sums, where AVX-512 VNNI
 * takes 128 instructions. What is left is the float work of one multiply and one add per block, row and token.
 *
 * The arithmetic, for every row r and token t and whatever else is in the batch:
 *     s = 0; for each block b in order: s = fma(float(sum of w x over b), d_x(t, b) * d_w(r, b), s)
 * so a token's result has the same bits alone as with others (the tests hold the kernels to it).
 *
 * A tile's load, product and store cost tens of cycles however few tokens it holds, so up to two or three tokens
 * (decode, and batched decode of two or three streams) go to the AVX-512 VNNI kernels, whose arithmetic is the same
 * (kernels_avx512.c). More tokens go in groups of 16; a group of fewer takes a tile of the next power of two
 * of them, so that the 16 lanes of a float register always hold 16 / width whole rows of width tokens each. Q8_0
 * weight tiles load straight from the mapped file (the tile load takes the row stride); Q4_0 rows are unpacked to
 * signed bytes first, once for all token groups.
 */
#include <cpuid.h>
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nemotron4j_kernels.h"

#define KERNELS __attribute__((target("amx-tile,amx-int8,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,f16c,fma")))

/*
 * Up to this many tokens go without tiles: measured against tiles on Sapphire Rapids, vpdpbusd wins up to 2 tokens
 * of Q8_0 and 3 of Q4_0 (whose tiles also wait for the nibbles to be unpacked).
 */
#define UNTILED_TOKENS_Q4_0 3
#define UNTILED_TOKENS_Q8_0 2

/* Rows per weight tile and tokens per token tile. */
#define TILE 16

/* Tile registers; plain numbers in the intrinsics, which paste them into the instruction's text. */
#define TOKENS 0
#define WEIGHTS 1
#define SUMS 2

/* The 64-byte operand of ldtilecfg (palette 1). */
typedef struct {
    uint8_t palette;
    uint8_t start_row;
    uint8_t reserved[14];
    uint16_t colsb[16];
    uint8_t rows[16];
} tile_config;

/*
 * Per-thread scratch: the tokens packed as tdpbssd reads them (per group of 16 and block, 8 rows of 4 bytes per
 * token), each block's d_x in the lane pattern of its group, the block scales of this tile of rows and the next
 * (see next_tile) and, for Q4_0, the tile's unpacked bytes.
 */
typedef struct {
    int8_t *tokens;
    float *token_scales;
    float *row_scales;
    int8_t *unpacked;
    size_t tokens_bytes;
    size_t token_scales_bytes;
    size_t row_scales_bytes;
    size_t unpacked_bytes;
    /* The shape loaded with ldtilecfg: rows of the weight tile and width of the token tile; 0 for none. */
    int shape_rows;
    int shape_width;
} scratch;

static __thread scratch tls;

void release_amx(void) {
    free(tls.tokens);
    free(tls.token_scales);
    free(tls.row_scales);
    free(tls.unpacked);
    memset(&tls, 0, sizeof(tls));
}

int amx_permitted(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(d & (1u << 24)) || !(d & (1u << 25))) {
        return 0;
    }
    /* ARCH_REQ_XCOMP_PERM for XFEATURE_XTILEDATA: refused where the kernel or hypervisor does not save tiles. */
    return syscall(SYS_arch_prctl, 0x1023, 18) == 0;
}

static int untiled_tokens(int type) {
    return type == TYPE_Q8_0 ? UNTILED_TOKENS_Q8_0 : UNTILED_TOKENS_Q4_0;
}

static int reserve(int n, size_t blocks) {
    if (tls.tokens_bytes == 0) {
        release_at_thread_exit();
    }
    size_t groups = (size_t) (n + TILE - 1) / TILE;
    return grow_buffer((void **) &tls.tokens, &tls.tokens_bytes, groups * blocks * 512) != OK
                    || grow_buffer((void **) &tls.token_scales, &tls.token_scales_bytes,
                               groups * blocks * TILE * sizeof(float)) != OK
                    || grow_buffer((void **) &tls.row_scales, &tls.row_scales_bytes, 2 * blocks * TILE * sizeof(float))
                            != OK
                    || grow_buffer((void **) &tls.unpacked, &tls.unpacked_bytes, blocks * 512) != OK
            ? NO_MEMORY
            : OK;
}

/* Four bytes from the block start of each of 16 rows (those outside real 0): a block's 16 scales, as floats. */
KERNELS static inline __attribute__((always_inline)) __m512 block_scales(const uint8_t *block, int64_t row_bytes,
        __mmask16 real) {
    __m512i offsets = _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
            _mm512_set1_epi32((int) row_bytes));
    __m512i heads = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), real, offsets, block, 1);
    return _mm512_cvtph_ps(_mm512_cvtepi32_epi16(heads));
}

/* The tile width for a group of tokens: the next power of two. */
static int width_of(int tokens) {
    int width = 1;
    while (width < tokens) {
        width *= 2;
    }
    return width;
}

/* Loads the tile shapes for a weight tile of rows rows and a token tile of width tokens, unless they are loaded. */
KERNELS static void configure(int rows, int width) {
    if (tls.shape_rows == rows && tls.shape_width == width) {
        return;
    }
    tile_config config;
    memset(&config, 0, sizeof(config));
    config.palette = 1;
    config.rows[TOKENS] = QK / 4;
    config.colsb[TOKENS] = (uint16_t) (4 * width);
    config.rows[WEIGHTS] = (uint8_t) rows;
    config.colsb[WEIGHTS] = QK;
    config.rows[SUMS] = (uint8_t) rows;
    config.colsb[SUMS] = (uint16_t) (4 * width);
    _tile_loadconfig(&config);
    tls.shape_rows = rows;
    tls.shape_width = width;
}

/* Quantizes every token and packs it into its group's tiles, with its d_x in its lanes of the group's pattern. */
KERNELS static void pack_tokens(const float *x, int x_stride, int n, int blocks) {
    for (int g = 0; g * TILE < n; g++) {
        int count = n - g * TILE < TILE ? n - g * TILE : TILE;
        int width = width_of(count);
        int8_t *tokens = tls.tokens + (size_t) g * blocks * 512;
        float *scales = tls.token_scales + (size_t) g * blocks * TILE;
        if (count < width) {
            memset(tokens, 0, (size_t) blocks * 512);
            memset(scales, 0, (size_t) blocks * TILE * sizeof(float));
        }
        for (int j = 0; j < count; j++) {
            const float *from = x + (size_t) (g * TILE + j) * x_stride;
            for (int b = 0; b < blocks; b++) {
                int8_t q[QK];
                float d = quantize_block_avx512(from + (size_t) b * QK, q);
                int8_t *tile = tokens + (size_t) b * 512;
                for (int r = 0; r < QK / 4; r++) {
                    memcpy(tile + r * 4 * width + 4 * j, q + 4 * r, 4);
                }
                for (int lane = j; lane < TILE; lane += width) {
                    scales[(size_t) b * TILE + lane] = d;
                }
            }
        }
    }
}

/* Q4_0 rows to signed bytes (nibble - 8), 32 per block and row in element order, 16 rows per block. */
KERNELS static void unpack_q4_0(const uint8_t *w, int64_t row_bytes, int rows, int blocks, int8_t *unpacked) {
    const __m512i low = _mm512_set1_epi8(0x0F);
    const __m512i eight = _mm512_set1_epi8(8);
    const __m512i first = _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0);
    const __m512i second = _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4);
    for (int b = 0; b < blocks; b++) {
        int8_t *to = unpacked + (size_t) b * 512;
        const uint8_t *from = w + (size_t) b * 18 + 2;
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            __m512i v = _mm512_castsi128_si512(_mm_loadu_si128((const __m128i *) from));
            v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *) (from + row_bytes)), 1);
            v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *) (from + 2 * row_bytes)), 2);
            v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *) (from + 3 * row_bytes)), 3);
            __m512i lo = _mm512_sub_epi8(_mm512_and_si512(v, low), eight);
            __m512i hi = _mm512_sub_epi8(_mm512_and_si512(_mm512_srli_epi16(v, 4), low), eight);
            _mm512_store_si512((void *) (to + i * QK), _mm512_permutex2var_epi64(lo, first, hi));
            _mm512_store_si512((void *) (to + i * QK + 64), _mm512_permutex2var_epi64(lo, second, hi));
            from += 4 * row_bytes;
        }
        for (; i < rows; i++) {
            __m128i v = _mm_loadu_si128((const __m128i *) from);
            __m128i lo = _mm_sub_epi8(_mm_and_si128(v, _mm512_castsi512_si128(low)), _mm512_castsi512_si128(eight));
            __m128i hi = _mm_sub_epi8(_mm_and_si128(_mm_srli_epi16(v, 4), _mm512_castsi512_si128(low)),
                    _mm512_castsi512_si128(eight));
            _mm_store_si128((__m128i *) (to + i * QK), lo);
            _mm_store_si128((__m128i *) (to + i * QK + 16), hi);
            from += row_bytes;
        }
    }
}

/*
 * The next tile of rows, whose block scales are gathered while this tile computes: the gathers start that tile's
 * memory reads early, so that they overlap this tile's work instead of following it.
 */
typedef struct {
    const uint8_t *rows;
    int64_t row_bytes;
    int block_bytes;
    __mmask16 real;
    float *scales;
} next_tile;

/*
 * A tile of rows by a group of count tokens, WIDTH a constant at every call: register acc[v] holds rows
 * v * 16 / WIDTH .. (v + 1) * 16 / WIDTH - 1, each with its WIDTH tokens in consecutive lanes, as the sums tile
 * stores them.
 */
KERNELS static inline __attribute__((always_inline)) void tile_by_group(const int WIDTH, const int8_t *weights,
        int64_t weight_stride, size_t block_step, const float *row_scales, int rows, int blocks,
        const int8_t *tokens, const float *token_scales, int count, float *out, int out_stride,
        const next_tile *next) {
    __m512 acc[WIDTH];
    __m512i spread[WIDTH];
    for (int v = 0; v < WIDTH; v++) {
        acc[v] = _mm512_setzero_ps();
        spread[v] = _mm512_add_epi32(_mm512_set1_epi32(v * TILE / WIDTH),
                _mm512_srli_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                        __builtin_ctz(WIDTH)));
    }
    int32_t sums[TILE * WIDTH] __attribute__((aligned(64)));
    for (int b = 0; b < blocks; b++) {
        _tile_zero(SUMS);
        _tile_loadd(WEIGHTS, weights + b * block_step, weight_stride);
        _tile_loadd(TOKENS, tokens + (size_t) b * 512, 4 * WIDTH);
        _tile_dpbssd(SUMS, WEIGHTS, TOKENS);
        _tile_stored(SUMS, sums, 4 * WIDTH);
        if (next != NULL) {
            _mm512_store_ps(next->scales + (size_t) b * TILE,
                    block_scales(next->rows + (size_t) b * next->block_bytes, next->row_bytes, next->real));
        }
        __m512 dw = _mm512_load_ps(row_scales + (size_t) b * TILE);
        __m512 dx = _mm512_load_ps(token_scales + (size_t) b * TILE);
        for (int v = 0; v < WIDTH; v++) {
            __m512 d = WIDTH == 1 ? _mm512_mul_ps(dx, dw) : _mm512_mul_ps(dx, _mm512_permutexvar_ps(spread[v], dw));
            __m512 s = _mm512_cvtepi32_ps(_mm512_load_si512((const void *) (sums + v * TILE)));
            acc[v] = _mm512_fmadd_ps(s, d, acc[v]);
        }
    }
    float result[TILE * WIDTH] __attribute__((aligned(64)));
    for (int v = 0; v < WIDTH; v++) {
        _mm512_store_ps(result + v * TILE, acc[v]);
    }
    for (int i = 0; i < rows; i++) {
        for (int j = 0; j < count; j++) {
            out[(size_t) j * out_stride + i] = result[i * WIDTH + j];
        }
    }
}

KERNELS static void tiled(int type, const uint8_t *w, int64_t row_bytes, int blocks, int n, float *out,
        int out_stride, int row_start, int row_end) {
    int groups = (n + TILE - 1) / TILE;
    int block_bytes = BLOCK_BYTES(type);
    /* Another call on this thread may have left other shapes, or released the tiles. */
    tls.shape_rows = 0;
    float *scales[2] = {tls.row_scales, tls.row_scales + (size_t) blocks * TILE};
    int rows = row_end - row_start < TILE ? row_end - row_start : TILE;
    for (int b = 0; b < blocks; b++) {
        _mm512_store_ps(scales[0] + (size_t) b * TILE,
                block_scales(w + (size_t) row_start * row_bytes + (size_t) b * block_bytes, row_bytes,
                        (__mmask16) ((1u << rows) - 1)));
    }
    for (int r0 = row_start, s = 0; r0 < row_end; r0 += TILE, s ^= 1) {
        rows = row_end - r0 < TILE ? row_end - r0 : TILE;
        const uint8_t *first = w + (size_t) r0 * row_bytes;
        const int8_t *weights = (const int8_t *) first + 2;
        int64_t weight_stride = row_bytes;
        size_t block_step = (size_t) block_bytes;
        if (type == TYPE_Q4_0) {
            unpack_q4_0(first, row_bytes, rows, blocks, tls.unpacked);
            weights = tls.unpacked;
            weight_stride = QK;
            block_step = 512;
        }
        int next_rows = row_end - (r0 + TILE) < TILE ? row_end - (r0 + TILE) : TILE;
        next_tile next = {first + (size_t) TILE * row_bytes, row_bytes, block_bytes,
                (__mmask16) ((1u << (next_rows > 0 ? next_rows : 0)) - 1), scales[s ^ 1]};
        for (int g = 0; g < groups; g++) {
            int count = n - g * TILE < TILE ? n - g * TILE : TILE;
            int width = width_of(count);
            configure(rows, width);
            const int8_t *tokens = tls.tokens + (size_t) g * blocks * 512;
            const float *token_scales = tls.token_scales + (size_t) g * blocks * TILE;
            float *to = out + (size_t) g * TILE * out_stride + r0;
            const next_tile *gather = g == groups - 1 && next_rows > 0 ? &next : NULL;
#define CASE(WIDTH)                                                                                                  \
            case WIDTH:                                                                                              \
                tile_by_group(WIDTH, weights, weight_stride, block_step, scales[s], rows, blocks, tokens,            \
                        token_scales, count, to, out_stride, gather);                                                \
                break;
            switch (width) {
                CASE(1) CASE(2) CASE(4) CASE(8) CASE(16)
            }
#undef CASE
        }
    }
    _tile_release();
    tls.shape_rows = 0;
}

/* n4j_matmul with AMX. */
KERNELS int matmul_amx(int type, const uint8_t *w, int64_t row_bytes, int cols, const float *x, int x_stride, int n,
        float *out, int out_stride, int row_start, int row_end) {
    int blocks = cols / QK;
    if (n <= untiled_tokens(type)) {
        return matmul_avx512(type, w, row_bytes, cols, x, x_stride, n, out, out_stride, row_start, row_end);
    }
    if (row_start == row_end) {
        return OK;
    }
    if (reserve(n, (size_t) blocks) != OK) {
        return NO_MEMORY;
    }
    pack_tokens(x, x_stride, n, blocks);
    tiled(type, w, row_bytes, blocks, n, out, out_stride, row_start, row_end);
    return OK;
}
