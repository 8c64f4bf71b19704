package labops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import labops.schemas.topic.Topics;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The deploy files cannot be run here; this checks they run every service, topic and setting the code needs. */
class ManifestsTest {

    private static final Path DEPLOY = Path.of("").toAbsolutePath();

    @Test
    void strimziTopicsAreRenderedFromTheCatalogue() throws IOException {
        assertThat(Files.readString(DEPLOY.resolve("k8s/topics.yaml")))
                .as("deploy/k8s/topics.yaml is stale: run ./labops render-manifests")
                .isEqualTo(TopicManifests.render());

        List<Map<String, Object>> topics = documents("k8s/topics.yaml");
        assertThat(topics).extracting(t -> map(t, "spec").get("topicName")).containsExactlyElementsOf(Topics.names());
        for (var topic : topics) {
            assertThat(topic.get("kind")).isEqualTo("KafkaTopic");
            assertThat(map(topic, "spec").get("replicas")).isEqualTo(3);
            assertThat(map(map(topic, "spec"), "config").get("min.insync.replicas")).isEqualTo(2);
        }
    }

    @Test
    void composeRunsKafkaRegistryPostgresAndEveryServiceWithItsEnvironment() {
        Map<String, Object> services = map(documents("compose.yaml").get(0), "services");

        assertThat(services).containsKeys("kafka", "schema-registry", "postgres");
        assertThat(map(map(services, "kafka"), "environment")).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
        for (LabOpsService service : LabOpsService.values()) {
            assertThat(services).as("compose service").containsKey(service.moduleName());
            Map<String, Object> environment = map(map(services, service.moduleName()), "environment");
            assertThat(environment.keySet()).as(service.moduleName() + " environment")
                    .containsAll(service.requiredEnvironment());
            assertThat(environment.get(LabOpsService.SERVER_PORT)).isEqualTo(Integer.toString(service.localPort()));
        }
    }

    @Test
    void composeHoldsNoSecretButRequiresEachFromTheEnvironment() {
        Map<String, Object> services = map(documents("compose.yaml").get(0), "services");
        var secrets = new HashMap<String, Object>();
        for (var service : services.entrySet()) {
            var environment = (Map<String, Object>) ((Map<String, Object>) service.getValue())
                    .getOrDefault("environment", Map.of());
            environment.forEach((name, value) -> {
                if (name.matches(".*(SECRET|PASSWORD|KEYS_K\\d+|PARTITIONKEY).*")) {
                    secrets.put(service.getKey() + " " + name, value);
                }
            });
        }

        assertThat(secrets).as("secret settings found").hasSizeGreaterThanOrEqualTo(10);
        assertThat(secrets).allSatisfy((setting, value) -> assertThat(String.valueOf(value)).as(setting)
                .matches("\\$\\{LABOPS_[A-Z_]+:\\?run ./labops compose-env first}"));
    }

    @Test
    void kubernetesDeploysEveryServiceWithItsEnvironmentAndHealthProbes() {
        List<Map<String, Object>> resources = documents("k8s/labops.yaml");
        Map<String, Set<String>> configKeys = new HashMap<>();
        for (var resource : resources) {
            if (List.of("ConfigMap", "Secret").contains(resource.get("kind"))) {
                var data = resource.containsKey("stringData") ? map(resource, "stringData") : map(resource, "data");
                configKeys.put(map(resource, "metadata").get("name").toString(), data.keySet());
            }
        }

        for (LabOpsService service : LabOpsService.values()) {
            var deployment = find(resources, "Deployment", service.moduleName());
            var container = (Map<String, Object>) list(map(map(map(deployment, "spec"), "template"), "spec"), "containers").get(0);
            Set<String> environment = new HashSet<>();
            for (var source : list(container, "envFrom")) {
                var ref = source.containsKey("configMapRef") ? map(source, "configMapRef") : map(source, "secretRef");
                assertThat(configKeys).as("envFrom of " + service.moduleName()).containsKey(ref.get("name").toString());
                environment.addAll(configKeys.get(ref.get("name").toString()));
            }
            list(container, "env").forEach(e -> environment.add(e.get("name").toString()));

            assertThat(environment).as(service.moduleName() + " environment").containsAll(service.requiredEnvironment());
            assertThat(map(map(container, "readinessProbe"), "httpGet").get("path")).isEqualTo("/actuator/health/readiness");
            assertThat(list(container, "ports").get(0).get("containerPort")).isEqualTo(service.localPort());
            assertThat(find(resources, "Service", service.moduleName())).isNotNull();
        }
    }

    @Test
    void strimziClusterIsKraftWithThreeReplicasAndTwoInSync() {
        var kafka = find(documents("k8s/kafka.yaml"), "Kafka", "labops");
        var config = map(map(map(kafka, "spec"), "kafka"), "config");
        assertThat(config).containsEntry("default.replication.factor", 3).containsEntry("min.insync.replicas", 2);
        assertThat(map(kafka, "metadata").get("annotations").toString()).contains("strimzi.io/kraft=enabled");
    }

    private static List<Map<String, Object>> documents(String file) {
        try {
            var docs = new ArrayList<Map<String, Object>>();
            for (Object doc : new Yaml().loadAll(Files.readString(DEPLOY.resolve(file)))) {
                if (doc != null) {
                    docs.add(cast(doc));
                }
            }
            return docs;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    private static Map<String, Object> find(List<Map<String, Object>> resources, String kind, String name) {
        return resources.stream()
                .filter(r -> kind.equals(r.get("kind")) && name.equals(map(r, "metadata").get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return cast(value);
    }

    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(List.class);
        return cast(value);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
