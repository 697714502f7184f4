package app.connections;

import app.connections.local.aws.LocalAws;
import app.connections.platform.Config;
import app.connections.platform.aws.AwsClients;

/** The service's configuration and SDK clients against the local AWS stack, as a function gets them. */
public final class TestStack {
    private static volatile AwsClients clients;

    private TestStack() {
    }

    /** The configuration the template gives the functions (Globals), resolved against the local stack. */
    public static Config config(LocalAws local) {
        return Config.from(local.environmentOf("WorkspacesFunction"));
    }

    public static AwsClients clients() {
        if (clients == null) {
            clients = new AwsClients();
        }
        return clients;
    }
}
