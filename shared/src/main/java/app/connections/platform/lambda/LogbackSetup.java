package app.connections.platform.lambda;

import app.connections.platform.Observability;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.LoggerFactory;

/**
 * Logback's configuration, in code (no XML to parse at cold start): one console appender on
 * standard output, which Lambda sends to CloudWatch Logs, writing {@link PowertoolsJsonEncoder}
 * lines; the root level from {@code LOG_LEVEL}; the AWS SDK's loggers at WARN unless the level asks
 * for less. Found by Logback through {@code META-INF/services}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogbackSetup extends ContextAwareBase implements Configurator {
    static final String SDK = "software.amazon.awssdk";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PowertoolsJsonEncoder encoder = new PowertoolsJsonEncoder();
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("json");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(console);
        apply(context, Level.toLevel(Observability.fromEnvironment().logLevel(), Level.INFO));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets the service's level (the SDK's stays at WARN unless this is lower still... or DEBUG and below). */
    static void apply(LoggerContext context, Level level) {
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(level);
        context.getLogger(SDK).setLevel(level.isGreaterOrEqual(Level.INFO) ? Level.WARN : level);
    }

    /** Applies {@code LOG_LEVEL} as the configuration read it (the handlers' environment). */
    public static void apply(Observability observability) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            apply(context, Level.toLevel(observability.logLevel(), Level.INFO));
        }
    }
}
