package io.github.clipage.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Lints and renders the Helm chart with helm-java (the helm library embedded, no binary, no
 * network) and checks the manifests against the service's own configuration.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("helm", "clip-age-predictor");
    private static final Path APPLICATION_YAML = Path.of("src", "main", "resources", "application.yaml");
    private static final String GPU_RESOURCE = "nvidia.com/gpu";
    // Without a version, the embedded helm renders for Kubernetes 1.20, below the chart's minimum of 1.23.
    private static final String KUBE_VERSION = "1.30.0";

    private static ActuatorSettings actuator;

    @BeforeAll
    static void readApplicationYaml() throws IOException {
        actuator = ActuatorSettings.read(APPLICATION_YAML);
    }

    @Test
    void lintPassesInStrictMode() {
        LintResult result = new Helm(CHART).lint().strict().call();

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    @Test
    void applicationYamlExposesWhatTheChartProbes() {
        assertThat(actuator.probesEnabled()).as("management.endpoint.health.probes.enabled").isTrue();
        assertThat(actuator.exposedEndpoints()).contains("health", "prometheus");
        assertThat(actuator.startupGroupDefined()).as("management.endpoint.health.group.startup").isTrue();
    }

    @Test
    void probesUseActuatorPathsAndPort() {
        Map<String, Object> container = serviceContainer(render(Map.of()));

        Map<String, Object> httpPort = list(container, "ports").get(0);
        assertThat(httpPort.get("name")).isEqualTo("http");
        assertThat(httpPort.get("containerPort")).isEqualTo(actuator.port());

        assertThat(probePath(container, "startupProbe")).isEqualTo(actuator.startupPath());
        assertThat(probePath(container, "livenessProbe")).isEqualTo(actuator.livenessPath());
        assertThat(probePath(container, "readinessProbe")).isEqualTo(actuator.readinessPath());
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(map(map(container, probe), "httpGet").get("port")).as(probe).isEqualTo("http");
        }
    }

    @Test
    void startupProbeAllowsTenMinutes() {
        Map<String, Object> startup = map(serviceContainer(render(Map.of())), "startupProbe");

        int periodSeconds = (Integer) startup.get("periodSeconds");
        int failureThreshold = (Integer) startup.get("failureThreshold");
        assertThat(periodSeconds * failureThreshold).isGreaterThanOrEqualTo(600);
    }

    @Test
    void defaultRenderHasNoGpu() {
        List<Map<String, Object>> manifests = render(Map.of());
        Map<String, Object> container = serviceContainer(manifests);

        assertThat(new Yaml().dumpAll(manifests.iterator())).doesNotContain(GPU_RESOURCE);
        assertThat(env(container, "AGE_MODEL_DEVICE")).isEqualTo("cpu");
        assertThat(container.get("image")).isEqualTo("ghcr.io/clip-age-predictor/clip-age-predictor:0.1.0");
    }

    @Test
    void gpuEnabledTargetsGpuNodes() {
        List<Map<String, Object>> manifests = render(Map.of(
                "gpu.enabled", true,
                "gpu.count", 2,
                "gpu.nodeSelector.accelerator", "nvidia-l4"));
        Map<String, Object> container = serviceContainer(manifests);
        Map<String, Object> podSpec = podSpec(manifests);

        assertThat(map(map(container, "resources"), "limits").get(GPU_RESOURCE)).isEqualTo(2);
        assertThat(map(map(container, "resources"), "requests")).doesNotContainKey(GPU_RESOURCE);
        assertThat(env(container, "AGE_MODEL_DEVICE")).isEqualTo("gpu");
        assertThat(container.get("image")).isEqualTo("ghcr.io/clip-age-predictor/clip-age-predictor:0.1.0-cuda");
        assertThat(map(podSpec, "nodeSelector")).containsEntry("accelerator", "nvidia-l4");
        assertThat(list(podSpec, "tolerations")).extracting(toleration -> toleration.get("key")).contains(GPU_RESOURCE);
        assertThat(initContainer(manifests).get("resources").toString()).doesNotContain(GPU_RESOURCE);
    }

    @Test
    void gpuLimitKeepsMemoryLimit() {
        Map<String, Object> limits = map(map(serviceContainer(render(Map.of("gpu.enabled", true))), "resources"), "limits");

        assertThat(limits).containsEntry("memory", "3Gi").containsEntry(GPU_RESOURCE, 1);
    }

    @Test
    void autoscalingReplacesReplicaCount() {
        List<Map<String, Object>> fixed = render(Map.of());
        List<Map<String, Object>> autoscaled = render(Map.of("autoscaling.enabled", true, "autoscaling.maxReplicas", 6));

        assertThat(kinds(fixed)).doesNotContain("HorizontalPodAutoscaler");
        assertThat(map(only(fixed, "Deployment"), "spec")).containsEntry("replicas", 1);

        Map<String, Object> hpaSpec = map(only(autoscaled, "HorizontalPodAutoscaler"), "spec");
        assertThat(hpaSpec).containsEntry("maxReplicas", 6).containsEntry("minReplicas", 1);
        assertThat(map(hpaSpec, "scaleTargetRef").get("name")).isEqualTo(metadataName(only(autoscaled, "Deployment")));
        assertThat(map(only(autoscaled, "Deployment"), "spec")).doesNotContainKey("replicas");
    }

    @Test
    void serviceMonitorScrapesPrometheusEndpoint() {
        List<Map<String, Object>> plain = render(Map.of());
        List<Map<String, Object>> monitored = render(Map.of(
                "metrics.serviceMonitor.enabled", true,
                "metrics.serviceMonitor.labels.release", "prometheus"));

        assertThat(kinds(plain)).doesNotContain("ServiceMonitor");

        Map<String, Object> serviceMonitor = only(monitored, "ServiceMonitor");
        assertThat(map(serviceMonitor, "metadata").get("labels").toString()).contains("release=prometheus");
        Map<String, Object> endpoint = list(map(serviceMonitor, "spec"), "endpoints").get(0);
        assertThat(endpoint.get("path")).isEqualTo(actuator.prometheusPath());
        assertThat(endpoint.get("port")).isEqualTo(servicePortName(monitored));
        assertThat(map(map(serviceMonitor, "spec"), "selector").get("matchLabels"))
                .isEqualTo(map(map(only(monitored, "Service"), "spec"), "selector"));
    }

    @Test
    void podAnnotationsPointAtPrometheusEndpoint() {
        Map<String, Object> annotations = map(map(map(map(
                only(render(Map.of("metrics.podAnnotations", true)), "Deployment"), "spec"), "template"), "metadata"),
                "annotations");

        assertThat(annotations)
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", String.valueOf(actuator.port()))
                .containsEntry("prometheus.io/path", actuator.prometheusPath());
    }

    @Test
    void networkPolicyOnlyWhenEnabled() {
        assertThat(kinds(render(Map.of()))).doesNotContain("NetworkPolicy");

        Map<String, Object> policy = only(render(Map.of("networkPolicy.enabled", true)), "NetworkPolicy");
        Map<String, Object> ingressRule = list(map(policy, "spec"), "ingress").get(0);
        assertThat(list(ingressRule, "ports").get(0).get("port")).isEqualTo("http");
        assertThat(map(policy, "spec").get("policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
    }

    @Test
    void initContainerFetchesSameModelAsService() {
        List<Map<String, Object>> manifests = render(Map.of(
                "model.id", "openai/clip-vit-large-patch14",
                "model.revision", "32bd64288804d66eefd0ccbe215aa642df71cc41"));
        Map<String, Object> init = initContainer(manifests);
        Map<String, Object> service = serviceContainer(manifests);

        assertThat(init.get("args")).isEqualTo(List.of("fetch"));
        assertThat(init.get("image")).isEqualTo(service.get("image"));
        assertThat(env(init, "AGE_MODEL_ID")).isEqualTo("openai/clip-vit-large-patch14");
        assertThat(env(init, "AGE_MODEL_REVISION")).isEqualTo("32bd64288804d66eefd0ccbe215aa642df71cc41");
        for (String name : List.of("AGE_MODEL_ID", "AGE_MODEL_REVISION", "HF_HOME")) {
            assertThat(env(init, name)).as(name).isEqualTo(env(service, name));
        }
        assertThat(mountPath(init, "hf-cache")).isEqualTo(env(service, "HF_HOME")).isEqualTo(mountPath(service, "hf-cache"));
    }

    @Test
    void serviceStartsOfflineAfterFetch() {
        Map<String, Object> service = serviceContainer(render(Map.of()));

        assertThat(env(service, "HF_HUB_OFFLINE")).isEqualTo("1");
        assertThat(volumeMount(service, "hf-cache").get("readOnly")).isEqualTo(true);
    }

    @Test
    void bakedModelNeedsNoCacheVolume() {
        List<Map<String, Object>> manifests = render(Map.of("cache.type", "image"));

        assertThat(podSpec(manifests)).doesNotContainKey("initContainers");
        assertThat(list(podSpec(manifests), "volumes")).extracting(volume -> volume.get("name")).doesNotContain("hf-cache");
        assertThat(env(serviceContainer(manifests), "HF_HOME")).isNull();
        assertThat(env(serviceContainer(manifests), "HF_HUB_OFFLINE")).isEqualTo("1");
    }

    @Test
    void persistentCacheCreatesClaim() {
        List<Map<String, Object>> manifests = render(Map.of("cache.type", "persistentVolumeClaim"));
        Map<String, Object> claim = only(manifests, "PersistentVolumeClaim");
        Map<String, Object> cacheVolume = list(podSpec(manifests), "volumes").stream()
                .filter(volume -> "hf-cache".equals(volume.get("name")))
                .findFirst()
                .orElseThrow();

        assertThat(map(cacheVolume, "persistentVolumeClaim").get("claimName")).isEqualTo(metadataName(claim));
        assertThat(map(map(map(claim, "spec"), "resources"), "requests")).containsEntry("storage", "5Gi");
    }

    @Test
    void securityContextIsRestrictive() {
        List<Map<String, Object>> manifests = render(Map.of());
        Map<String, Object> podSecurity = map(podSpec(manifests), "securityContext");

        assertThat(podSecurity).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001);
        assertThat(map(podSecurity, "seccompProfile")).containsEntry("type", "RuntimeDefault");
        assertThat(podSpec(manifests)).containsEntry("automountServiceAccountToken", false);
        for (Map<String, Object> container : List.of(serviceContainer(manifests), initContainer(manifests))) {
            Map<String, Object> security = map(container, "securityContext");
            assertThat(security).containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false);
            assertThat(map(security, "capabilities").get("drop")).isEqualTo(List.of("ALL"));
        }
    }

    @Test
    void writableDirsAreEmptyDirs() {
        List<Map<String, Object>> manifests = render(Map.of());
        Map<String, Object> service = serviceContainer(manifests);
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        list(podSpec(manifests), "volumes").forEach(volume -> volumes.put((String) volume.get("name"), volume));

        assertThat(mountPath(service, "tmp")).isEqualTo("/tmp");
        assertThat(mountPath(service, "djl-cache")).isEqualTo(env(service, "DJL_CACHE_DIR")).isEqualTo(env(service, "ENGINE_CACHE_DIR"));
        assertThat(volumes.get("tmp")).containsKey("emptyDir");
        assertThat(volumes.get("djl-cache")).containsKey("emptyDir");
    }

    @Test
    void schemaRejectsWrongType() {
        TemplateCommand command = template().set("replicaCount", "two");

        assertThatThrownBy(command::call).hasMessageContaining("replicaCount");
    }

    @Test
    void schemaRejectsUnknownTopLevelKey() {
        TemplateCommand command = template().set("replicas", 3);

        assertThatThrownBy(command::call).hasMessageContaining("replicas");
    }

    @Test
    void schemaRejectsUnknownDevice() {
        TemplateCommand command = template().set("model.device", "cuda");

        assertThatThrownBy(command::call).hasMessageContaining("device");
    }

    @Test
    void preStopPauseFitsGracePeriod() {
        List<Map<String, Object>> manifests = render(Map.of());
        Map<String, Object> preStop = map(map(serviceContainer(manifests), "lifecycle"), "preStop");

        assertThat(map(preStop, "exec").get("command")).isEqualTo(List.of("sleep", "5"));
        assertThat((Integer) podSpec(manifests).get("terminationGracePeriodSeconds")).isGreaterThanOrEqualTo(5 + 30);
        assertThat(serviceContainer(render(Map.of("preStopSleepSeconds", 0)))).doesNotContainKey("lifecycle");
    }

    @Test
    void dtypeReachesService() {
        Map<String, Object> service = serviceContainer(render(Map.of("gpu.enabled", true, "model.dtype", "float16")));

        assertThat(env(service, "AGE_MODEL_DTYPE")).isEqualTo("float16");
        assertThat(env(serviceContainer(render(Map.of())), "AGE_MODEL_DTYPE")).isEqualTo("float32");
    }

    @Test
    void schemaRejectsUnknownDtype() {
        TemplateCommand command = template().set("model.dtype", "int8");

        assertThatThrownBy(command::call).hasMessageContaining("dtype");
    }

    private static TemplateCommand template() {
        return new Helm(CHART).template().withName("test").withKubeVersion(KUBE_VERSION);
    }

    private static List<Map<String, Object>> render(Map<String, Object> values) {
        TemplateCommand command = template().withNamespace("ml");
        values.forEach(command::set);
        String rendered = command.call();

        List<Map<String, Object>> manifests = new ArrayList<>();
        for (Object document : new Yaml().loadAll(rendered)) {
            if (document != null) {
                manifests.add(cast(document));
            }
        }
        return manifests;
    }

    private static List<String> kinds(List<Map<String, Object>> manifests) {
        return manifests.stream().map(manifest -> (String) manifest.get("kind")).toList();
    }

    private static Map<String, Object> only(List<Map<String, Object>> manifests, String kind) {
        List<Map<String, Object>> matches = manifests.stream().filter(manifest -> kind.equals(manifest.get("kind"))).toList();
        assertThat(matches).as("manifests of kind %s", kind).hasSize(1);
        return matches.get(0);
    }

    private static Map<String, Object> podSpec(List<Map<String, Object>> manifests) {
        return map(map(map(only(manifests, "Deployment"), "spec"), "template"), "spec");
    }

    private static Map<String, Object> serviceContainer(List<Map<String, Object>> manifests) {
        List<Map<String, Object>> containers = list(podSpec(manifests), "containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, Object> initContainer(List<Map<String, Object>> manifests) {
        List<Map<String, Object>> containers = list(podSpec(manifests), "initContainers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static String servicePortName(List<Map<String, Object>> manifests) {
        return (String) list(map(only(manifests, "Service"), "spec"), "ports").get(0).get("name");
    }

    private static String metadataName(Map<String, Object> manifest) {
        return (String) map(manifest, "metadata").get("name");
    }

    private static String probePath(Map<String, Object> container, String probe) {
        return (String) map(map(container, probe), "httpGet").get("path");
    }

    /** Returns the value of a plain environment variable, or null when the container does not set it. */
    private static String env(Map<String, Object> container, String name) {
        return list(container, "env").stream()
                .filter(variable -> name.equals(variable.get("name")))
                .map(variable -> (String) variable.get("value"))
                .findFirst()
                .orElse(null);
    }

    private static Map<String, Object> volumeMount(Map<String, Object> container, String volume) {
        return list(container, "volumeMounts").stream()
                .filter(mount -> volume.equals(mount.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mount of volume " + volume + " in " + container.get("name")));
    }

    private static String mountPath(Map<String, Object> container, String volume) {
        return (String) volumeMount(container, volume).get("mountPath");
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return cast(Objects.requireNonNull(parent.get(key), () -> "missing key " + key + " in " + parent.keySet()));
    }

    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        return cast(Objects.requireNonNull(parent.get(key), () -> "missing key " + key + " in " + parent.keySet()));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
