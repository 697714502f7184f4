package app.connections.platform.lambda;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import software.amazon.lambda.powertools.logging.internal.LoggingManager;

/**
 * How Powertools logging changes the level on Logback (sampled DEBUG invocations): Powertools finds
 * it through {@code META-INF/services}, as it would find the one of {@code powertools-logging-logback}.
 */
public final class LogbackLoggingManager implements LoggingManager {
    @Override
    public void setLogLevel(Level logLevel) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            LogbackSetup.apply(context, ch.qos.logback.classic.Level.toLevel(logLevel.name()));
        }
    }

    @Override
    public Level getLogLevel(org.slf4j.Logger logger) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            return Level.valueOf(context.getLogger(logger.getName()).getEffectiveLevel().toString());
        }
        return Level.INFO;
    }
}
