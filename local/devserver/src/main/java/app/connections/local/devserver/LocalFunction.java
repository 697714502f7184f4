package app.connections.local.devserver;

import app.connections.local.aws.Template;
import app.connections.platform.Environment;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * One template function hosted in this JVM: its handler built once (no-arg constructor, as the
 * Lambda runtime does) inside its own template environment, invoked with JSON in and out through
 * the runtime's own serializers.
 */
final class LocalFunction {
    private final Template.Function definition;
    private final String name;
    private final Object handler;
    private final Class<?> inputType;

    LocalFunction(Template.Function definition, String name, Map<String, String> environment) {
        this.definition = definition;
        this.name = name;
        try {
            Class<?> type = Class.forName(definition.handlerClass());
            this.handler = Environment.with(environment, () -> {
                try {
                    return type.getConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot construct " + definition.handler(), e);
                }
            });
            this.inputType = handler instanceof RequestHandler<?, ?> ? inputTypeOf(type) : null;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("handler class of " + definition.logicalId() + " is not on the classpath", e);
        }
    }

    Template.Function definition() {
        return definition;
    }

    String name() {
        return name;
    }

    /** Invokes with a JSON payload; returns the JSON result. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    byte[] invoke(byte[] payload) throws IOException {
        var context = app.connections.api.lambda.LocalLambdaContext.of(name, definition.timeoutSeconds() * 1000L);
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(payload), out, context);
            return out.toByteArray();
        }
        PojoSerializer in = serializer(inputType);
        Object input = in.fromJson(new ByteArrayInputStream(payload));
        Object output = ((RequestHandler) handler).handleRequest(input, context);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (output != null) {
            ((PojoSerializer<Object>) (PojoSerializer) serializer(output.getClass())).toJson(output, out);
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        ClassLoader loader = LocalFunction.class.getClassLoader();
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return LambdaEventSerializers.serializerFor(type, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    private static Class<?> inputTypeOf(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class
                        && p.getActualTypeArguments()[0] instanceof Class<?> input) {
                    return input;
                }
            }
        }
        return Object.class;
    }
}
