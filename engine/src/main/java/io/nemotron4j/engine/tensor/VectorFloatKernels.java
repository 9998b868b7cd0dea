package io.nemotron4j.engine.tensor;

import static io.nemotron4j.engine.tensor.VectorShapes.F;
import static io.nemotron4j.engine.tensor.VectorShapes.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

/**
 * {@link FloatKernels} with the Vector API. Sums end with the lanes added pairwise, half the vector onto the other
 * half until one lane is left: lane-wise additions give the same floats in the interpreter and in compiled code,
 * which {@code reduceLanes} does not promise. Leftover elements short of a whole vector go through scalar code.
 */
final class VectorFloatKernels implements FloatKernels {

    /** Lane i takes lane i XOR 8, 4, 2, 1: folding by halves. Unused halves of narrower vectors stay null. */
    private static final VectorShuffle<Float> FOLD_8 = L > 8 ? VectorShuffle.fromOp(F, i -> i ^ 8) : null;
    private static final VectorShuffle<Float> FOLD_4 = L > 4 ? VectorShuffle.fromOp(F, i -> i ^ 4) : null;
    private static final VectorShuffle<Float> FOLD_2 = VectorShuffle.fromOp(F, i -> i ^ 2);
    private static final VectorShuffle<Float> FOLD_1 = VectorShuffle.fromOp(F, i -> i ^ 1);

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int whole = n - n % L;
        for (int i = 0; i < whole; i += L) {
            acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc);
        }
        if (L > 8) {
            acc = acc.add(acc.rearrange(FOLD_8));
        }
        if (L > 4) {
            acc = acc.add(acc.rearrange(FOLD_4));
        }
        acc = acc.add(acc.rearrange(FOLD_2));
        acc = acc.add(acc.rearrange(FOLD_1));
        float sum = acc.lane(0);
        for (int i = whole; i < n; i++) {
            sum += a[ao + i] * b[bo + i];
        }
        return sum;
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector a = FloatVector.broadcast(F, alpha);
        int whole = n - n % L;
        for (int i = 0; i < whole; i += L) {
            FloatVector.fromArray(F, x, xo + i).fma(a, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (int i = whole; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    @Override
    public void scale(float[] y, int yo, int n, float alpha) {
        FloatVector a = FloatVector.broadcast(F, alpha);
        int whole = n - n % L;
        for (int i = 0; i < whole; i += L) {
            FloatVector.fromArray(F, y, yo + i).mul(a).intoArray(y, yo + i);
        }
        for (int i = whole; i < n; i++) {
            y[yo + i] *= alpha;
        }
    }

    @Override
    public float ssmStep(float[] s, int so, int n, float decay, float xdt, float[] b, int bo, float[] c, int co) {
        FloatVector d = FloatVector.broadcast(F, decay);
        FloatVector u = FloatVector.broadcast(F, xdt);
        FloatVector acc = FloatVector.zero(F);
        int whole = n - n % L;
        for (int i = 0; i < whole; i += L) {
            FloatVector v = FloatVector.fromArray(F, b, bo + i).mul(u)
                    .add(FloatVector.fromArray(F, s, so + i).mul(d));
            v.intoArray(s, so + i);
            acc = v.fma(FloatVector.fromArray(F, c, co + i), acc);
        }
        if (L > 8) {
            acc = acc.add(acc.rearrange(FOLD_8));
        }
        if (L > 4) {
            acc = acc.add(acc.rearrange(FOLD_4));
        }
        acc = acc.add(acc.rearrange(FOLD_2));
        acc = acc.add(acc.rearrange(FOLD_1));
        float sum = acc.lane(0);
        for (int i = whole; i < n; i++) {
            float v = s[so + i] * decay + b[bo + i] * xdt;
            s[so + i] = v;
            sum += v * c[co + i];
        }
        return sum;
    }
}
