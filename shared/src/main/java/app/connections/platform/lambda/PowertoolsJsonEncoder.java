package app.connections.platform.lambda;

import app.connections.platform.Json;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log event, the shape Powertools for AWS Lambda's JSON encoders write:
 * timestamp, level, logger, message; the invocation's fields that Powertools logging puts in the
 * MDC (service, cold_start, function_name/version/arn/memory_size/request_id, xray_trace_id,
 * sampling_rate) and our correlation_id; every SLF4J key-value pair of the event as its own key;
 * an error as {@code {"name", "message", "stack"}}. (Powertools' own Logback encoder,
 * {@code powertools-logging-logback}, is not in our registry; this is its equivalent.)
 */
public final class PowertoolsJsonEncoder extends EncoderBase<ILoggingEvent> {
    private static final Set<String> BOOLEANS = Set.of("cold_start");
    private static final Set<String> NUMBERS = Set.of("function_memory_size", "sampling_rate");
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("message", event.getFormattedMessage());
            for (Map.Entry<String, String> e : event.getMDCPropertyMap().entrySet()) {
                writeMdc(json, e.getKey(), e.getValue());
            }
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    json.writeFieldName(kv.key);
                    writeValue(json, kv.value);
                }
            }
            IThrowableProxy error = event.getThrowableProxy();
            if (error != null) {
                json.writeObjectFieldStart("error");
                json.writeStringField("name", error.getClassName());
                json.writeStringField("message", error.getMessage());
                json.writeStringField("stack", ThrowableProxyUtil.asString(error));
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            return "{\"level\":\"ERROR\",\"message\":\"log line could not be written as JSON\"}\n"
                    .getBytes(StandardCharsets.UTF_8);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void writeMdc(JsonGenerator json, String key, String value) throws IOException {
        if (value == null) {
            return;
        }
        if (BOOLEANS.contains(key)) {
            json.writeBooleanField(key, Boolean.parseBoolean(value));
            return;
        }
        if (NUMBERS.contains(key)) {
            try {
                json.writeNumberField(key, Double.parseDouble(value) % 1 == 0 ? (long) Double.parseDouble(value)
                        : Double.parseDouble(value));
                return;
            } catch (NumberFormatException notANumber) {
                // written as the string it is
            }
        }
        json.writeStringField(key, value);
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case Boolean b -> json.writeBoolean(b);
            case Integer i -> json.writeNumber(i);
            case Long l -> json.writeNumber(l);
            case Double d -> json.writeNumber(d);
            case Number n -> json.writeNumber(n.toString());
            default -> json.writeString(String.valueOf(value));
        }
    }
}
