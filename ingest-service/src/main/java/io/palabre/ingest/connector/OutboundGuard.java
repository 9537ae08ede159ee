package io.palabre.ingest.connector;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.palabre.ingest.connector.PlatformHttp.PlatformException;

/**
 * Where connectors may connect: a URL named in a listening query (an RSS feed) or a setting must not make
 * ingest-service reach into the network it runs in (server-side request forgery). Every address a host resolves to
 * is checked, at each request and at each redirect: loopback, link-local (cloud metadata at 169.254.169.254
 * included), private, unique-local, carrier-grade NAT, multicast and unspecified addresses are refused, unless the
 * host is named in {@code palabre.connectors.allowed-hosts} (as written in the URL: allowing {@code localhost} does not
 * allow {@code 127.0.0.1}).
 */
@ApplicationScoped
public class OutboundGuard {

    private static final Set<String> SCHEMES = Set.of("http", "https", "ws", "wss");

    private final Set<String> allowedHosts;

    @jakarta.inject.Inject
    public OutboundGuard(ConnectorsConfig config) {
        this(config.allowedHosts().orElse(List.of()));
    }

    OutboundGuard(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** Refuses, with the reason, a URL that connectors must not reach. */
    public void check(URI uri) throws PlatformException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new PlatformException("refused " + uri + ": only http(s) and ws(s) URLs are fetched");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new PlatformException("refused " + uri + ": no host");
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (allowedHosts.contains(name)) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            throw new PlatformException("refused " + uri + ": " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String kind = internal(address);
            if (kind != null) {
                throw new PlatformException("refused " + uri + ": " + host + " is " + address.getHostAddress()
                        + ", a " + kind + " address (allow it with palabre.connectors.allowed-hosts)");
            }
        }
    }

    /** What kind of address of a private network this is, or null for a public one. */
    static String internal(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local (cloud metadata)";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0 || first == 100 && second >= 64 && second < 128 || first == 198 && (second == 18
                    || second == 19) || first >= 240) {
                return "reserved or shared";
            }
        } else if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "unique-local";
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return internal(InetAddress.getByAddress(new byte[] { b[12], b[13], b[14], b[15] }));
                } catch (UnknownHostException impossible) {
                    return "unparseable";
                }
            }
        }
        return null;
    }
}
