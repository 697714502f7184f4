package app.connections.local.devserver;

import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.StackDescription;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

/**
 * {@code bin/token <email>}: prints a fresh ID token for a user of the running dev stack — a seeded
 * one, or one added with {@code bin/user add} (any pool; the local dev password).
 */
public final class TokenCommand {
    private TokenCommand() {
    }

    public static void main(String[] args) {
        Seed seed = Seed.load();
        if (args.length != 1 || args[0].startsWith("-")) {
            throw LocalCommands.exit(2, "usage: bin/token <email>\nseeded users: " + String.join(", ", seed.emails())
                    + "\nadd others with bin/user add");
        }
        StackDescription stack = LocalCommands.runningStack();
        String email = args[0];
        try {
            String pool = seed.users().stream().filter(u -> u.email().equalsIgnoreCase(email)).map(Seed.User::pool).findFirst()
                    .or(() -> poolOf(stack, email))
                    .orElseThrow(() -> LocalCommands.fail("no user " + email + " in the local user pools; seeded: "
                            + String.join(", ", seed.emails()) + "; add one with bin/user add " + email + " --account <id> ..."));
            System.out.println(new CognitoUsers(stack).idToken(pool, email, seed.password()));
        } catch (NotAuthorizedException e) {
            throw LocalCommands.fail(email + " does not sign in with the local dev password (not made by bin/local or bin/user); "
                    + "bin/user add " + email + " ... sets it");
        } catch (SdkException e) {
            throw LocalCommands.fail("the local stack at " + stack.endpoint() + " failed: " + e.getMessage());
        }
    }

    /** The logical id of the user pool that holds this user, if any does. */
    static Optional<String> poolOf(StackDescription stack, String email) {
        var cognito = stack.clients().cognito();
        for (var pool : stack.userPools().entrySet()) {
            try {
                cognito.adminGetUser(b -> b.userPoolId(pool.getValue().userPoolId()).username(email));
                return Optional.of(pool.getKey());
            } catch (UserNotFoundException notHere) {
                // the next pool
            }
        }
        return Optional.empty();
    }
}
