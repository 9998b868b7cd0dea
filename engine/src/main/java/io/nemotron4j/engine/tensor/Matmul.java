package io.nemotron4j.engine.tensor;

/**
 * {@code out = W · x} for one or several activation vectors, with the rows of W split evenly over a
 * {@link WorkerPool}. One instance serves one caller at a time (the pool serialises); it keeps its task object
 * and reuses it, so a call allocates nothing.
 */
public final class Matmul implements WorkerPool.Task {

    /** Below this many multiply-adds the dispatch costs more than it saves. */
    private static final long PARALLEL_THRESHOLD = 1 << 16;

    private final WorkerPool pool;
    private WeightMatrix w;
    private float[] x;
    private float[] out;
    private int n;

    public Matmul(WorkerPool pool) {
        this.pool = pool;
    }

    /**
     * {@code out[t*W.rows + r] = W.row(r) · x[t*W.cols ..]} for {@code t < n}: x is {@code [n][cols]} and out is
     * {@code [n][rows]}, both row-major.
     */
    public void multiply(WeightMatrix w, float[] x, int n, float[] out) {
        if ((long) w.rows() * w.cols() * n < PARALLEL_THRESHOLD || pool.size() == 1) {
            w.format().matmul(w.data(), w.rowBytes(), w.cols(), x, w.cols(), n, out, w.rows(), 0, w.rows());
            return;
        }
        this.w = w;
        this.x = x;
        this.out = out;
        this.n = n;
        try {
            pool.run(this);
        } finally {
            this.w = null;
            this.x = null;
            this.out = null;
        }
    }

    @Override
    public void run(int worker, int workers) {
        int rows = w.rows();
        int start = (int) ((long) rows * worker / workers);
        int end = (int) ((long) rows * (worker + 1) / workers);
        w.format().matmul(w.data(), w.rowBytes(), w.cols(), x, w.cols(), n, out, rows, start, end);
    }
}
