/*
 * What the native kernels' files share: the weight types, status codes and block size of the ABI in
 * nemotron4j_kernels.c, and the matmul of each instruction set (kernels_avx2.c, kernels_avx512.c, kernels_amx.c).
 */
#ifndef NEMOTRON4J_KERNELS_H
#define NEMOTRON4J_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#define QK 32

enum { TYPE_Q4_0 = 2, TYPE_Q8_0 = 8 };
enum { OK = 0, BAD_ARGUMENT = -1, NO_MEMORY = -2 };

/* Bytes per block in the file: a half-precision scale, then 32 bytes (Q8_0) or 16 bytes of nibbles (Q4_0). */
#define BLOCK_BYTES(TYPE) ((TYPE) == TYPE_Q8_0 ? 34 : 18)

/* n4j_matmul for each instruction set, called with arguments already checked; OK or NO_MEMORY. */
__attribute__((visibility("hidden"))) int matmul_avx2(int type, const uint8_t *w, int64_t row_bytes, int cols,
        const float *x, int x_stride, int n, float *out, int out_stride, int row_start, int row_end);
__attribute__((visibility("hidden"))) int matmul_avx512(int type, const uint8_t *w, int64_t row_bytes, int cols,
        const float *x, int x_stride, int n, float *out, int out_stride, int row_start, int row_end);

__attribute__((visibility("hidden"))) int matmul_amx(int type, const uint8_t *w, int64_t row_bytes, int cols,
        const float *x, int x_stride, int n, float *out, int out_stride, int row_start, int row_end);

/* One block of 32 activations to signed bytes and their half-precision scale (kernels_avx512.c; AVX-512 only). */
__attribute__((visibility("hidden"))) float quantize_block_avx512(const float *x, int8_t *q);

/* Whether the kernel lets this process use AMX tiles (Linux asks each process to request them). */
__attribute__((visibility("hidden"))) int amx_permitted(void);

/* Each file's per-thread buffers, freed (and forgotten) by the thread they belong to. */
__attribute__((visibility("hidden"))) void release_avx2(void);
__attribute__((visibility("hidden"))) void release_avx512(void);
__attribute__((visibility("hidden"))) void release_amx(void);

/*
 * Makes *buffer at least bytes long (64-byte aligned; contents not kept), *capacity its size so far: OK, or
 * NO_MEMORY with the old buffer kept.
 */
__attribute__((visibility("hidden"))) int grow_buffer(void **buffer, size_t *capacity, size_t bytes);

/* Has the calling thread free every file's buffers when it exits; called when a thread first allocates them. */
__attribute__((visibility("hidden"))) void release_at_thread_exit(void);

#endif
