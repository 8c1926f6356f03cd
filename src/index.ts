export { activity, type ActivityContextSnapshot } from './activity.ts';
export { ActivityRecorder, type ActivityAction, type AuditEventSpec, type RecordAuditOptions } from './actions/ActivityRecorder.ts';
export { audited, type AuditedDecorator, type AuditedOptions, type ResourceIdSource } from './actions/audited.ts';
export { startActivity, type ActivityHandle, type StartActivityExtras } from './setup/start-activity.ts';
export { resolveConfig, type ResolveConfigInput } from './config/resolve-config.ts';
export type { ActivityIdentity, ActivityOptions, ActivityUser, AuditOptions, ResolvedConfig } from './config/options.ts';
export { ActivityType, ActivityCategory, AuditAction, ActivityLevel } from './constants.ts';
export type { ActivityCategoryName, ActivityLevelName, ActivityTypeName, AuditActionName } from './constants.ts';
export * as semconv from './semconv.ts';
export { ActivityError, ActivityConfigError, ErrorCode } from './internal/errors.ts';
export type { ActivityStats } from './internal/stats.ts';
export { createMasker, type Masker, type MaskerOptions } from './masking/create-masker.ts';
export { maskValue } from './masking/mask-value.ts';
export { createNarrativeFormatter, type NarrativeFormatter, type NarrativeOptions } from './narrative/format-narrative.ts';
export type { NarrativeTemplate, NarrativeView } from './narrative/narrative-view.ts';
export { ContextEnrichmentLogRecordProcessor } from './processors/ContextEnrichmentLogRecordProcessor.ts';
export { MaskingLogRecordProcessor } from './processors/MaskingLogRecordProcessor.ts';
export { NarrativeLogRecordProcessor } from './processors/NarrativeLogRecordProcessor.ts';
export { ConsoleLogRecordProcessor } from './exporters/ConsoleLogRecordProcessor.ts';
export { JsonFileLogRecordProcessor } from './exporters/JsonFileLogRecordProcessor.ts';
export { RotatingFileWriter, type RotatingFileWriterOptions } from './exporters/RotatingFileWriter.ts';
export { toActivityJson } from './exporters/to-activity-json.ts';
export { openAuditStore, type AuditStoreConfig, type OpenAuditStoreOptions } from './audit/open-audit-store.ts';
export { PostgresAuditLogRecordExporter, type AuditExporterStats, type PostgresAuditLogRecordExporterOptions } from './audit/PostgresAuditLogRecordExporter.ts';
export { auditEventFromLogRecord, type LogRecordLike } from './audit/audit-event-from-log-record.ts';
export { createAuditApi, type AuditApiHandler, type AuditApiOptions } from './audit-api/create-audit-api.ts';
export { ADMIN_ROLE, type AuditApiAuthorize, type AuditApiCaller } from './audit-api/AuditApiCaller.ts';
export { AuditApiErrorCode } from './audit-api/AuditApiError.ts';
export { auditApiFastifyPlugin, type AuditApiFastifyPluginOptions } from './audit-api/audit-api-fastify-plugin.ts';
export { runCli, type CliIo } from './cli/run-cli.ts';
export { CliExitCode } from './cli/CliExitCode.ts';
export { decodeLogsRequest } from './otlp/decode-logs-request.ts';
export { OtlpDecodeError } from './otlp/OtlpDecodeError.ts';
export { otlpEncodingOf, type OtlpEncoding } from './otlp/otlp-encoding-of.ts';
export type { DecodedAttributes, DecodedLogRecord, DecodedScope, DecodedValue } from './otlp/DecodedLogRecord.ts';
export type {
  AuditActor,
  AuditEvent,
  AuditEventInput,
  AuditOutcome,
  AuditSearchFilters,
  AuditStatistics,
  AuditStore,
  ChainHead,
  ExportManifest,
  Page,
  PageOptions,
  TenantScope,
  VerifyResult,
} from './audit/AuditStore.ts';
