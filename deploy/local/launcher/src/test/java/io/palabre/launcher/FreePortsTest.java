package io.palabre.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Ports for the processes of a stack: each free, never twice, away from the ports of outgoing connections. */
class FreePortsTest {

    @Test
    void portsAreDistinctBindableAndBelowTheEphemeralRange() throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = FreePorts.next();
            assertTrue(port >= 20_000 && port < 32_768, "port " + port);
            ports.add(port);
        }
        assertEquals(200, ports.size(), "never the same port twice");
        int port = FreePorts.next();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            assertEquals(port, socket.getLocalPort(), "a service can listen on it");
        }
    }
}
