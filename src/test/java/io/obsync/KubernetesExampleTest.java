package io.obsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.obsync.config.Option;
import io.obsync.config.Options;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Kubernetes example in deploy/kubernetes is read as Kubernetes would: every setting it gives a
 * task names a declared option with a valid value, each task elects through its own Lease with the
 * state in Kafka, the password comes from a mounted Secret file, the routes from the ConfigMap
 * mounted where the image reads them, and the container runs the image's own entry point.
 */
class KubernetesExampleTest {

    private static final Path FOLDER = Path.of("deploy", "kubernetes");

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents() throws Exception {
        List<Map<String, Object>> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(FOLDER)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
                    if (document != null) {
                        all.add((Map<String, Object>) document);
                    }
                }
            }
        }
        return all;
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static String name(Map<String, Object> document) {
        return (String) at(document, "metadata", "name");
    }

    @SuppressWarnings("unchecked")
    private static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            current = step instanceof Integer index ? ((List<Object>) current).get(index) : ((Map<String, Object>) current).get(step);
        }
        return current;
    }

    /** The option an OBSYNC_* variable sets, the way Camel maps environment variables to keys. */
    private static String optionOf(String variable) {
        for (Option option : Options.all()) {
            for (String key : List.of(option.key(), option.key() + Option.FILE_SUFFIX)) {
                if (key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_').equals(variable)) {
                    return key;
                }
            }
        }
        return null;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTaskIsTwoInstancesElectingThroughALeaseWithTheStateInKafka() throws Exception {
        List<Map<String, Object>> documents = documents();
        Map<String, Map<String, Object>> configMaps = new HashMap<>();
        ofKind(documents, "ConfigMap").forEach(c -> configMaps.put(name(c), c));
        Map<String, Map<String, Object>> secrets = new HashMap<>();
        ofKind(documents, "Secret").forEach(s -> secrets.put(name(s), s));

        // the service account may hold and read Leases
        Map<String, Object> role = ofKind(documents, "Role").get(0);
        assertThat((List<Map<String, Object>>) role.get("rules")).anySatisfy(rule -> {
            assertThat((List<String>) rule.get("apiGroups")).contains("coordination.k8s.io");
            assertThat((List<String>) rule.get("resources")).contains("leases");
            assertThat((List<String>) rule.get("verbs")).contains("get", "create", "update");
        });
        String account = name(ofKind(documents, "ServiceAccount").get(0));
        assertThat(at(ofKind(documents, "RoleBinding").get(0), "subjects", 0, "name")).isEqualTo(account);

        List<Map<String, Object>> deployments = ofKind(documents, "Deployment");
        assertThat(deployments).hasSizeGreaterThanOrEqualTo(2);
        List<String> tasks = new ArrayList<>();
        List<String> serverIds = new ArrayList<>();
        for (Map<String, Object> deployment : deployments) {
            assertThat(at(deployment, "spec", "replicas")).isEqualTo(2);
            Map<String, Object> pod = (Map<String, Object>) at(deployment, "spec", "template", "spec");
            assertThat(pod.get("serviceAccountName")).isEqualTo(account);
            Map<String, Object> container = (Map<String, Object>) at(pod, "containers", 0);
            // the image's entry point runs the task unchanged
            assertThat(container).doesNotContainKeys("command", "args");

            Map<String, String> settings = new HashMap<>();
            for (Map<String, Object> source : (List<Map<String, Object>>) container.get("envFrom")) {
                Map<String, Object> configMap = configMaps.get((String) at(source, "configMapRef", "name"));
                assertThat(configMap).as("the ConfigMap %s", at(source, "configMapRef", "name")).isNotNull();
                ((Map<String, Object>) configMap.get("data")).forEach((variable, value) -> settings.put(variable, String.valueOf(value)));
            }
            for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
                settings.put((String) variable.get("name"), variable.containsKey("value") ? String.valueOf(variable.get("value")) : "from the pod");
            }
            Map<String, String> options = new HashMap<>();
            settings.forEach((variable, value) -> {
                String key = optionOf(variable);
                assertThat(key).as("the option %s sets", variable).isNotNull();
                Option option = Options.find(key);
                if (option != null && !value.equals("from the pod")) {
                    option.check(value);
                }
                options.put(key, value);
            });
            assertThat(options).containsEntry("obsync.standby.cluster-service", "kubernetes").containsEntry("obsync.state.store", "kafka")
                    .containsKey("obsync.standby.kubernetes.namespace").doesNotContainKey("obsync.source.password");
            tasks.add(options.get("obsync.task.name"));
            serverIds.add(options.get("obsync.source.server-id"));

            // the password file lies in a mounted Secret that has it; the routes are mounted where the image reads them
            Map<String, String> mounts = new HashMap<>();
            for (Map<String, Object> mount : (List<Map<String, Object>>) container.get("volumeMounts")) {
                mounts.put((String) mount.get("name"), (String) mount.get("mountPath"));
            }
            Map<String, Map<String, Object>> volumes = new HashMap<>();
            ((List<Map<String, Object>>) pod.get("volumes")).forEach(v -> volumes.put((String) v.get("name"), v));
            String passwordFile = options.get("obsync.source.password-file");
            String secretVolume = mounts.entrySet().stream().filter(m -> passwordFile.startsWith(m.getValue() + "/")).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new AssertionError(passwordFile + " lies in no mounted volume"));
            Map<String, Object> secret = secrets.get((String) at(volumes.get(secretVolume), "secret", "secretName"));
            assertThat((Map<String, Object>) secret.get("stringData")).containsKey(Path.of(passwordFile).getFileName().toString());
            String routes = mounts.entrySet().stream().filter(m -> m.getValue().equals("/app/routes")).map(Map.Entry::getKey).findFirst()
                    .orElseThrow(() -> new AssertionError("no volume mounted at /app/routes, where the image reads its routes"));
            assertThat(at(volumes.get(routes), "configMap", "name")).isEqualTo("obsync-routes");
        }
        // each task elects on its own (its own Lease, named after it) and reads the source as its own replica
        assertThat(tasks).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(serverIds).doesNotHaveDuplicates();
        // the image reads its routes from /app/routes: its working folder is /app
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("WORKDIR /app").contains("CMD [\"run\"]");
    }
}
