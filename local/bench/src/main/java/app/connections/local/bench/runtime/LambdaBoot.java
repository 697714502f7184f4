package app.connections.local.bench.runtime;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cold start the way the Lambda Java runtime does one, in a fresh JVM: load the handler class
 * named like the template's {@code Handler}, build it with its no-arg constructor (the init
 * phase), turn the event JSON into the handler's input type with the runtime's own serializers,
 * invoke it once and serialize the answer. Prints one {@code COLDSTART} line with the init and
 * first-invoke times and the answer's status, never its body (a resolver answer holds a credential).
 *
 * <p>With {@code COLDSTART_PRIME} set, the function's SnapStart priming runs as part of init, so
 * the first invoke shows what a restored environment still does on its first request.
 *
 * <p>Arguments: {@code <Class::method> <event.json>}. Only the Lambda core and serialization
 * libraries are on the classpath besides the function's own jar, for every function alike.
 */
public final class LambdaBoot {
    private static final Pattern STATUS = Pattern.compile("\"(statusCode|status)\"\\s*:\\s*\"?([A-Za-z0-9_]+)");

    private LambdaBoot() {
    }

    public static void main(String[] args) throws Exception {
        String handler = args[0];
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        long start = System.nanoTime();
        Class<?> type = Class.forName(handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler);
        Object instance = type.getConstructor().newInstance();
        if (System.getenv("COLDSTART_PRIME") != null) {
            // what SnapStart's beforeCheckpoint hooks run; the snapshot would then hold its result
            Class.forName("app.connections.api.lambda.Priming").getMethod("runAll").invoke(null);
        }
        long initialized = System.nanoTime();
        byte[] answer = invoke(instance, type, event);
        long invoked = System.nanoTime();
        Matcher status = STATUS.matcher(new String(answer, StandardCharsets.UTF_8));
        System.out.println("COLDSTART init_us=" + (initialized - start) / 1_000 + " invoke_us=" + (invoked - initialized) / 1_000
                + " status=" + (status.find() ? status.group(2) : "-"));
        System.out.flush();
        System.exit(0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] invoke(Object handler, Class<?> type, byte[] event) throws Exception {
        BootContext context = new BootContext(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "function"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (handler instanceof RequestStreamHandler stream) {
            stream.handleRequest(new ByteArrayInputStream(event), out, context);
            return out.toByteArray();
        }
        PojoSerializer in = serializer(inputType(type));
        Object result = ((RequestHandler) handler).handleRequest(in.fromJson(new ByteArrayInputStream(event)), context);
        if (result != null) {
            serializer(result.getClass()).toJson(result, out);
        }
        return out.toByteArray();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static PojoSerializer serializer(Class<?> type) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return LambdaEventSerializers.serializerFor(type, LambdaBoot.class.getClassLoader());
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    private static Class<?> inputType(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    Type input = p.getActualTypeArguments()[0];
                    return input instanceof ParameterizedType pi ? (Class<?>) pi.getRawType() : (Class<?>) input;
                }
            }
        }
        return Object.class;
    }
}
