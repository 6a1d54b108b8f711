package io.github.clipage.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clipage.api.ApiExceptionHandler;
import io.github.clipage.observability.ServingMetrics;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Fills the queue behind a worker held inside its forward pass, over real HTTP with the service's
 * own problem responses. The real model is too fast to hold a worker busy on purpose, so a holding
 * predictor that doubles numbers stands in for it.
 */
@SpringBootTest(
        classes = QueueLimitsHttpTest.HoldingService.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "age.serving.predictors=1",
            "age.serving.batching.enabled=false",
            "age.serving.max-batch-size=1",
            "age.serving.max-batch-delay=0ms",
            "age.serving.queue-capacity=1",
            "age.serving.request-timeout=2s",
            "age.serving.gpu-memory-floor=0B"
        })
class QueueLimitsHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    HoldingController controller;

    private LoopbackHttp http;

    @BeforeEach
    void holdWorker() {
        http = new LoopbackHttp(port);
        controller.start();
    }

    @AfterEach
    void releaseWorker() {
        controller.predictor.release();
        controller.queue.close();
    }

    @Test
    void fullQueueAnswers429WithRetryAfter() throws Exception {
        CompletableFuture<HttpResponse<String>> running = http.postImageAsync("/hold", "1".getBytes());
        controller.predictor.awaitStarted();
        CompletableFuture<HttpResponse<String>> queued = http.postImageAsync("/hold", "2".getBytes());
        awaitDepth(1);

        HttpResponse<String> rejected = http.postImage("/hold", "3".getBytes());

        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(rejected.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(rejected.body()).contains("\"code\":\"queue-full\"").contains("\"status\":429");
        controller.predictor.release();
        assertThat(running.get(10, TimeUnit.SECONDS).body()).isEqualTo("2.0");
        assertThat(queued.get(10, TimeUnit.SECONDS).body()).isEqualTo("4.0");
    }

    @Test
    void expiredRequestAnswers503AndIsNeverComputed() throws Exception {
        CompletableFuture<HttpResponse<String>> running = http.postImageAsync("/hold", "1".getBytes());
        controller.predictor.awaitStarted();

        HttpResponse<String> expired = http.postImage("/hold", "2".getBytes());

        assertThat(expired.statusCode()).isEqualTo(503);
        assertThat(expired.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(expired.body()).contains("\"code\":\"timeout\"")
                .contains("The request was not computed within its deadline of 2000 ms");
        controller.predictor.release();
        running.get(10, TimeUnit.SECONDS);
        assertThat(http.postImage("/hold", "3".getBytes()).body()).isEqualTo("6.0");
        assertThat(controller.predictor.computedInputs()).containsExactly(1f, 3f);
    }

    private void awaitDepth(int depth) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (controller.queue.depth() != depth) {
            assertThat(System.nanoTime()).as("queue depth %d within 10 s", depth).isLessThan(giveUp);
            Thread.sleep(5);
        }
    }

    /** The service's web stack and problem responses, with a holding predictor in place of the model. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableConfigurationProperties(ServingProperties.class)
    @Import({ApiExceptionHandler.class, ServingMetrics.class, HoldingController.class})
    static class HoldingService {}

    /** Parses the uploaded part as a number and doubles it through the queue. */
    @RestController
    static class HoldingController {

        private final ServingProperties properties;
        private final ServingMetrics metrics;
        HoldingPredictor predictor;
        InferenceQueue<Float, Float> queue;

        HoldingController(ServingProperties properties, ServingMetrics metrics) {
            this.properties = properties;
            this.metrics = metrics;
        }

        void start() {
            predictor = new HoldingPredictor(true);
            queue = new InferenceQueue<>(properties, () -> predictor, metrics);
        }

        @PostMapping("/hold")
        String hold(@RequestPart("image") MultipartFile image) throws Exception {
            float input = Float.parseFloat(new String(image.getBytes()));
            try {
                return Float.toString(queue.call(input));
            } catch (ExecutionException e) {
                throw (Exception) e.getCause();
            }
        }
    }
}
