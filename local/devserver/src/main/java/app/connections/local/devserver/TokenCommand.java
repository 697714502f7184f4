package app.connections.local.devserver;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.StackDescription;

/** {@code bin/token <email>}: prints a fresh ID token for a seeded user of the running dev stack. */
public final class TokenCommand {
    private TokenCommand() {
    }

    public static void main(String[] args) {
        Seed seed = Seed.load();
        if (args.length != 1) {
            System.err.println("usage: bin/token <email>\nseeded users: " + String.join(", ", seed.emails()));
            System.exit(2);
        }
        var file = LocalAws.projectRoot().resolve(".local/stack.json");
        if (!java.nio.file.Files.exists(file)) {
            System.err.println("no running dev stack (" + file + "); start it with bin/local");
            System.exit(1);
        }
        StackDescription stack = StackDescription.read(file);
        System.out.println(seed.token(stack, args[0]));
    }
}
