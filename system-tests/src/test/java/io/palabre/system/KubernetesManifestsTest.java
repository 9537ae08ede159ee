package io.palabre.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Every manifest deploy.sh would apply, read offline: the script runs with {@code --dry-run} against the manifests
 * the build generated into each service's target/kubernetes, and what it writes is checked as a plain cluster would
 * take it. Each object is read with the Fabric8 Kubernetes model, strictly (a field the model does not know fails);
 * then selectors against pod labels, ports, probes, references to Secrets, ConfigMaps and volumes, each variable of a
 * service against the configuration it reads, images, resources, the Kafka volume's ownership and the autoscaler's
 * bound. No cluster and no kubectl are needed.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("palabre.project.dir", "..")).toAbsolutePath()
            .normalize();
    private static final List<String> SERVICES = List.of("ingest-service", "analysis-service", "dashboard-service");
    private static final Set<String> HEALTH = Set.of("/q/health/live", "/q/health/ready", "/q/health/started");
    /** The custom resources the operators' way may use, by apiVersion/kind; nothing else is allowed. */
    private static final Set<String> OPERATOR_KINDS = Set.of("kafka.strimzi.io/v1beta2/Kafka",
            "kafka.strimzi.io/v1beta2/KafkaNodePool", "kafka.strimzi.io/v1beta2/KafkaTopic",
            "postgresql.cnpg.io/v1/Cluster");
    private static final String SERVICE_MONITOR = "monitoring.coreos.com/v1/ServiceMonitor";
    /** The apache/kafka image runs as appuser: uid and gid 1000. */
    private static final long KAFKA_IMAGE_USER = 1000;
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Pattern MAPPING_PREFIX = Pattern.compile("@ConfigMapping\\(prefix = \"([a-z.-]+)\"\\)");

    private static List<Manifest> plain;
    private static List<Manifest> operators;

    /** One object as deploy.sh would apply it, in order: the file it is in, its YAML, and the model's object. */
    record Manifest(String file, int index, JsonNode yaml, KubernetesResource object) {

        String kind() {
            return yaml.path("kind").asText();
        }

        String name() {
            return yaml.path("metadata").path("name").asText();
        }

        String type() {
            return yaml.path("apiVersion").asText() + "/" + kind();
        }

        @Override
        public String toString() {
            return file + ": " + kind() + " " + name();
        }
    }

    @BeforeAll
    static void renderWhatDeployWouldApply() throws Exception {
        plain = render("plain");
        operators = render("operators", "--infrastructure", "operators", "--with-monitoring");
    }

    @Test
    void everyObjectIsReadStrictlyByTheKubernetesModel() {
        List<String> unknown = new ArrayList<>();
        for (Manifest m : concat(plain, operators)) {
            if (!(m.object() instanceof GenericKubernetesResource)) {
                unknownFields(m.object(), m.toString(), unknown);
            }
        }
        assertEquals(List.of(), unknown, "fields the Kubernetes model does not know (misspelt or misplaced)");
    }

    @Test
    void aPlainClusterNeedsNoCustomResourceAndGetsTheNamespaceFirst() {
        for (Manifest m : plain) {
            assertFalse(m.object() instanceof GenericKubernetesResource, m + " is not a built-in kind ("
                    + m.type() + "): a plain cluster refuses it");
        }
        assertOrdered(plain);
        assertTrue(plain.stream().noneMatch(m -> m.kind().equals("Job")), "no one-shot Job: each service migrates");
    }

    @Test
    void theOperatorsWayAddsOnlyTheOperatorsResources() {
        assertOrdered(operators);
        Set<String> custom = new HashSet<>();
        for (Manifest m : operators) {
            if (m.object() instanceof GenericKubernetesResource) {
                assertTrue(OPERATOR_KINDS.contains(m.type()) || m.type().equals(SERVICE_MONITOR), m + ": " + m.type());
                custom.add(m.type());
            }
        }
        assertEquals(Set.of("kafka.strimzi.io/v1beta2/Kafka", "kafka.strimzi.io/v1beta2/KafkaNodePool",
                "kafka.strimzi.io/v1beta2/KafkaTopic", "postgresql.cnpg.io/v1/Cluster", SERVICE_MONITOR), custom);
        assertTrue(operators.stream().noneMatch(m -> m.object() instanceof StatefulSet),
                "the operators run Kafka and PostgreSQL: no StatefulSet of ours");
        // The Services kafka and postgres select the pods the operators label for the resources declared here.
        String kafka = operators.stream().filter(m -> m.type().equals("kafka.strimzi.io/v1beta2/Kafka")).findFirst()
                .orElseThrow().name();
        String cluster = operators.stream().filter(m -> m.type().equals("postgresql.cnpg.io/v1/Cluster")).findFirst()
                .orElseThrow().name();
        assertEquals(kafka, service(operators, "kafka").getSpec().getSelector().get("strimzi.io/cluster"));
        assertEquals(cluster, service(operators, "postgres").getSpec().getSelector().get("cnpg.io/cluster"));
        for (Manifest m : operators) {
            if (m.type().equals("kafka.strimzi.io/v1beta2/KafkaTopic")
                    || m.type().equals("kafka.strimzi.io/v1beta2/KafkaNodePool")) {
                assertEquals(kafka, m.yaml().path("metadata").path("labels").path("strimzi.io/cluster").asText(),
                        m + " names another Kafka cluster");
            }
        }
    }

    @Test
    void servicesSelectPodsOnPortsTheyOpen() {
        for (Manifest m : plain) {
            if (m.object() instanceof Service service) {
                List<PodTemplateSpec> pods = podsSelectedBy(plain, service.getSpec().getSelector());
                assertFalse(pods.isEmpty(), m + " selects no pod: " + service.getSpec().getSelector());
                for (ServicePort port : service.getSpec().getPorts()) {
                    for (PodTemplateSpec pod : pods) {
                        assertTrue(opens(pod, port.getTargetPort()),
                                m + ": no container opens " + port.getTargetPort());
                    }
                }
            }
        }
    }

    @Test
    void everyReferenceResolves() {
        for (List<Manifest> bundle : List.of(plain, operators)) {
            Map<String, Secret> secrets = secretsOf(bundle);
            Set<String> configMaps = new HashSet<>();
            bundle.stream().filter(m -> m.kind().equals("ConfigMap")).forEach(m -> configMaps.add(m.name()));
            for (Manifest m : bundle) {
                PodTemplateSpec pod = podOf(m);
                if (pod == null) {
                    continue;
                }
                Set<String> volumes = new HashSet<>();
                for (Volume v : pod.getSpec().getVolumes()) {
                    volumes.add(v.getName());
                    if (v.getConfigMap() != null) {
                        assertTrue(configMaps.contains(v.getConfigMap().getName()), m + ": ConfigMap "
                                + v.getConfigMap().getName());
                    }
                }
                if (m.object() instanceof StatefulSet set) {
                    set.getSpec().getVolumeClaimTemplates().forEach(c -> volumes.add(c.getMetadata().getName()));
                }
                for (Container c : pod.getSpec().getContainers()) {
                    for (VolumeMount mount : c.getVolumeMounts()) {
                        assertTrue(volumes.contains(mount.getName()), m + ": volume " + mount.getName());
                    }
                    for (EnvFromSource from : c.getEnvFrom()) {
                        assertNotNull(from.getSecretRef(), m + ": envFrom other than a Secret");
                        assertNotNull(secrets.get(from.getSecretRef().getName()), m + ": Secret "
                                + from.getSecretRef().getName() + " is not made by deploy.sh");
                    }
                    for (EnvVar e : c.getEnv()) {
                        if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                            var ref = e.getValueFrom().getSecretKeyRef();
                            Secret s = secrets.get(ref.getName());
                            assertNotNull(s, m + ": Secret " + ref.getName());
                            assertTrue(keys(s).contains(ref.getKey()), m + ": key " + ref.getKey() + " of "
                                    + ref.getName());
                        }
                    }
                }
            }
            Manifest cluster = bundle.stream().filter(x -> x.type().equals("postgresql.cnpg.io/v1/Cluster"))
                    .findFirst().orElse(null);
            if (cluster != null) {
                String owner = cluster.yaml().at("/spec/bootstrap/initdb/secret/name").asText();
                Secret s = secrets.get(owner);
                assertNotNull(s, "the Cluster's owner Secret " + owner);
                assertEquals("kubernetes.io/basic-auth", s.getType());
                assertEquals(Set.of("username", "password"), keys(s));
                assertEquals(value(secrets.get("palabre-db"), "QUARKUS_DATASOURCE_PASSWORD"), value(s, "password"),
                        "the services log in as the databases' owner");
            }
        }
    }

    @Test
    void probesAskTheHealthChecksOnTheContainersPort() {
        for (String name : SERVICES) {
            Deployment d = deployment(plain, name);
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            for (Probe probe : new Probe[] { c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe() }) {
                assertNotNull(probe, name + " lacks a probe");
                assertTrue(HEALTH.contains(probe.getHttpGet().getPath()), name + ": " + probe.getHttpGet().getPath());
                assertTrue(opens(d.getSpec().getTemplate(), probe.getHttpGet().getPort()), name + ": probe port");
            }
            assertEquals("/q/health/started", c.getStartupProbe().getHttpGet().getPath());
            assertTrue(c.getStartupProbe().getFailureThreshold() * c.getStartupProbe().getPeriodSeconds() >= 120,
                    name + " would be restarted before two minutes of start (migrations, topics read whole)");
            assertTrue(d.getSpec().getTemplate().getSpec().getInitContainers().isEmpty(), name + ": init containers");
        }
    }

    @Test
    void everyVariableOfAServiceIsAPropertyItReads() throws IOException {
        for (List<Manifest> bundle : List.of(plain, operators)) {
            Map<String, Secret> secrets = secretsOf(bundle);
            for (String name : SERVICES) {
                Readable readable = Readable.of(name);
                Container c = deployment(bundle, name).getSpec().getTemplate().getSpec().getContainers().get(0);
                for (EnvVar e : c.getEnv()) {
                    assertTrue(readable.reads(e.getName()), name + " reads no property from " + e.getName());
                    assertFalse(e.getName().equals("QUARKUS_FLYWAY_ACTIVE") && "false".equals(e.getValue()),
                            name + ": Flyway is off");
                }
                for (EnvFromSource from : c.getEnvFrom()) {
                    for (String key : keys(secrets.get(from.getSecretRef().getName()))) {
                        assertTrue(readable.reads(key), name + " reads no property from " + key + " (Secret "
                                + from.getSecretRef().getName() + ")");
                    }
                }
                assertEquals("true", readable.properties.getProperty("quarkus.flyway.migrate-at-start"), name);
            }
        }
    }

    @Test
    void imagesComeFromTheConfiguredRegistryAndArePulledOnlyIfMissing() {
        for (String name : SERVICES) {
            Container c = deployment(plain, name).getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("IfNotPresent", c.getImagePullPolicy(), name);
            assertEquals("localhost:5000/palabre/" + name + ":0.1.0-SNAPSHOT", c.getImage(),
                    "the default registry and group (PALABRE_IMAGE_REGISTRY, PALABRE_IMAGE_GROUP unset)");
        }
        for (Manifest m : concat(plain, operators)) {
            PodTemplateSpec pod = podOf(m);
            if (pod != null) {
                for (Container c : pod.getSpec().getContainers()) {
                    assertFalse(c.getImage().startsWith("docker.io/palabre/"), m + ": " + c.getImage());
                    Map<String, Quantity> requests = c.getResources().getRequests();
                    Map<String, Quantity> limits = c.getResources().getLimits();
                    assertNotNull(requests.get("memory"), m + ": memory request");
                    assertNotNull(limits.get("memory"), m + ": memory limit");
                    assertTrue(Quantity.getAmountInBytes(requests.get("memory"))
                            .compareTo(Quantity.getAmountInBytes(limits.get("memory"))) <= 0, m + ": request > limit");
                }
            }
        }
    }

    @Test
    void kafkaWritesItsLogsToItsVolumeAsTheImagesUser() {
        StatefulSet kafka = plain.stream().filter(m -> m.object() instanceof StatefulSet && m.name().equals("kafka"))
                .map(m -> (StatefulSet) m.object()).findFirst().orElseThrow();
        var security = kafka.getSpec().getTemplate().getSpec().getSecurityContext();
        assertNotNull(security, "no pod securityContext: the volume stays root's");
        assertEquals(KAFKA_IMAGE_USER, security.getRunAsUser());
        assertEquals(KAFKA_IMAGE_USER, security.getFsGroup(), "fsGroup: the volume must be the broker's group's");
        Container broker = kafka.getSpec().getTemplate().getSpec().getContainers().get(0);
        String logDirs = broker.getEnv().stream().filter(e -> e.getName().equals("KAFKA_LOG_DIRS"))
                .map(EnvVar::getValue).findFirst().orElseThrow(() -> new AssertionError("KAFKA_LOG_DIRS unset"));
        Set<String> claims = new HashSet<>();
        kafka.getSpec().getVolumeClaimTemplates().forEach(c -> claims.add(c.getMetadata().getName()));
        assertTrue(broker.getVolumeMounts().stream().anyMatch(v -> claims.contains(v.getName())
                && (logDirs + "/").startsWith(v.getMountPath().replaceAll("/?$", "/"))),
                "the log directory " + logDirs + " is not on the claimed volume");
    }

    @Test
    void analysisScalesOutNoFurtherThanThePartitionsOfMentions() throws IOException {
        String consumers = Readable.of("analysis-service").defaultOf("mp.messaging.incoming.mentions.concurrency");
        for (List<Manifest> bundle : List.of(plain, operators)) {
            HorizontalPodAutoscaler hpa = bundle.stream().filter(m -> m.object() instanceof HorizontalPodAutoscaler)
                    .map(m -> (HorizontalPodAutoscaler) m.object()).findFirst().orElseThrow();
            assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
            Deployment target = deployment(bundle, hpa.getSpec().getScaleTargetRef().getName());
            int perReplica = target.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getName().equals("ANALYSIS_CONSUMERS")).map(e -> Integer.parseInt(e.getValue()))
                    .findFirst().orElse(Integer.parseInt(consumers));
            int partitions = partitionsOfMentions(bundle);
            assertTrue(hpa.getSpec().getMaxReplicas() * perReplica <= partitions, "up to "
                    + hpa.getSpec().getMaxReplicas() + " replicas of " + perReplica + " consumers for " + partitions
                    + " partitions: some would idle");
            assertTrue(hpa.getSpec().getMinReplicas() >= 1);
        }
    }

    @Test
    void disruptionBudgetsAndNetworkPoliciesSelectPodsAndOnlyTheDashboardIsOpen() {
        for (String name : SERVICES) {
            Map<String, String> labels = deployment(plain, name).getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(plain.stream().anyMatch(m -> m.object() instanceof PodDisruptionBudget pdb
                    && matches(pdb.getSpec().getSelector().getMatchLabels(), labels)), name + " has no budget");
        }
        boolean defaultDeny = false;
        Set<String> open = new HashSet<>();
        for (Manifest m : plain) {
            if (!(m.object() instanceof NetworkPolicy policy)) {
                continue;
            }
            Map<String, String> selector = policy.getSpec().getPodSelector().getMatchLabels();
            if (selector == null || selector.isEmpty()) {
                defaultDeny |= policy.getSpec().getIngress().isEmpty()
                        && policy.getSpec().getPolicyTypes().contains("Ingress");
                continue;
            }
            List<PodTemplateSpec> pods = podsSelectedBy(plain, selector);
            assertFalse(pods.isEmpty(), m + " selects no pod");
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                if (rule.getFrom().isEmpty()) {
                    pods.forEach(p -> open.add(p.getMetadata().getLabels().get("app.kubernetes.io/name")));
                }
                rule.getPorts().forEach(port -> pods.forEach(p -> assertTrue(opens(p, port.getPort()),
                        m + ": port " + port.getPort())));
            }
        }
        assertTrue(defaultDeny, "no default-deny policy: every pod would be reachable");
        assertEquals(Set.of("dashboard-service"), open, "pods reachable from anywhere");
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Runs deploy.sh --dry-run and reads what it wrote, in order. */
    private static List<Manifest> render(String name, String... options) throws Exception {
        Path dir = Path.of("target", "deploy-dry-run", name).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("deploy/kubernetes/deploy.sh").toString(),
                "--skip-build", "--dry-run", dir.toString()));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "deploy.sh --dry-run failed: " + output);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectMapper json = JsonMapper.builder().build();
        List<Manifest> manifests = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.sorted().toList();
        }
        assertFalse(files.isEmpty(), output);
        for (Path file : files) {
            int index = 0;
            try (var docs = yaml.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                        continue;
                    }
                    KubernetesResource object = json.treeToValue(doc, KubernetesResource.class);
                    manifests.add(new Manifest(file.getFileName().toString(), index++, doc, object));
                }
            }
        }
        return manifests;
    }

    /** The namespace first, every other object in it, and each Secret a pod reads applied before the pod. */
    private static void assertOrdered(List<Manifest> bundle) {
        assertTrue(bundle.get(0).object() instanceof Namespace ns && ns.getMetadata().getName().equals("palabre"),
                "the namespace comes first, not " + bundle.get(0));
        for (int i = 1; i < bundle.size(); i++) {
            Manifest m = bundle.get(i);
            assertEquals("palabre", m.yaml().path("metadata").path("namespace").asText(), m + ": namespace");
            PodTemplateSpec pod = podOf(m);
            if (pod == null) {
                continue;
            }
            List<Manifest> before = bundle.subList(0, i);
            for (Container c : pod.getSpec().getContainers()) {
                for (EnvFromSource from : c.getEnvFrom()) {
                    assertTrue(before.stream().anyMatch(b -> b.object() instanceof Secret
                            && b.name().equals(from.getSecretRef().getName())), m + " comes before its Secret");
                }
            }
        }
    }

    /** Every io.fabric8 object reached from {@code value} whose additional (unknown) properties are not empty. */
    private static void unknownFields(Object value, String path, List<String> out) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, out));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.") || value instanceof Quantity
                || value instanceof IntOrString) {
            return;
        }
        for (Method method : value.getClass().getMethods()) {
            String name = method.getName();
            if (method.getParameterCount() != 0 || !name.startsWith("get") || name.equals("getClass")) {
                continue;
            }
            Object got;
            try {
                got = method.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (got instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + ": " + extra.keySet());
                }
            } else {
                unknownFields(got, path + "." + Character.toLowerCase(name.charAt(3)) + name.substring(4), out);
            }
        }
    }

    private static PodTemplateSpec podOf(Manifest m) {
        if (m.object() instanceof Deployment d) {
            return d.getSpec().getTemplate();
        }
        if (m.object() instanceof StatefulSet s) {
            return s.getSpec().getTemplate();
        }
        return null;
    }

    private static List<PodTemplateSpec> podsSelectedBy(List<Manifest> bundle, Map<String, String> selector) {
        return bundle.stream().map(KubernetesManifestsTest::podOf).filter(Objects::nonNull)
                .filter(pod -> matches(selector, pod.getMetadata().getLabels())).toList();
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null
                && labels.entrySet().containsAll(selector.entrySet());
    }

    /** Whether a container of the pod opens the port, given by number or by name. */
    private static boolean opens(PodTemplateSpec pod, IntOrString port) {
        for (Container c : pod.getSpec().getContainers()) {
            for (ContainerPort p : c.getPorts()) {
                if (port.getIntVal() != null ? port.getIntVal().equals(p.getContainerPort())
                        : port.getStrVal().equals(p.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Deployment deployment(List<Manifest> bundle, String name) {
        return bundle.stream().filter(m -> m.object() instanceof Deployment && m.name().equals(name))
                .map(m -> (Deployment) m.object()).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment " + name));
    }

    private static Service service(List<Manifest> bundle, String name) {
        return bundle.stream().filter(m -> m.object() instanceof Service && m.name().equals(name))
                .map(m -> (Service) m.object()).findFirst().orElseThrow(() -> new AssertionError("no Service " + name));
    }

    private static int partitionsOfMentions(List<Manifest> bundle) {
        for (Manifest m : bundle) {
            if (m.type().equals("kafka.strimzi.io/v1beta2/KafkaTopic") && m.name().equals("mentions")) {
                return m.yaml().at("/spec/partitions").asInt();
            }
            if (m.object() instanceof StatefulSet s && m.name().equals("kafka")) {
                return s.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                        .filter(e -> e.getName().equals("KAFKA_NUM_PARTITIONS"))
                        .map(e -> Integer.parseInt(e.getValue())).findFirst().orElse(1);
            }
        }
        return fail("no partition count for mentions");
    }

    /** The Secrets deploy.sh would make, by name. */
    private static Map<String, Secret> secretsOf(List<Manifest> bundle) {
        Map<String, Secret> secrets = new java.util.HashMap<>();
        bundle.stream().filter(m -> m.object() instanceof Secret)
                .forEach(m -> secrets.put(m.name(), (Secret) m.object()));
        return secrets;
    }

    private static Set<String> keys(Secret s) {
        Set<String> keys = new HashSet<>();
        if (s.getStringData() != null) {
            keys.addAll(s.getStringData().keySet());
        }
        if (s.getData() != null) {
            keys.addAll(s.getData().keySet());
        }
        return keys;
    }

    private static String value(Secret s, String key) {
        return s.getStringData() == null ? null : s.getStringData().get(key);
    }

    @SafeVarargs
    private static List<Manifest> concat(List<Manifest>... lists) {
        List<Manifest> all = new ArrayList<>();
        for (List<Manifest> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    /**
     * What configuration a service reads from the environment: a variable named in its application.properties
     * ({@code ${NAME:...}}), the environment form of a property set there (SmallRye Config's rule: upper case,
     * every other character an underscore), or one under the prefix of a {@code @ConfigMapping} in its code or the
     * shared support code.
     */
    private record Readable(Properties properties, Set<String> variables, Set<String> prefixes) {

        static Readable of(String service) throws IOException {
            Path file = ROOT.resolve(service).resolve("src/main/resources/application.properties");
            String text = Files.readString(file);
            Properties properties = new Properties();
            properties.load(new java.io.StringReader(text));
            Set<String> variables = new HashSet<>();
            Matcher m = VARIABLE.matcher(text);
            while (m.find()) {
                variables.add(m.group(1));
            }
            for (String key : properties.stringPropertyNames()) {
                variables.add(environmentForm(key.replaceFirst("^%[a-z]+\\.", "")));
            }
            Set<String> prefixes = new HashSet<>();
            for (Path sources : List.of(ROOT.resolve(service).resolve("src/main/java"),
                    ROOT.resolve("service-support/src/main/java"))) {
                try (Stream<Path> files = Files.walk(sources)) {
                    for (Path java : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        Matcher p = MAPPING_PREFIX.matcher(Files.readString(java));
                        while (p.find()) {
                            prefixes.add(environmentForm(p.group(1)) + "_");
                        }
                    }
                }
            }
            return new Readable(properties, variables, prefixes);
        }

        boolean reads(String variable) {
            return variables.contains(variable) || prefixes.stream().anyMatch(variable::startsWith);
        }

        /** The default of the variable a property is set from ({@code ${NAME:default}}). */
        String defaultOf(String key) {
            String value = properties.getProperty(key);
            assertNotNull(value, key);
            return value.replaceAll("^\\$\\{[A-Z_]+:([^}]*)}$", "$1");
        }

        private static String environmentForm(String key) {
            return key.replace("\"", "").toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        }
    }
}
