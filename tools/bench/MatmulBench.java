import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.Locale;

/**
 * Measures float32 matrix-multiply throughput of the libtorch that the service runs on, through
 * DJL's PyTorch engine, as an upper bound for the service's compute rate on this CPU.
 *
 * <p>Usage: {@code java -Dai.djl.offline=true -cp "DIR/BOOT-INF/classes:DIR/BOOT-INF/lib/*"
 * tools/bench/MatmulBench.java [SIZE] [REPEATS] [THREADS]}. It multiplies two random SIZE x SIZE
 * matrices REPEATS times after two warm-up runs and prints GFLOP/s for the median and the best
 * run, counting 2 * SIZE^3 floating-point operations per product. THREADS sets libtorch's
 * intra-op threads; 0 keeps libtorch's default.
 */
public final class MatmulBench {

    private MatmulBench() {}

    /** Runs the measurement and prints one line of results. */
    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;

        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            if (threads > 0) {
                JniUtils.setNumThreads(threads);
            }
            NDArray left = manager.randomNormal(new Shape(size, size));
            NDArray right = manager.randomNormal(new Shape(size, size));
            for (int i = 0; i < 2; i++) {
                multiply(left, right);
            }

            double[] seconds = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                seconds[i] = multiply(left, right);
            }
            Arrays.sort(seconds);
            double flops = 2.0 * size * size * size;
            System.out.printf(Locale.ROOT,
                    "djl-libtorch matmul %dx%d float32, threads %d: median %.2f GFLOP/s, best %.2f GFLOP/s (%d runs)%n",
                    size, size, JniUtils.getNumThreads(), flops / seconds[repeats / 2] / 1e9, flops / seconds[0] / 1e9,
                    repeats);
        }
    }

    private static double multiply(NDArray left, NDArray right) {
        long start = System.nanoTime();
        // libtorch computes eagerly on the CPU, so the product is complete when matMul returns.
        try (NDArray product = left.matMul(right)) {
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
