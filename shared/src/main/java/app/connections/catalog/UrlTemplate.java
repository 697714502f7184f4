package app.connections.catalog;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fixed URL with {@code {name}} placeholders filled only from validated values. Values may not
 * carry URL structure ({@code / ? # @ % :} or whitespace), and the expanded URL must keep the
 * template's scheme and the fixed part of its host.
 */
public final class UrlTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");
    private static final Pattern SAFE_VALUE = Pattern.compile("^[A-Za-z0-9._~-]+$");

    private UrlTemplate() {
    }

    /** The placeholder names used in a template. */
    public static Set<String> placeholders(String template) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Checks that a template is an absolute https URL (or loopback http) whose placeholders are all known. */
    public static void check(String template, Set<String> known, String where) {
        for (String name : placeholders(template)) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException(where + " uses undeclared placeholder {" + name + "}");
            }
        }
        URI sample = parse(PLACEHOLDER.matcher(template).replaceAll("x"), where);
        boolean loopback = "http".equals(sample.getScheme())
                && ("127.0.0.1".equals(sample.getHost()) || "localhost".equals(sample.getHost()));
        if (!"https".equals(sample.getScheme()) && !loopback) {
            throw new IllegalArgumentException(where + " must be an https URL");
        }
    }

    /** Fills the placeholders; every value must already have passed its field's pattern. */
    public static URI expand(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null || !SAFE_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("no safe value for {" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        URI uri = parse(out.toString(), "expanded URL");
        URI shape = parse(PLACEHOLDER.matcher(template).replaceAll("x"), "template");
        String fixedHost = shape.getHost().replaceFirst("^.*?\\bx\\b", "");
        if (!uri.getScheme().equals(shape.getScheme()) || uri.getHost() == null || !uri.getHost().endsWith(fixedHost)
                || uri.getPort() != shape.getPort() || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("expanded URL leaves its template's host");
        }
        return uri;
    }

    private static URI parse(String url, String where) {
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new IllegalArgumentException(where + " must be an absolute URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + " is not a valid URL", e);
        }
    }
}
