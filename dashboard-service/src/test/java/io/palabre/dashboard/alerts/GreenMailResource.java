package io.palabre.dashboard.alerts;

import java.io.IOException;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.palabre.launcher.FreePorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real SMTP server (GreenMail, in the test's JVM) on loopback, and the mailer pointed at it. */
public class GreenMailResource implements QuarkusTestResourceLifecycleManager {

    static volatile GreenMail mail;

    @Override
    public Map<String, String> start() {
        int port;
        try {
            port = FreePorts.next();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return Map.of("quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", Integer.toString(port),
                "quarkus.mailer.start-tls", "DISABLED", "quarkus.mailer.from", "palabre@test.invalid");
    }

    @Override
    public void stop() {
        if (mail != null) {
            mail.stop();
        }
    }
}
