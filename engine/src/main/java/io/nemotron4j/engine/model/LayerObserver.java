package io.nemotron4j.engine.model;

/**
 * Sees the residual stream after every block, for diagnostics (which layer is the first to differ from a
 * reference). Costs nothing when absent.
 */
@FunctionalInterface
public interface LayerObserver {

    /**
     * Called after block {@code layer} with the residual stream of a chunk, and once more with
     * {@code layer == layerCount} for the final RMSNorm output.
     *
     * @param layer the block index, or the layer count for the final norm
     * @param firstPosition the sequence position of the chunk's first token
     * @param hidden {@code [tokens][embedding]}, valid only during the call
     * @param tokens tokens in the chunk
     */
    void afterLayer(int layer, int firstPosition, float[] hidden, int tokens);
}
