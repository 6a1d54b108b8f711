package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/** Multi-head self-attention with separate query, key, value and output projections. */
public final class SelfAttention extends ClipBlock {

    private final LinearLayer qProj;
    private final LinearLayer kProj;
    private final LinearLayer vProj;
    private final LinearLayer outProj;
    private final int numHeads;
    private final int headDim;
    private final float scale;

    /** Creates the attention block for one tower. */
    public SelfAttention(ClipConfig.TowerConfig config) {
        int width = config.hiddenSize();
        kProj = addModule("k_proj", new LinearLayer(width, width, true));
        vProj = addModule("v_proj", new LinearLayer(width, width, true));
        qProj = addModule("q_proj", new LinearLayer(width, width, true));
        outProj = addModule("out_proj", new LinearLayer(width, width, true));
        numHeads = config.numAttentionHeads();
        headDim = config.headDim();
        scale = (float) Math.pow(headDim, -0.5);
    }

    @Override
    public NDArray forward(ParameterStore parameterStore, NDArray hiddenStates) {
        return forward(parameterStore, hiddenStates, null);
    }

    /**
     * Attends every token to every token, or only to earlier ones when a causal mask is given.
     *
     * @param hiddenStates {@code [batch, tokens, width]}
     * @param additiveMask {@code [tokens, tokens]} added to the attention scores, or null
     */
    public NDArray forward(ParameterStore parameterStore, NDArray hiddenStates, NDArray additiveMask) {
        long batch = hiddenStates.getShape().get(0);
        long tokens = hiddenStates.getShape().get(1);
        long width = hiddenStates.getShape().get(2);

        // The query is scaled before the product, in the order the reference applies it.
        NDArray query = splitHeads(qProj.forward(parameterStore, hiddenStates).mul(scale), batch, tokens);
        NDArray key = splitHeads(kProj.forward(parameterStore, hiddenStates), batch, tokens);
        NDArray value = splitHeads(vProj.forward(parameterStore, hiddenStates), batch, tokens);

        NDArray scores = query.matMul(key.transpose(0, 1, 3, 2)); // [batch, heads, tokens, tokens]
        if (additiveMask != null) {
            scores = scores.add(additiveMask);
        }
        NDArray weights = scores.softmax(-1);

        NDArray context = weights.matMul(value); // [batch, heads, tokens, headDim]
        context = context.transpose(0, 2, 1, 3).reshape(batch, tokens, width);
        return outProj.forward(parameterStore, context);
    }

    // [batch, tokens, width] -> [batch, heads, tokens, headDim]
    private NDArray splitHeads(NDArray states, long batch, long tokens) {
        return states.reshape(batch, tokens, numHeads, headDim).transpose(0, 2, 1, 3);
    }
}
