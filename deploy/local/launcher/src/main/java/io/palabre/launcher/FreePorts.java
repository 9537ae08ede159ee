package io.palabre.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the processes a stack starts, each free when chosen and never handed out twice by this JVM. They are
 * taken below the range the operating system draws the local ports of outgoing connections from (32768 and up on
 * Linux, 49152 and up elsewhere): a port asked of the system with {@code new ServerSocket(0)} comes from that range,
 * and between the choice and the service's start a client connection (to the broker, to PostgreSQL) may take it.
 */
public final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_767;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** A port nothing listens on now, below the ephemeral range, not handed out before by this JVM. */
    public static synchronized int next() throws IOException {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST + 1);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(port));
            } catch (IOException inUse) {
                continue;
            }
            HANDED_OUT.add(port);
            return port;
        }
        throw new IOException("No free port between " + LOWEST + " and " + HIGHEST + " after 1,000 tries");
    }
}
