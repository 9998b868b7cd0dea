package io.nemotron4j.engine.tensor;

/**
 * The float arithmetic of the forward pass outside the matrix products: the Mamba-2 state update and the
 * attention dot products. {@link TensorFormats#floatKernels()} hands out the Vector API version, or the scalar one
 * where the formats fall back to scalar.
 *
 * <p>Results do not depend on which thread or compilation tier computes them: the vector version adds its lanes in
 * a fixed tree order, never with {@code reduceLanes}.
 */
public interface FloatKernels {

    /** {@code a[ao..ao+n) · b[bo..bo+n)}. */
    float dot(float[] a, int ao, float[] b, int bo, int n);

    /** {@code y[yo..yo+n) += alpha · x[xo..xo+n)}. */
    void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n);

    /** {@code y[yo..yo+n) *= alpha}. */
    void scale(float[] y, int yo, int n, float alpha);

    /**
     * One Mamba-2 state row for one token: {@code s = s·decay + xdt·b} over {@code s[so..so+n)}, then returns the
     * updated row dotted with {@code c[co..co+n)}.
     */
    float ssmStep(float[] s, int so, int n, float decay, float xdt, float[] b, int bo, float[] c, int co);
}
