import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A span to record: its name, start time and attributes, as an instrumentation sets them. */
export interface SpanSpec {
  name: string;
  start: string;
  attributes: Record<string, string | number>;
}

/**
 * OTLP/JSON made by the real OpenTelemetry JS SDK: the spans recorded through a tracer, then
 * serialized by its OTLP/JSON exporter's serializer, one ExportTraceServiceRequest.
 */
export function otlpJson(spans: readonly SpanSpec[]): string {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'usage-test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('ai-route-test');
  for (const s of spans) {
    const start = new Date(s.start);
    const span = tracer.startSpan(s.name, { attributes: s.attributes, startTime: start });
    span.end(new Date(start.getTime() + 1000));
  }
  return new TextDecoder().decode(
    JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans()),
  );
}

/**
 * The same request with every int64 as a JSON string, as the protobuf JSON mapping (and the
 * collector's file exporter) writes it; the JS SDK writes numbers.
 */
export function withInt64Strings(json: string): string {
  return JSON.stringify(JSON.parse(json), (key, value: unknown) =>
    key === 'intValue' && typeof value === 'number' ? String(value) : value,
  );
}
