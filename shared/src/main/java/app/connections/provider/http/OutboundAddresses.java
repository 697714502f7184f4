package app.connections.provider.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which addresses a provider call may reach: public unicast only. Refused are IPv4 "this network"
 * (0/8), RFC 1918 (10/8, 172.16/12, 192.168/16), CGNAT (100.64/10), loopback (127/8), link-local
 * (169.254/16, the instance metadata service among them), IETF protocol assignments (192.0.0/24),
 * benchmarking (198.18/15), multicast (224/4) and reserved/broadcast (240/4); IPv6 unspecified,
 * loopback, unique-local (fc00::/7, AWS's fd00:ec2::254 among them), link-local, site-local and
 * multicast; and IPv6 forms that carry an IPv4 address (mapped ::ffff:0:0/96, compatible ::/96,
 * NAT64 64:ff9b::/96, 6to4 2002::/16) whose IPv4 address is refused.
 */
final class OutboundAddresses {
    private OutboundAddresses() {
    }

    /** True when no provider call may go to {@code address}. */
    static boolean isRefused(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isRefusedV4(b);
        }
        if (address instanceof Inet6Address) {
            byte[] v4 = embeddedV4(b);
            if (v4 != null && isRefusedV4(v4)) {
                return true;
            }
            int first = b[0] & 0xff;
            return address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                    || address.isSiteLocalAddress() || address.isMulticastAddress()
                    || (first & 0xfe) == 0xfc;
        }
        return true;
    }

    /** True for 127/8 and ::1, also in the IPv4-mapped form (the only thing the local stack may reach). */
    static boolean isLoopback(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return true;
        }
        byte[] v4 = address instanceof Inet6Address ? embeddedV4(address.getAddress()) : null;
        return v4 != null && (v4[0] & 0xff) == 127;
    }

    private static boolean isRefusedV4(byte[] b) {
        int a = b[0] & 0xff;
        int c = b[1] & 0xff;
        return a == 0                                   // "this network"
                || a == 10                              // RFC 1918
                || (a == 100 && (c & 0xc0) == 64)       // CGNAT 100.64/10
                || a == 127                             // loopback
                || (a == 169 && c == 254)               // link-local, instance metadata
                || (a == 172 && (c & 0xf0) == 16)       // RFC 1918
                || (a == 192 && c == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                || (a == 192 && c == 168)               // RFC 1918
                || (a == 198 && (c & 0xfe) == 18)       // benchmarking 198.18/15
                || a >= 224;                            // multicast, reserved, broadcast
    }

    /** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), or null. */
    private static byte[] embeddedV4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        boolean mapped = firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = firstTenZero && b[10] == 0 && b[11] == 0
                && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1)); // not :: nor ::1
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0 && b[8] == 0 && b[9] == 0 && b[10] == 0 && b[11] == 0;
        if (mapped || compatible || nat64) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) { // 6to4: 2002:AABB:CCDD::/48
            return new byte[] {b[2], b[3], b[4], b[5]};
        }
        return null;
    }
}
