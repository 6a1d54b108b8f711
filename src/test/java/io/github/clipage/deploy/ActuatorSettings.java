package io.github.clipage.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The HTTP port and actuator paths that the service's {@code application.yaml} configures, as the
 * chart's probes and scrape targets must use them.
 *
 * @param port the port of the actuator endpoints: {@code management.server.port}, else {@code server.port}
 * @param basePath the actuator base path, {@code management.endpoints.web.base-path}
 * @param probesEnabled whether {@code management.endpoint.health.probes.enabled} is true
 * @param exposedEndpoints the web-exposed endpoint ids, {@code management.endpoints.web.exposure.include}
 * @param startupGroupDefined whether {@code management.endpoint.health.group.startup} is configured
 */
record ActuatorSettings(int port, String basePath, boolean probesEnabled, List<String> exposedEndpoints,
        boolean startupGroupDefined) {

    /** Spring Boot's defaults when application.yaml leaves a setting out. */
    private static final int DEFAULT_PORT = 8080;
    private static final String DEFAULT_BASE_PATH = "/actuator";

    /** Reads the settings from an {@code application.yaml} file, with Spring Boot's defaults for missing keys. */
    static ActuatorSettings read(Path applicationYaml) throws IOException {
        Map<String, Object> root;
        try (Reader reader = Files.newBufferedReader(applicationYaml)) {
            root = new Yaml().load(reader);
        }

        Object serverPort = find(root, "server", "port");
        Object managementPort = find(root, "management", "server", "port");
        Object port = managementPort != null ? managementPort : serverPort;
        Object basePath = find(root, "management", "endpoints", "web", "base-path");
        Object probes = find(root, "management", "endpoint", "health", "probes", "enabled");
        Object include = find(root, "management", "endpoints", "web", "exposure", "include");
        Object startupGroup = find(root, "management", "endpoint", "health", "group", "startup");

        return new ActuatorSettings(
                port == null ? DEFAULT_PORT : Integer.parseInt(port.toString()),
                basePath == null ? DEFAULT_BASE_PATH : basePath.toString(),
                Boolean.TRUE.equals(probes),
                include == null ? List.of() : Arrays.stream(include.toString().split(",")).map(String::trim).toList(),
                startupGroup != null);
    }

    /** Returns the liveness group's path, which Spring Boot serves when probes are enabled. */
    String livenessPath() {
        return basePath + "/health/liveness";
    }

    /** Returns the readiness group's path, which Spring Boot serves when probes are enabled. */
    String readinessPath() {
        return basePath + "/health/readiness";
    }

    /** Returns the startup group's path, served when the group is configured. */
    String startupPath() {
        return basePath + "/health/startup";
    }

    /** Returns the Prometheus scrape path. */
    String prometheusPath() {
        return basePath + "/prometheus";
    }

    /** Finds a setting written nested ({@code server: port:}), dotted ({@code server.port:}) or mixed. */
    private static Object find(Map<String, Object> root, String... keys) {
        return find(root, keys, 0);
    }

    private static Object find(Object node, String[] keys, int from) {
        if (from == keys.length) {
            return node;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return null;
        }
        for (int end = from + 1; end <= keys.length; end++) {
            String key = String.join(".", Arrays.copyOfRange(keys, from, end));
            Object found = map.containsKey(key) ? find(map.get(key), keys, end) : null;
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
