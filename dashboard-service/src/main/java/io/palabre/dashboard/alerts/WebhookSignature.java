package io.palabre.dashboard.alerts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook deliveries: header {@code X-Palabre-Signature: sha256=<hex>}, the HMAC-SHA256 under the rule's secret
 * of the timestamp header's value, a dot, and the body's bytes. Signing the timestamp lets a receiver refuse old
 * replays; the delivery id ({@code X-Palabre-Delivery}) lets it drop a delivery it already took.
 */
public final class WebhookSignature {

    public static final String SIGNATURE = "X-Palabre-Signature";
    public static final String TIMESTAMP = "X-Palabre-Timestamp";
    public static final String DELIVERY = "X-Palabre-Delivery";

    private WebhookSignature() {
    }

    public static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            mac.update(body);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Whether {@code signature} is this body's, compared in constant time. */
    public static boolean verify(String secret, String timestamp, byte[] body, String signature) {
        if (signature == null || timestamp == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(secret, timestamp, body).getBytes(StandardCharsets.UTF_8),
                signature.getBytes(StandardCharsets.UTF_8));
    }
}
