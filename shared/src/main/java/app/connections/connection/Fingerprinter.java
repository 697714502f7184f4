package app.connections.connection;

/**
 * Port: a keyed fingerprint of a secret (an HMAC under a key the service keeps), used as the
 * external identity when an app's key check names no account. Never a plain hash; never stored
 * beside the secret.
 */
public interface Fingerprinter {
    String fingerprint(String app, String secret);
}
