package app.connections.vault.aws;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The account data keys one function instance holds (sealing format 2 of {@link KmsEnvelope}), so a
 * refresher run over many connections of one account asks KMS for a data key once, not per
 * credential — the branch-key idea of the AWS KMS hierarchical keyring, with an account as the
 * branch. A key seals at most {@value #MAX_USES} credentials and for at most {@link #MAX_AGE_NANOS}
 * (5 minutes); an unwrapped key is kept for opening for as long, at most {@value #MAX_OPEN_KEYS}
 * of them. Nothing is held before the first request (a SnapStart snapshot carries no key), and a
 * key's bytes are zeroed when it is dropped.
 */
final class DataKeys {
    static final int MAX_USES = 64;
    static final long MAX_AGE_NANOS = 5L * 60 * 1_000_000_000L;
    static final int MAX_OPEN_KEYS = 1_000;

    /** A plaintext data key and its KMS-wrapped form. */
    record DataKey(byte[] plaintext, byte[] wrapped, long createdNanos) {
    }

    private final LongSupplier nanos;
    private final Map<String, DataKey> sealing = new HashMap<>();
    private final Map<String, Integer> uses = new HashMap<>();
    private final Map<String, DataKey> opening = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DataKey> eldest) {
            boolean drop = size() > MAX_OPEN_KEYS;
            if (drop) {
                forget(eldest.getValue());
            }
            return drop;
        }
    };

    DataKeys(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /**
     * A copy of the account's sealing key if it may seal once more (that use counted), else null.
     * The caller zeroes the copy's plaintext when done; the held key is never handed out.
     */
    synchronized DataKey forSealing(String accountId) {
        DataKey key = sealing.get(accountId);
        if (key == null || expired(key) || uses.getOrDefault(accountId, 0) >= MAX_USES) {
            return null;
        }
        uses.merge(accountId, 1, Integer::sum);
        return new DataKey(key.plaintext().clone(), key.wrapped(), key.createdNanos());
    }

    /** A key KMS has just generated for the account: it seals from now on (this first use counted). */
    synchronized void sealWith(String accountId, byte[] plaintext, byte[] wrapped) {
        long now = nanos.getAsLong();
        DataKey replaced = sealing.put(accountId, new DataKey(plaintext.clone(), wrapped.clone(), now));
        if (replaced != null) {
            forget(replaced);
        }
        uses.put(accountId, 1);
        opening.put(wrappedId(wrapped), new DataKey(plaintext.clone(), wrapped.clone(), now));
    }

    /** The unwrapped key for this wrapped key, if this instance holds it still. */
    synchronized byte[] forOpening(byte[] wrapped) {
        DataKey key = opening.get(wrappedId(wrapped));
        if (key == null) {
            return null;
        }
        if (expired(key)) {
            forget(opening.remove(wrappedId(wrapped)));
            return null;
        }
        return key.plaintext().clone();
    }

    /** Keeps a key KMS has just unwrapped, for the next credentials it opens. */
    synchronized void opened(byte[] wrapped, byte[] plaintext) {
        DataKey replaced = opening.put(wrappedId(wrapped), new DataKey(plaintext.clone(), wrapped.clone(), nanos.getAsLong()));
        if (replaced != null) {
            forget(replaced);
        }
    }

    private boolean expired(DataKey key) {
        return nanos.getAsLong() - key.createdNanos() >= MAX_AGE_NANOS;
    }

    private static void forget(DataKey key) {
        Arrays.fill(key.plaintext(), (byte) 0);
    }

    private static String wrappedId(byte[] wrapped) {
        return java.util.Base64.getEncoder().encodeToString(wrapped);
    }
}
