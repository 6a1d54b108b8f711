package io.github.clipage.serving;

import ai.djl.inference.Predictor;
import java.util.List;

/**
 * Computes the outputs of a batch of inputs in one forward pass. One worker thread owns each
 * instance, so an implementation need not be thread-safe.
 *
 * @param <I> the input of one request
 * @param <O> the output of one request
 */
public interface BatchPredictor<I, O> extends AutoCloseable {

    /** Computes one output per input, in the order of the inputs. */
    List<O> predict(List<I> inputs) throws Exception;

    /** Releases the resources of the predictor. */
    @Override
    void close();

    /** Adapts a DJL predictor, whose batchifier stacks the inputs into one tensor. */
    static <I, O> BatchPredictor<I, O> of(Predictor<I, O> predictor) {
        return new BatchPredictor<>() {
            @Override
            public List<O> predict(List<I> inputs) throws Exception {
                return predictor.batchPredict(inputs);
            }

            @Override
            public void close() {
                predictor.close();
            }
        };
    }
}
