package io.palabre.analysis.messaging;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.trace.Span;
import io.palabre.support.tracing.RecordTracing;

/**
 * The spans of one batch's mentions, by mention id: each covers its mention's processing here, and the records the
 * mention leads to ({@code threaded-mentions}, {@code routed-mentions}) carry it as their parent, so that a trace
 * follows one mention from its import to dashboard-service's read model. Empty when tracing is off.
 */
final class BatchTraces {

    private static final BatchTraces NONE = new BatchTraces(null);

    private final RecordTracing tracing;
    private final Map<String, Span> spans = new HashMap<>();

    BatchTraces(RecordTracing tracing) {
        this.tracing = tracing;
    }

    /** A batch without traces: its records carry no parent. */
    static BatchTraces none() {
        return NONE;
    }

    /** Opens the span of a mention read from the record, if the record carries a trace context. */
    void open(String mentionId, ConsumerRecord<?, ?> record) {
        if (tracing == null || mentionId == null) {
            return;
        }
        Span span = tracing.process(record.topic(), record.headers());
        if (span.getSpanContext().isValid()) {
            Span earlier = spans.put(mentionId, span);
            if (earlier != null) {
                earlier.end();
            }
        }
    }

    /** Adds the span of the mention, if it has one, to the headers of a record it leads to. */
    void inject(String mentionId, Headers headers) {
        Span span = mentionId == null ? null : spans.get(mentionId);
        if (span != null) {
            tracing.inject(span, headers);
        }
    }

    /** Ends every span: the batch is stored and its results acknowledged by the broker. */
    void end() {
        spans.values().forEach(Span::end);
        spans.clear();
    }
}
