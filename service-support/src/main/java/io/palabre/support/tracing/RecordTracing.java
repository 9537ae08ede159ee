package io.palabre.support.tracing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * Follows one record through a service that reads and writes Kafka records in batches, where the messaging layer's
 * own spans cannot say which record a write came from: the trace context travels in each record's headers
 * ({@code traceparent}, W3C), a span covers the record's processing in this service, and the records it leads to
 * carry that span as their parent. With tracing off (the SDK disabled, or a record without a context), nothing is
 * made and nothing is added to any record.
 */
public final class RecordTracing {

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header header = headers.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public RecordTracing(OpenTelemetry openTelemetry, String instrumentationName) {
        this.tracer = openTelemetry.getTracer(instrumentationName);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /**
     * A span for the processing of one record read from {@code topic}, child of the context its headers carry; an
     * invalid span (ending it does nothing) when they carry none.
     */
    public Span process(String topic, Headers headers) {
        Context parent = propagator.extract(Context.root(), headers, GETTER);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(topic + " process").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", topic)
                .startSpan();
    }

    /** Adds the span's context to the headers of a record it leads to; nothing for an invalid span. */
    public void inject(Span span, Headers headers) {
        if (span.getSpanContext().isValid()) {
            propagator.inject(Context.root().with(span), headers, SETTER);
        }
    }
}
