package io.nemotron4j.engine.model;

import io.nemotron4j.engine.tensor.Matmul;
import io.nemotron4j.engine.tensor.WeightMatrix;
import io.nemotron4j.engine.tensor.WorkerPool;

/**
 * The MLP mixer (spec §3.5): {@code down · relu(up · u)²}, no gate. NVIDIA's checkpoints have no biases; a file
 * that carries them gets them applied.
 */
final class MlpMixer implements Mixer {

    private final WeightMatrix up;
    private final WeightMatrix down;
    private final float[] upBias;
    private final float[] downBias;

    MlpMixer(WeightMatrix up, float[] upBias, WeightMatrix down, float[] downBias) {
        this.up = up;
        this.down = down;
        this.upBias = upBias;
        this.downBias = downBias;
    }

    @Override
    public void forward(ForwardBatch batch, Workspace ws, Matmul matmul, WorkerPool pool) {
        int tokens = batch.rows();
        matmul.multiply(up, ws.u, tokens, ws.ffn);
        Ops.addBias(ws.ffn, tokens, upBias);
        int n = tokens * up.rows();
        for (int i = 0; i < n; i++) {
            float a = Math.max(ws.ffn[i], 0f);
            ws.ffn[i] = a * a;
        }
        matmul.multiply(down, ws.ffn, tokens, ws.mixed);
        Ops.addBias(ws.mixed, tokens, downBias);
    }
}
