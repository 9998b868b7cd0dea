/*
 * Optional native kernels for Nemotron4j, called through the FFM API (see NativeKernels.java): matrix times
 * vectors for Q8_0 and Q4_0 weights on activations quantized to signed bytes in blocks of 32 (a half-precision
 * scale per block, as llama.cpp's CPU backend does), so that integer dot-product instructions multiply the weight
 * bytes as they are stored. The pure-Java Vector API kernels widen every weight to a float instead; the JIT has no
 * way to emit these byte dot products.
 *
 * Three instruction sets, each in its own file: AMX (kernels_amx.c, tdpbssd: 8192 products per instruction, on
 * tiles), AVX-512 VNNI (kernels_avx512.c, vpdpbusd: 64 products per instruction) and AVX2 (kernels_avx2.c,
 * vpmaddubsw: 32 products in two instructions), for the many servers without AVX-512. Java asks which this CPU runs
 * and names one in every call, so tests can run each where it runs.
 */
#include <pthread.h>
#include <stdlib.h>

#include "nemotron4j_kernels.h"

/* The instruction sets of n4j_instruction_sets() and n4j_matmul(). */
enum { ISA_AVX2 = 1, ISA_AVX512 = 2, ISA_AMX = 4 };

/*
 * The kernels keep their buffers per thread, so that calls need no locks. A thread's buffers go when it exits: the
 * engine's workers live long, but an application may call from short-lived threads too.
 */
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

static void release_all(void *unused) {
    (void) unused;
    release_avx2();
    release_avx512();
    release_amx();
}

static void create_exit_key(void) {
    pthread_key_create(&exit_key, release_all);
}

void release_at_thread_exit(void) {
    pthread_once(&exit_key_once, create_exit_key);
    /* Any value but NULL: it only makes the key's destructor run for this thread. */
    pthread_setspecific(exit_key, &exit_key);
}

int grow_buffer(void **buffer, size_t *capacity, size_t bytes) {
    if (bytes <= *capacity) {
        return OK;
    }
    void *grown = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (grown == NULL) {
        return NO_MEMORY;
    }
    free(*buffer);
    *buffer = grown;
    *capacity = bytes;
    return OK;
}

/* Bumped whenever a signature below changes, so Java refuses a stale library. */
int n4j_abi_version(void) {
    return 3;
}

/* The instruction sets this CPU runs, ISA_AVX2 | ISA_AVX512 | ISA_AMX or fewer. */
int n4j_instruction_sets(void) {
    static int sets = -1;
    if (sets >= 0) {
        return sets;
    }
    __builtin_cpu_init();
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    int avx512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")
            && __builtin_cpu_supports("avx512vnni");
    int amx = avx512 && amx_permitted();
    sets = (avx2 ? ISA_AVX2 : 0) | (avx512 ? ISA_AVX512 : 0) | (amx ? ISA_AMX : 0);
    return sets;
}

/*
 * out[t*out_stride + r] = row(r) . x[t*x_stride ..] for t < n and rows [row_start, row_end) of a row-major Q8_0
 * or Q4_0 matrix w of row_bytes bytes per row and cols columns (a multiple of 32), with the kernels of instruction
 * set isa (one that n4j_instruction_sets() returned). Returns 0, or a negative code for bad arguments or a failed
 * allocation (the output is then untouched).
 */
int n4j_matmul(int isa, int type, const uint8_t *w, int64_t row_bytes, int cols, const float *x, int x_stride,
        int n, float *out, int out_stride, int row_start, int row_end) {
    if ((isa != ISA_AVX2 && isa != ISA_AVX512 && isa != ISA_AMX) || (n4j_instruction_sets() & isa) == 0
            || (type != TYPE_Q8_0 && type != TYPE_Q4_0) || cols <= 0 || cols % QK != 0 || n <= 0 || row_start < 0
            || row_end < row_start || x_stride < cols) {
        return BAD_ARGUMENT;
    }
    switch (isa) {
    case ISA_AMX:
        return matmul_amx(type, w, row_bytes, cols, x, x_stride, n, out, out_stride, row_start, row_end);
    case ISA_AVX512:
        return matmul_avx512(type, w, row_bytes, cols, x, x_stride, n, out, out_stride, row_start, row_end);
    default:
        return matmul_avx2(type, w, row_bytes, cols, x, x_stride, n, out, out_stride, row_start, row_end);
    }
}
