package io.nemotron4j.engine.tensor;

/**
 * {@code out = W · x} for one or several activation vectors, with the rows of W split over a {@link WorkerPool}.
 * One instance serves one caller at a time (the pool serialises); it keeps its task object and reuses it, so a
 * call allocates nothing.
 *
 * <p>Rows go out in {@value #PARTS_PER_THREAD} parts per thread, so that a thread slowed down by other work on the
 * machine holds the rest up by a fraction of its share. Parts are whole multiples of {@value #ROW_ALIGN} rows:
 * two threads then share at most one 64-byte line of {@code out} per token, and the blocked prefill kernel's
 * strips of rows line up with the parts.
 */
public final class Matmul implements WorkerPool.Task {

    /** Below this many multiply-adds the dispatch costs more than it saves. */
    private static final long PARALLEL_THRESHOLD = 1 << 16;

    private static final int PARTS_PER_THREAD = 4;

    private static final int ROW_ALIGN = 16;

    private final WorkerPool pool;
    private WeightMatrix w;
    private float[] x;
    private float[] out;
    private int n;
    private int rowsPerPart;

    public Matmul(WorkerPool pool) {
        this.pool = pool;
    }

    /**
     * {@code out[t*W.rows + r] = W.row(r) · x[t*W.cols ..]} for {@code t < n}: x is {@code [n][cols]} and out is
     * {@code [n][rows]}, both row-major.
     */
    public void multiply(WeightMatrix w, float[] x, int n, float[] out) {
        int rows = w.rows();
        if ((long) rows * w.cols() * n < PARALLEL_THRESHOLD || pool.size() == 1) {
            w.format().matmul(w.data(), w.rowBytes(), w.cols(), x, w.cols(), n, out, rows, 0, rows);
            return;
        }
        int wanted = pool.size() * PARTS_PER_THREAD;
        int perPart = Math.ceilDiv(Math.ceilDiv(rows, wanted), ROW_ALIGN) * ROW_ALIGN;
        this.w = w;
        this.x = x;
        this.out = out;
        this.n = n;
        this.rowsPerPart = perPart;
        try {
            pool.run(this, Math.ceilDiv(rows, perPart));
        } finally {
            this.w = null;
            this.x = null;
            this.out = null;
        }
    }

    @Override
    public void run(int part, int parts) {
        int rows = w.rows();
        int start = part * rowsPerPart;
        int end = Math.min(rows, start + rowsPerPart);
        w.format().matmul(w.data(), w.rowBytes(), w.cols(), x, w.cols(), n, out, rows, start, end);
    }
}
