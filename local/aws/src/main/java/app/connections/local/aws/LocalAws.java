package app.connections.local.aws;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The local AWS stack of this JVM: the running dev stack when {@code .local/stack.json} describes a
 * live one built from the current template, otherwise a fresh moto server started and bootstrapped
 * here. Once chosen, it points the AWS SDK at it through the {@code aws.*} system properties
 * (what {@code AWS_ENDPOINT_URL} and friends do for a process), so production code runs unchanged.
 */
public final class LocalAws {
    public static final String REGION = "us-east-1";
    public static final String STACK_NAME = "connections-local";

    private static volatile LocalAws instance;

    private final Path projectRoot;
    private final Template template;
    private final StackDescription stack;

    private LocalAws(Path projectRoot, Template template, StackDescription stack) {
        this.projectRoot = projectRoot;
        this.template = template;
        this.stack = stack;
    }

    /** The shared stack, started on first use. */
    public static LocalAws get() {
        LocalAws local = instance;
        if (local == null) {
            synchronized (LocalAws.class) {
                local = instance;
                if (local == null) {
                    local = startOrReuse(projectRoot());
                    local.pointSdkAtIt();
                    instance = local;
                }
            }
        }
        return local;
    }

    private static LocalAws startOrReuse(Path root) {
        Template template = Template.load(root.resolve("template.yaml"));
        Path described = root.resolve(".local/stack.json");
        if (Files.exists(described)) {
            StackDescription running = StackDescription.read(described);
            if (template.sha256().equals(running.templateSha256()) && MotoServer.answers(running.endpoint())) {
                return new LocalAws(root, template, running);
            }
        }
        MotoServer moto = MotoServer.start(root);
        return new LocalAws(root, template, bootstrap(moto.endpoint(), template));
    }

    /** Uses an emulator already running at {@code endpoint} (a LocalStack container), bootstrapping it once. */
    static LocalAws useEndpoint(String endpoint) {
        synchronized (LocalAws.class) {
            if (instance == null) {
                Path root = projectRoot();
                Template template = Template.load(root.resolve("template.yaml"));
                LocalAws local = new LocalAws(root, template, bootstrap(endpoint, template));
                local.pointSdkAtIt();
                instance = local;
            }
            return instance;
        }
    }

    /** A new moto server with the template's resources, for benchmarks that must not share state. */
    public static LocalAws startFresh() {
        synchronized (LocalAws.class) {
            Path root = projectRoot();
            Template template = Template.load(root.resolve("template.yaml"));
            MotoServer moto = MotoServer.start(root);
            LocalAws local = new LocalAws(root, template, bootstrap(moto.endpoint(), template));
            local.pointSdkAtIt();
            instance = local;
            return local;
        }
    }

    /** Creates the template's resources at an emulator endpoint. */
    public static StackDescription bootstrap(String endpoint, Template template) {
        LocalClients clients = new LocalClients(endpoint, REGION, "test", "test");
        StackBootstrap.Created created = new StackBootstrap(clients, REGION, STACK_NAME).create(template);
        return StackDescription.of(endpoint, REGION, STACK_NAME, template, created);
    }

    /** The project root: {@code -Dconnections.projectRoot}, else the nearest folder holding template.yaml. */
    public static Path projectRoot() {
        String configured = System.getProperty("connections.projectRoot");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("template.yaml")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the project root (template.yaml) from " + dir);
    }

    public void pointSdkAtIt() {
        System.setProperty("aws.endpointUrl", stack.endpoint());
        System.setProperty("aws.region", stack.region());
        System.setProperty("aws.accessKeyId", stack.accessKeyId());
        System.setProperty("aws.secretAccessKey", stack.secretAccessKey());
    }

    public Path root() {
        return projectRoot;
    }

    public Template template() {
        return template;
    }

    public StackDescription stack() {
        return stack;
    }

    public LocalClients clients() {
        return stack.clients();
    }

    /** The resolved environment of the template's function with this logical id. */
    public Map<String, String> environmentOf(String functionLogicalId) {
        return stack.environmentOf(template, function(functionLogicalId));
    }

    public Template.Function function(String logicalId) {
        return template.functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("template has no function " + logicalId));
    }
}
