package app.connections.oauth;

import java.util.Map;

/**
 * What the builder (or the portal) asks for when it opens "Connect New Account".
 *
 * @param nonce the opening page's own random value, echoed in the popup's message (optional)
 */
public record NewConnectSession(String app, String label, Map<String, String> fields, String reconnectConnectionId,
                                String nonce) {
    private static final java.util.regex.Pattern NONCE = java.util.regex.Pattern.compile("^[A-Za-z0-9_-]{16,128}$");

    public NewConnectSession {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
        checkNonce(nonce);
    }

    /** A page's nonce, if given: 16 to 128 letters, digits, {@code _} or {@code -}; anything else is a 400 naming {@code nonce}. */
    public static String checkNonce(String nonce) {
        if (nonce != null && !NONCE.matcher(nonce).matches()) {
            throw new app.connections.platform.InvalidField("nonce", "nonce must be 16 to 128 letters, digits, _ or -");
        }
        return nonce;
    }

    public NewConnectSession(String app, String label, Map<String, String> fields, String reconnectConnectionId) {
        this(app, label, fields, reconnectConnectionId, null);
    }
}
