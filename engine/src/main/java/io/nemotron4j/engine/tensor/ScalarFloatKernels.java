package io.nemotron4j.engine.tensor;

/** {@link FloatKernels} in plain Java: the fallback without the Vector API, and the oracle its tests use. */
public final class ScalarFloatKernels implements FloatKernels {

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += a[ao + i] * b[bo + i];
        }
        return sum;
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    @Override
    public void scale(float[] y, int yo, int n, float alpha) {
        for (int i = 0; i < n; i++) {
            y[yo + i] *= alpha;
        }
    }

    @Override
    public float ssmStep(float[] s, int so, int n, float decay, float xdt, float[] b, int bo, float[] c, int co) {
        float acc = 0f;
        for (int i = 0; i < n; i++) {
            float v = s[so + i] * decay + b[bo + i] * xdt;
            s[so + i] = v;
            acc += v * c[co + i];
        }
        return acc;
    }
}
