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
 *
 * <p>A placeholder in the host must be followed by a fixed registrable domain
 * ({@code https://{subdomain}.freshdesk.com} is fine; {@code https://{host}/x} and
 * {@code https://{x}.com/x} are not), unless the app names an allowed host suffix for a host the
 * user supplies entirely (a self-hosted server); every expanded host must then end with it. The
 * "registrable domain" test is a floor, not a public-suffix lookup: at least two fixed labels, and not
 * a two-label country suffix such as {@code .co.uk} or {@code .com.au}.
 */
public final class UrlTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");
    private static final Pattern SAFE_VALUE = Pattern.compile("^[A-Za-z0-9._~-]+$");
    private static final Pattern LABEL = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$");

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
        check(template, known, null, where);
    }

    /**
     * As {@link #check(String, Set, String)}, and that a placeholder in the host is followed by a
     * fixed registrable domain, unless {@code allowedHostSuffix} names the suffix the host must end with.
     */
    public static void check(String template, Set<String> known, String allowedHostSuffix, String where) {
        for (String name : placeholders(template)) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException(where + " uses undeclared placeholder {" + name + "}");
            }
        }
        String host = rawHost(template, where).toLowerCase(java.util.Locale.ROOT);
        int lastPlaceholder = host.lastIndexOf('}');
        if (lastPlaceholder >= 0 && allowedHostSuffix == null && !registrable(host.substring(lastPlaceholder + 1))) {
            throw new IllegalArgumentException(where + ": a placeholder in the host must be followed by a fixed domain"
                    + " such as .example.com (or the app must name an allowedHostSuffix)");
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
        return expand(template, values, null);
    }

    /** As {@link #expand(String, Map)}; with an allowed host suffix, the expanded host must also end with it. */
    public static URI expand(String template, Map<String, String> values, String allowedHostSuffix) {
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
        if (allowedHostSuffix != null) {
            String host = uri.getHost().toLowerCase(java.util.Locale.ROOT);
            if (!host.equals(allowedHostSuffix) && !host.endsWith("." + allowedHostSuffix)) {
                throw new IllegalArgumentException("expanded URL leaves the app's allowed hosts");
            }
        }
        return uri;
    }

    /** The host part of a template, placeholders kept. */
    private static String rawHost(String template, String where) {
        int scheme = template.indexOf("://");
        if (scheme < 0) {
            throw new IllegalArgumentException(where + " must be an absolute URL with a host");
        }
        String rest = template.substring(scheme + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = rest.substring(0, end);
        int port = authority.lastIndexOf(':');
        return port >= 0 && !authority.endsWith("]") ? authority.substring(0, port) : authority;
    }

    /** Whether the fixed text after a host placeholder is a dot and at least two DNS labels ({@code .freshdesk.com}). */
    private static boolean registrable(String fixed) {
        if (!fixed.startsWith(".")) {
            return false;
        }
        String[] labels = fixed.substring(1).split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // ".co.uk", ".com.au", ".gov.br"…: two labels, yet a public suffix anyone can register under
        return !(labels.length == 2 && SECOND_LEVEL_SUFFIXES.contains(labels[0]) && labels[1].length() == 2);
    }

    /** Second-level labels that, under a two-letter country code, form a public suffix (co.uk, com.au, gov.br…). */
    private static final Set<String> SECOND_LEVEL_SUFFIXES = Set.of("ac", "co", "com", "edu", "gov", "go", "govt", "ltd",
            "me", "mil", "ne", "net", "nom", "or", "org", "plc", "sch");

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
