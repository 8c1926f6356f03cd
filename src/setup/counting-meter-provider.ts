import { type Attributes, createNoopMeter, type Meter, type MeterProvider } from '@opentelemetry/api';
import { reportError } from '../internal/report-error.ts';

/**
 * A MeterProvider that only listens to the SDK processors' own self-observability
 * counter (`otel.sdk.processor.log.processed`), to count what the standard batch
 * processors would otherwise drop silently: a full queue (`error.type=queue_full`)
 * becomes `dropped`, a failed export becomes `failed`.
 */
export function countingMeterProvider(output: string): MeterProvider {
  const noop = createNoopMeter();
  const meter: Meter = Object.create(noop);
  meter.createCounter = (name: string, options?: object) => {
    if (name !== 'otel.sdk.processor.log.processed') return noop.createCounter(name, options);
    return {
      add(value: number, attributes?: Attributes) {
        const errorType = attributes?.['error.type'];
        if (errorType === undefined) return;
        if (errorType === 'queue_full') reportError('dropped', `${output} queue full`, new Error('record dropped'), value);
        else reportError('failed', `${output} export`, new Error(String(errorType)), value);
      },
    };
  };
  return { getMeter: () => meter };
}
