package app.connections.vault.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.s;

import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.SecretRef;
import app.connections.vault.Vault;
import app.connections.vault.VaultException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@link Vault} on the service's DynamoDB table (docs/scale.md, the DynamoDB vault mode): each
 * credential sealed exactly as in Secrets Manager mode ({@link KmsEnvelope}: a KMS data key per
 * version, the encryption context naming account, workspace and connection) and stored in the
 * connection's own item {@code pk = VAULT#<connectionId>, sk = SECRET}, with the previous version kept. No per-secret fee and no
 * 50 writes/s account quota: a write is one conditional DynamoDB update plus one KMS request.
 *
 * <p>Deletion keeps the item for the recovery window ({@code deleteAfter}; reads refuse it at once)
 * and {@code ttl} purges it after; nothing depends on TTL for correctness.
 */
public final class DynamoDbVault implements Vault {
    /** References of this vault: {@code dynamodb:<id>}. */
    static final String PREFIX = "dynamodb:";
    private static final String SK = "SECRET";

    private final DynamoDbClient dynamo;
    private final String table;
    private final KmsEnvelope envelope;
    private final Clock clock;

    public DynamoDbVault(DynamoDbClient dynamo, String table, KmsClient kms, String kmsKeyId, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.envelope = new KmsEnvelope(kms, kmsKeyId);
        this.clock = clock;
    }

    static boolean holds(SecretRef ref) {
        return ref.id().startsWith(PREFIX);
    }

    private static Map<String, AttributeValue> key(SecretRef ref) {
        return Map.of("pk", s("VAULT#" + ref.id().substring(PREFIX.length())), "sk", s(SK));
    }

    /**
     * The connection's one item (its id names the connection), created, or brought back and given
     * this credential as its current version when it exists (a copy repeated after a crash).
     */
    SecretRef createOrReplace(SecretOwner owner, Credential credential) {
        try {
            return create(owner, credential);
        } catch (VaultException exists) {
            if (!(exists.getCause() instanceof ConditionalCheckFailedException)) {
                throw exists;
            }
            SecretRef ref = refOf(owner);
            String sealed = envelope.seal(owner, credential);
            try {
                dynamo.updateItem(b -> b.tableName(table).key(key(ref))
                        .updateExpression("SET previous = sealed, sealed = :sealed, secretVersion = secretVersion + :one REMOVE deleteAfter, #ttl")
                        .expressionAttributeNames(Map.of("#ttl", "ttl"))
                        .expressionAttributeValues(Map.of(":sealed", s(sealed), ":one", n(1))));
            } catch (SdkException e) {
                throw KmsEnvelope.failure("could not store the connection secret", e);
            }
            return ref;
        }
    }

    private static SecretRef refOf(SecretOwner owner) {
        return new SecretRef(PREFIX + owner.connectionId());
    }

    @Override
    public SecretRef create(SecretOwner owner, Credential credential) {
        SecretRef ref = refOf(owner);
        Map<String, AttributeValue> item = new HashMap<>(key(ref));
        item.put("type", s("vault-secret"));
        item.put("sealed", s(envelope.seal(owner, credential)));
        item.put("secretVersion", n(1));
        // who it belongs to, for audit and IAM conditions only: opening needs the same context from the caller
        item.put("accountId", s(owner.accountId()));
        item.put("connectionId", s(owner.connectionId()));
        item.put("app", s(owner.app()));
        item.put("createdAt", s(clock.instant().toString()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            throw new VaultException("the connection already has a secret", e);
        } catch (SdkException e) {
            throw KmsEnvelope.failure("could not store the connection secret", e);
        }
        return ref;
    }

    @Override
    public void putVersion(SecretRef ref, SecretOwner owner, Credential credential) {
        String sealed = envelope.seal(owner, credential);
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(ref))
                    .updateExpression("SET previous = sealed, sealed = :sealed, secretVersion = secretVersion + :one, updatedAt = :now")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(deleteAfter)")
                    .expressionAttributeValues(Map.of(":sealed", s(sealed), ":one", n(1), ":now", s(clock.instant().toString()))));
        } catch (ConditionalCheckFailedException e) {
            throw new VaultException("the connection secret is gone or scheduled for deletion", e);
        } catch (SdkException e) {
            throw KmsEnvelope.failure("could not store a new version of the connection secret", e);
        }
    }

    @Override
    public Credential read(SecretRef ref, SecretOwner owner) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(b -> b.tableName(table).key(key(ref)).consistentRead(true)).item();
        } catch (SdkException e) {
            throw KmsEnvelope.failure("could not read the connection secret", e);
        }
        if (item == null || item.isEmpty() || item.containsKey("deleteAfter")) {
            throw new VaultException("the connection secret is gone or scheduled for deletion", null);
        }
        return envelope.open(owner, item.get("sealed").s());
    }

    /** The version before the current one (kept for one change), if there is one. */
    public java.util.Optional<Credential> previous(SecretRef ref, SecretOwner owner) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(ref)).consistentRead(true)).item();
        return item == null || !item.containsKey("previous") ? java.util.Optional.empty()
                : java.util.Optional.of(envelope.open(owner, item.get("previous").s()));
    }

    @Override
    public void scheduleDeletion(SecretRef ref, int recoveryWindowDays) {
        if (recoveryWindowDays < 7 || recoveryWindowDays > 30) {
            throw new IllegalArgumentException("recovery window must be 7 to 30 days");
        }
        Instant deleteAfter = clock.instant().plus(java.time.Duration.ofDays(recoveryWindowDays));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(ref))
                    .updateExpression("SET deleteAfter = if_not_exists(deleteAfter, :after), #ttl = if_not_exists(#ttl, :ttl)")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":after", s(deleteAfter.toString()), ":ttl", n(deleteAfter.getEpochSecond()))));
        } catch (ConditionalCheckFailedException gone) {
            // never stored, or purged already: deleting is idempotent
        } catch (SdkException e) {
            throw KmsEnvelope.failure("could not schedule the connection secret for deletion", e);
        }
    }

    /** Takes a scheduled deletion back within the recovery window. */
    public void restore(SecretRef ref) {
        dynamo.updateItem(b -> b.tableName(table).key(key(ref)).updateExpression("REMOVE deleteAfter, #ttl")
                .expressionAttributeNames(Map.of("#ttl", "ttl")));
    }

    @Override
    public boolean spendsSharedWriteQuota(SecretRef ref) {
        return false;
    }
}
