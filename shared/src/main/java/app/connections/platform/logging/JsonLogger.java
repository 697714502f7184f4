package app.connections.platform.logging;

import app.connections.platform.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One JSON object per line on standard output, which Lambda sends to CloudWatch Logs: timestamp,
 * level, logger, message, the invocation's fields ({@link LogContext}) and, for an error,
 * its class, message and stack. The same fields Powertools for AWS Lambda writes, without Log4j 2,
 * which cost 3.6 MB of every function jar and most of a second of cold start
 * (docs/performance.md).
 */
final class JsonLogger extends LegacyAbstractLogger {
    private final int threshold;

    JsonLogger(String name, Level threshold) {
        this.name = name;
        this.threshold = threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return Level.TRACE.toInt() >= threshold;
    }

    @Override
    public boolean isDebugEnabled() {
        return Level.DEBUG.toInt() >= threshold;
    }

    @Override
    public boolean isInfoEnabled() {
        return Level.INFO.toInt() >= threshold;
    }

    @Override
    public boolean isWarnEnabled() {
        return Level.WARN.toInt() >= threshold;
    }

    @Override
    public boolean isErrorEnabled() {
        return Level.ERROR.toInt() >= threshold;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level.name());
        line.put("logger", name);
        line.put("message", MessageFormatter.basicArrayFormat(pattern, arguments));
        line.putAll(LogContext.fields());
        if (throwable != null) {
            StringWriter stack = new StringWriter();
            throwable.printStackTrace(new PrintWriter(stack));
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("name", throwable.getClass().getName());
            error.put("message", throwable.getMessage());
            error.put("stack", stack.toString());
            line.put("error", error);
        }
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            json = "{\"level\":\"ERROR\",\"message\":\"log line could not be written as JSON\"}";
        }
        System.out.println(json); // looked up per line: follows System.setOut (tests read log lines)
    }
}
