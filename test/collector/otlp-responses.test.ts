import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { exportLogsResponse, RpcCode, statusBody } from '../../collector/otlp-responses.ts';

describe('exportLogsResponse', () => {
  it('should be an empty ExportLogsServiceResponse when everything was accepted', () => {
    expect(exportLogsResponse('protobuf').body).toHaveLength(0);
    expect(JSON.parse(exportLogsResponse('json').body.toString())).toEqual({});
  });

  it("should carry partial_success as the SDK's own deserializer reads it", () => {
    const { body, contentType } = exportLogsResponse('protobuf', 3, 'refused by the database');

    expect(contentType).toBe('application/x-protobuf');
    expect(ProtobufLogsSerializer.deserializeResponse(body)).toMatchObject({ partialSuccess: { errorMessage: 'refused by the database' } });
    expect(Number(ProtobufLogsSerializer.deserializeResponse(body).partialSuccess?.rejectedLogRecords)).toBe(3);
    expect(JSON.parse(exportLogsResponse('json', 2, 'x').body.toString())).toEqual({ partialSuccess: { rejectedLogRecords: '2', errorMessage: 'x' } });
  });
});

describe('statusBody', () => {
  it('should encode google.rpc.Status in the request encoding', () => {
    expect(JSON.parse(statusBody('json', RpcCode.UNAVAILABLE, 'down').body.toString())).toEqual({ code: 14, message: 'down' });
    expect([...statusBody('protobuf', RpcCode.INVALID_ARGUMENT, 'bad').body]).toEqual([0x08, 0x03, 0x12, 0x03, 0x62, 0x61, 0x64]);
    expect(statusBody(undefined, 3, 'x').contentType).toBe('application/json');
  });
});
