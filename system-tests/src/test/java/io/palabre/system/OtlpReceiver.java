package io.palabre.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;

/**
 * An OpenTelemetry collector for tests: it takes OTLP/HTTP trace exports ({@code POST /v1/traces}, protobuf) on
 * loopback and keeps each span with its service. The protobuf wire format is read here for the few fields the tests
 * look at (opentelemetry-proto's trace.proto: ResourceSpans, ScopeSpans, Span), so nothing of the exporters' own code
 * decides what the test sees.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One span as exported: ids in hex, kind as trace.proto numbers it (2 server, 4 producer, 5 consumer). */
    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, int kind) {
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                byte[] bytes = body.readAllBytes();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    bytes = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes)).readAllBytes();
                }
                spans.addAll(decodeExport(bytes));
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** ExportTraceServiceRequest: 1 resource_spans. */
    static List<ReceivedSpan> decodeExport(byte[] bytes) {
        List<ReceivedSpan> out = new ArrayList<>();
        for (Field f : fields(bytes)) {
            if (f.number == 1) {
                decodeResourceSpans(f.bytes, out);
            }
        }
        return out;
    }

    /** ResourceSpans: 1 resource (1 attributes), 2 scope_spans (2 spans). */
    private static void decodeResourceSpans(byte[] bytes, List<ReceivedSpan> out) {
        String service = null;
        List<byte[]> scopes = new ArrayList<>();
        for (Field f : fields(bytes)) {
            if (f.number == 1) {
                for (Field attribute : fields(f.bytes)) {
                    if (attribute.number == 1) {
                        String[] kv = keyValue(attribute.bytes);
                        if ("service.name".equals(kv[0])) {
                            service = kv[1];
                        }
                    }
                }
            } else if (f.number == 2) {
                scopes.add(f.bytes);
            }
        }
        for (byte[] scope : scopes) {
            for (Field f : fields(scope)) {
                if (f.number == 2) {
                    out.add(decodeSpan(service, f.bytes));
                }
            }
        }
    }

    /** Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind. */
    private static ReceivedSpan decodeSpan(String service, byte[] bytes) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        HexFormat hex = HexFormat.of();
        for (Field f : fields(bytes)) {
            switch (f.number) {
                case 1 -> traceId = hex.formatHex(f.bytes);
                case 2 -> spanId = hex.formatHex(f.bytes);
                case 4 -> parent = hex.formatHex(f.bytes);
                case 5 -> name = new String(f.bytes, java.nio.charset.StandardCharsets.UTF_8);
                case 6 -> kind = (int) f.varint;
                default -> {
                }
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parent, name, kind);
    }

    /** KeyValue: 1 key, 2 value (AnyValue: 1 string_value). */
    private static String[] keyValue(byte[] bytes) {
        String key = null;
        String value = null;
        for (Field f : fields(bytes)) {
            if (f.number == 1) {
                key = new String(f.bytes, java.nio.charset.StandardCharsets.UTF_8);
            } else if (f.number == 2) {
                for (Field v : fields(f.bytes)) {
                    if (v.number == 1) {
                        value = new String(v.bytes, java.nio.charset.StandardCharsets.UTF_8);
                    }
                }
            }
        }
        return new String[] { key, value };
    }

    private record Field(int number, long varint, byte[] bytes) {
    }

    /** The fields of one message, in the protobuf wire format. */
    private static List<Field> fields(byte[] bytes) {
        List<Field> out = new ArrayList<>();
        int[] pos = { 0 };
        while (pos[0] < bytes.length) {
            long tag = varint(bytes, pos);
            int number = (int) (tag >>> 3);
            switch ((int) (tag & 7)) {
                case 0 -> out.add(new Field(number, varint(bytes, pos), null));
                case 1 -> pos[0] += 8;
                case 2 -> {
                    int length = (int) varint(bytes, pos);
                    byte[] value = java.util.Arrays.copyOfRange(bytes, pos[0], pos[0] + length);
                    pos[0] += length;
                    out.add(new Field(number, 0, value));
                }
                case 5 -> pos[0] += 4;
                default -> throw new IllegalArgumentException("unsupported wire type in field " + number);
            }
        }
        return out;
    }

    private static long varint(byte[] bytes, int[] pos) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = bytes[pos[0]++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
