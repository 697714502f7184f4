package app.connections.local.aws;

import java.util.Map;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/**
 * Users of the local user pools, created the way an operator would (AdminCreateUser, then a
 * permanent password so the NEW_PASSWORD_REQUIRED challenge is settled), and their ID tokens —
 * the tokens the builder and the portal send, carrying the custom attributes as claims.
 */
public final class CognitoUsers {
    private final StackDescription stack;
    private final CognitoIdentityProviderClient cognito;

    public CognitoUsers(StackDescription stack) {
        this.stack = stack;
        this.cognito = stack.clients().cognito();
    }

    /** Creates the user (or leaves an existing one) with these custom attributes and password. */
    public void ensure(String poolLogicalId, String email, Map<String, String> attributes, String password) {
        StackDescription.UserPool pool = pool(poolLogicalId);
        try {
            cognito.adminCreateUser(b -> b.userPoolId(pool.userPoolId()).username(email)
                    .messageAction("SUPPRESS")
                    .userAttributes(java.util.stream.Stream.concat(
                            java.util.stream.Stream.of(attr("email", email), attr("email_verified", "true")),
                            attributes.entrySet().stream().map(e -> attr(e.getKey(), e.getValue()))).toList()));
        } catch (UsernameExistsException exists) {
            cognito.adminUpdateUserAttributes(b -> b.userPoolId(pool.userPoolId()).username(email)
                    .userAttributes(attributes.entrySet().stream().map(e -> attr(e.getKey(), e.getValue())).toList()));
        }
        cognito.adminSetUserPassword(b -> b.userPoolId(pool.userPoolId()).username(email).password(password).permanent(true));
    }

    /** A fresh ID token for the user. */
    public String idToken(String poolLogicalId, String email, String password) {
        StackDescription.UserPool pool = pool(poolLogicalId);
        return cognito.adminInitiateAuth(b -> b.userPoolId(pool.userPoolId()).clientId(pool.clientId())
                        .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", email, "PASSWORD", password)))
                .authenticationResult().idToken();
    }

    private StackDescription.UserPool pool(String logicalId) {
        StackDescription.UserPool pool = stack.userPools().get(logicalId);
        if (pool == null) {
            throw new IllegalArgumentException("the template has no user pool " + logicalId + " with an app client");
        }
        return pool;
    }

    private static AttributeType attr(String name, String value) {
        return AttributeType.builder().name(name).value(value).build();
    }
}
