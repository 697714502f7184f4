package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of {@code browser-tests/*.test.mjs} (node:test, playwright-core, Debian chromium) and requires it to pass. */
final class BrowserTests {
    private BrowserTests() {
    }

    static void run(Path root, String script, Map<String, String> env) throws Exception {
        assertThat(Path.of("/usr/bin/chromium")).as("Debian chromium (bin/setup installs it)").exists();
        assertThat(root.resolve("browser-tests/node_modules/playwright-core")).as("playwright-core (bin/setup)").exists();
        assertThat(root.resolve("browser-tests/node_modules/axe-core")).as("axe-core (bin/setup)").exists();
        ProcessBuilder node = new ProcessBuilder("node", "--test", script)
                .directory(root.resolve("browser-tests").toFile()).redirectErrorStream(true);
        node.environment().putAll(env);
        Process process = node.start();
        boolean finished = process.waitFor(3, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(finished).as("browser test finished in time").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("# fail 0");
    }
}
