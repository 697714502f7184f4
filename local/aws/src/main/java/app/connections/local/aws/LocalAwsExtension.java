package app.connections.local.aws;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for integration tests: makes sure a local AWS stack runs (reusing the dev
 * stack or starting moto), points the SDK at it, and injects {@link LocalAws} into test methods
 * and constructors. With {@code -Dconnections.aws=localstack} the same tests run against a
 * LocalStack container instead (see {@link LocalStackContainerAws}); they are skipped when no
 * Docker engine answers.
 */
public final class LocalAwsExtension implements BeforeAllCallback, ParameterResolver {
    @Override
    public void beforeAll(ExtensionContext context) {
        stack();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == LocalAws.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return stack();
    }

    private static LocalAws stack() {
        if ("localstack".equals(System.getProperty("connections.aws"))) {
            return LocalStackContainerAws.get();
        }
        return LocalAws.get();
    }
}
