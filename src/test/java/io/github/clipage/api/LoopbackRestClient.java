package io.github.clipage.api;

import org.springframework.web.client.RestClient;

/** A REST client for a service the test started on 127.0.0.1. */
public final class LoopbackRestClient {

    private LoopbackRestClient() {}

    /** Creates a client that returns every response, error statuses included, so tests can assert on them. */
    public static RestClient create(int port) {
        return RestClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> {})
                .build();
    }
}
