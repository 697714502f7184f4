package app.connections.local.aws;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Opt-in path for machines with Docker: the integration tests against a LocalStack-compatible
 * container. Select it with {@code -Dconnections.aws=localstack}; choose the image with
 * {@code -Dconnections.localstack.image} (default {@value #DEFAULT_IMAGE}). Without a Docker
 * engine the tests are skipped, not failed.
 */
final class LocalStackContainerAws {
    static final String DEFAULT_IMAGE = "localstack/localstack:4.4";

    private static LocalStackContainer container;

    private LocalStackContainerAws() {
    }

    static synchronized LocalAws get() {
        if (container == null) {
            Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                    "no Docker engine answers: LocalStack tests skipped");
            String image = System.getProperty("connections.localstack.image", DEFAULT_IMAGE);
            container = new LocalStackContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("localstack/localstack"));
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        }
        return LocalAws.useEndpoint(container.getEndpoint().toString());
    }
}
