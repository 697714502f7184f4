package app.connections.provider.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Name resolution for provider calls: every address a host name has. The client checks them all and
 * connects to one of them, so a name is resolved exactly once per request (no second lookup for
 * DNS rebinding to slip into). Tests stand in for DNS with their own.
 */
@FunctionalInterface
public interface HostResolver {
    InetAddress[] resolve(String host) throws UnknownHostException;

    /** The JVM's resolver (and its cache). */
    static HostResolver system() {
        return InetAddress::getAllByName;
    }
}
