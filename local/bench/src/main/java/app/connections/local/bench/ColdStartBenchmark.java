package app.connections.local.bench;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.StackDescription;
import app.connections.local.aws.Template;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold start of every function of template.yaml against a hello-world handler, each in a fresh
 * JVM started with the Lambda java21 runtime's flags, timed from process start to the first
 * handled invocation of a sample event from {@code events/} (SDK clients built, real calls to a
 * fresh moto). Prints medians of {@code runs} runs, the ratio to hello-world and the size of each
 * function's jar, and draws {@code docs/images/cold-start.png}.
 */
public final class ColdStartBenchmark {
    /** What the Lambda java21 runtime starts a 1,024 MB function with (JAVA_TOOL_OPTIONS adds the template's). */
    static final List<String> RUNTIME_FLAGS = List.of("-XX:MaxHeapSize=870m", "-XX:+UseSerialGC", "-Xshare:auto",
            "-Djava.net.preferIPv4Stack=true");
    /** The sample event each function is started with: a read, so every run sees the same stack. */
    static final Map<String, String> EVENTS = Map.of(
            "workspaces", "list-workspaces.json",
            "connections", "picker.json",
            "oauth", "start.json",
            "refresher", "scheduled-event.json",
            "resolver", "resolve.json",
            "grants", "list-grants.json",
            "portal", "list-connections.json");
    static final double TARGET_RATIO = 2.5;
    /** A restored SnapStart environment's first invocation: at most this times hello-world's first invocation. */
    static final double TARGET_PRIMED_RATIO = 1.2;
    static final long TARGET_JAR_BYTES = 12L * 1024 * 1024;

    record Target(String name, String handler, List<Path> classpath, Path event, Map<String, String> env, Path jar) {
        Target primed() {
            Map<String, String> primedEnv = new LinkedHashMap<>(env);
            primedEnv.put("COLDSTART_PRIME", "1");
            return new Target(name, handler, classpath, event, primedEnv, jar);
        }
    }

    record Run(long totalMs, long initMs, long invokeMs, String status) {
    }

    record Result(Target target, List<Run> runs, List<Run> primedRuns) {
        long median(java.util.function.ToLongFunction<Run> f) {
            return medianOf(runs, f);
        }

        long primedMedian(java.util.function.ToLongFunction<Run> f) {
            return medianOf(primedRuns, f);
        }

        private static long medianOf(List<Run> runs, java.util.function.ToLongFunction<Run> f) {
            long[] v = runs.stream().mapToLong(f).sorted().toArray();
            return v[v.length / 2];
        }
    }

    private ColdStartBenchmark() {
    }

    /**
     * {@code runs}: starts per target. {@code COLDSTART_COMPARE="label=/root …"} adds, interleaved in
     * the same run, each function's jar from another build of the project (e.g. {@code before=} a
     * build of the main branch, {@code log4j2=} a build with {@code -Plog4j2}), shown as
     * {@code workspaces [label]}: on a shared machine only figures of one run compare.
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Map<String, Path> compare = new LinkedHashMap<>();
        for (String spec : System.getenv().getOrDefault("COLDSTART_COMPARE", "").trim().split("\\s+")) {
            if (!spec.isBlank()) {
                String[] kv = spec.split("=", 2);
                compare.put(kv[0], Path.of(kv[1]));
            }
        }
        List<Result> results = measure(LocalAws.startFresh(), runs, compare);
        print(results, runs);
        Path chart = LocalAws.projectRoot().resolve("docs/images/cold-start.png");
        ColdStartChart.draw(results.stream().filter(r -> !r.target().name().contains("[")).toList(), chart);
        System.out.println("chart: " + LocalAws.projectRoot().relativize(chart));
        System.exit(0);
    }

    static List<Result> measure(LocalAws local, int runs) throws Exception {
        return measure(local, runs, Map.of());
    }

    static List<Result> measure(LocalAws local, int runs, Map<String, Path> compare) throws Exception {
        Path root = local.root();
        Path lib = root.resolve("local/bench/target/runtime-lib");
        List<Path> runtime = new ArrayList<>();
        runtime.add(root.resolve("local/bench/target/bench-runtime.jar"));
        try (var files = Files.list(lib)) {
            files.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(runtime::add);
        }
        StackDescription stack = local.stack();
        Map<String, String> aws = Map.of("AWS_ENDPOINT_URL", stack.endpoint(), "AWS_REGION", stack.region(),
                "AWS_DEFAULT_REGION", stack.region(), "AWS_ACCESS_KEY_ID", stack.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", stack.secretAccessKey());
        List<Target> targets = new ArrayList<>();
        Template template = local.template();
        String toolOptions = String.valueOf(template.functions().get(0).environment().get("JAVA_TOOL_OPTIONS"));
        Map<String, String> helloEnv = new LinkedHashMap<>(aws);
        helloEnv.put("JAVA_TOOL_OPTIONS", toolOptions);
        helloEnv.put("AWS_LAMBDA_FUNCTION_NAME", "hello-world");
        targets.add(new Target("hello-world", "app.connections.local.bench.runtime.HelloHandler::handleRequest", runtime,
                root.resolve("events/workspaces/list-workspaces.json"), helloEnv, null));
        for (Template.Function f : template.functions()) {
            Path jar = root.resolve(f.jar());
            String name = jar.getParent().getParent().getFileName().toString();
            Map<String, String> env = new LinkedHashMap<>(local.environmentOf(f.logicalId()));
            env.putAll(aws);
            env.put("AWS_LAMBDA_FUNCTION_NAME", stack.resources().get(f.logicalId()).ref());
            List<Path> cp = new ArrayList<>(runtime);
            cp.add(jar);
            targets.add(new Target(name, f.handler(), cp, root.resolve("events").resolve(name).resolve(EVENTS.get(name)), env, jar));
        }
        for (Map.Entry<String, Path> other : compare.entrySet()) {
            for (Template.Function f : template.functions()) {
                Path jar = other.getValue().resolve(f.jar());
                Target ours = targets.stream().filter(t -> root.resolve(f.jar()).equals(t.jar())).findFirst().orElseThrow();
                List<Path> cp = new ArrayList<>(runtime);
                cp.add(jar);
                targets.add(new Target(ours.name() + " [" + other.getKey() + "]", ours.handler(), cp, ours.event(), ours.env(), jar));
            }
        }
        Map<Target, List<Run>> byTarget = new LinkedHashMap<>();
        Map<Target, List<Run>> primed = new LinkedHashMap<>();
        targets.forEach(t -> {
            byTarget.put(t, new ArrayList<>());
            primed.put(t, new ArrayList<>());
        });
        for (Target t : targets) { // one unmeasured start each warms the OS file cache alike
            start(t);
        }
        for (int i = 0; i < runs; i++) {
            for (Target t : targets) { // interleaved, so machine noise spreads over every target
                byTarget.get(t).add(start(t));
                primed.get(t).add(t.jar() == null ? byTarget.get(t).getLast() : start(t.primed()));
            }
        }
        List<Result> results = new ArrayList<>();
        byTarget.forEach((t, r) -> results.add(new Result(t, r, primed.get(t))));
        return results;
    }

    static Run start(Target target) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(RUNTIME_FLAGS);
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, target.classpath().stream().map(Path::toString).toList()));
        command.add("app.connections.local.bench.runtime.LambdaBoot");
        command.add(target.handler());
        command.add(target.event().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(target.env());
        long begin = System.nanoTime();
        Process process = builder.start();
        List<String> output = new ArrayList<>();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            while ((line = out.readLine()) != null) {
                if (line.startsWith("COLDSTART ")) {
                    long total = (System.nanoTime() - begin) / 1_000_000;
                    Map<String, String> kv = new LinkedHashMap<>();
                    for (String pair : line.substring(10).split(" ")) {
                        String[] p = pair.split("=", 2);
                        kv.put(p[0], p[1]);
                    }
                    process.waitFor(30, TimeUnit.SECONDS);
                    return new Run(total, Long.parseLong(kv.get("init_us")) / 1000, Long.parseLong(kv.get("invoke_us")) / 1000,
                            kv.get("status"));
                }
                output.add(line);
            }
        }
        process.waitFor(30, TimeUnit.SECONDS);
        throw new IllegalStateException(target.name() + " did not complete a cold start:\n" + String.join("\n", output));
    }

    static void print(List<Result> results, int runs) throws IOException {
        long hello = results.get(0).median(Run::totalMs);
        System.out.printf("%nCold start: process start to first handled invocation, median of %d runs (%s, %s %s)%n", runs,
                Runtime.version(), String.join(" ", RUNTIME_FLAGS), "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        long helloInvoke = results.get(0).median(Run::invokeMs);
        System.out.printf("%-22s %9s %8s %10s %7s %9s %8s %14s %8s %s%n", "function", "total ms", "init ms", "invoke ms", "x hello",
                "jar MB", "status", "primed invoke", "x hello", "targets (<= 2.5x, <= 12 MB, primed <= 1.2x)");
        for (Result r : results) {
            long total = r.median(Run::totalMs);
            double ratio = (double) total / hello;
            long primedInvoke = r.primedMedian(Run::invokeMs);
            double primedRatio = (double) primedInvoke / helloInvoke;
            Long size = r.target().jar() == null ? null : Files.size(r.target().jar());
            String verdict = r.target().jar() == null ? "baseline"
                    : (ratio <= TARGET_RATIO ? "time ok" : "time over") + ", " + (size <= TARGET_JAR_BYTES ? "size ok" : "size over")
                    + ", " + (primedRatio <= TARGET_PRIMED_RATIO ? "primed ok" : "primed over");
            System.out.printf("%-22s %9d %8d %10d %7.2f %9s %8s %14d %8.2f %s%n", r.target().name(), total, r.median(Run::initMs),
                    r.median(Run::invokeMs), ratio, size == null ? "-" : String.format("%.1f", size / 1048576.0),
                    r.runs().get(0).status(), primedInvoke, primedRatio, verdict);
        }
        System.out.println("primed invoke: the first invocation after the function's SnapStart priming ran in init, i.e. what a"
                + " restored environment still does on its first request (restore time itself is not measurable off Lambda).");
        for (Result r : results) {
            if (r.target().jar() != null && !r.runs().get(0).status().equals(r.primedRuns().get(0).status())) {
                throw new IllegalStateException(r.target().name() + ": priming changed the answer");
            }
        }
    }
}
