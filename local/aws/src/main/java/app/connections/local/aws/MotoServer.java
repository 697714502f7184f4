package app.connections.local.aws;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A moto server process from the project venv, on a free loopback port, started through
 * {@code local/aws/moto_serialized.py}: moto's own application with requests processed one at a
 * time, as DynamoDB's per-item serialization and atomic transactions require (see the script).
 */
public final class MotoServer implements AutoCloseable {
    private final Process process;
    private final String endpoint;

    private MotoServer(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts moto from the project venv and waits until it answers. */
    public static MotoServer start(Path projectRoot) {
        Path binary = projectRoot.resolve(".venv/bin/python");
        Path launcher = projectRoot.resolve("local/aws/moto_serialized.py");
        if (!Files.isExecutable(binary) || !Files.exists(projectRoot.resolve(".venv/bin/moto_server"))) {
            throw new IllegalStateException(binary + " with moto is missing: run bin/setup (README) to create the project venv");
        }
        int port = freePort();
        Path log = projectRoot.resolve(".local/moto-" + port + ".log");
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(binary.toString(), launcher.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            String endpoint = "http://127.0.0.1:" + port;
            MotoServer server = new MotoServer(process, endpoint);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            server.awaitReady(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto server", e);
        }
    }

    public String endpoint() {
        return endpoint;
    }

    /** Whether a moto server answers at the endpoint. */
    public static boolean answers(String endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/moto-api/data.json").toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto server exited with " + process.exitValue());
            }
            if (answers(endpoint)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto", e);
            }
        }
        close();
        throw new IllegalStateException("moto server did not answer within " + timeout);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    @Override
    public void close() {
        process.destroy();
    }

    /** Keeps the process running until it exits (for the dev stack). */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }
}
