/**
 * LogQL fragments shared by the dashboards and the alert rules. Field names are those
 * Loki stores for otel-activity records after its OTLP translation (dots become
 * underscores: `user.id` -> `user_id`): `service_name` is the only stream label used;
 * everything else is structured metadata, filtered after a pipe. The test
 * test/grafana/logql-fields.test.ts checks each name against a real SDK record.
 */

/** The selected services' streams. */
export const SERVICE = '{service_name=~"$service"}';

/** Tenant and user filters (structured metadata, never labels). */
export const IDENTITY = '| tenant_id=~"$tenant" | user_id=~"$user"';

/** HTTP API calls of the selected services, tenant and user. */
export const API_CALLS = `${SERVICE} | activity_type="api_call" ${IDENTITY}`;

/** Failed logins: auth records with activity.success=false. */
export const FAILED_LOGINS = '| activity_type="auth" | activity_success="false"';

/** Request duration as a sample value, dropping records whose duration does not parse. */
export const UNWRAP_DURATION = '| unwrap activity_duration_ms | __error__=""';

/**
 * Drops lines whose numeric filter could not parse its label (Loki marks them with
 * `__error__`, and a metric query over such lines fails as a whole).
 */
export const NO_ERRORS = '| __error__=""';

/**
 * The account a failed login is about: the bound user when the app knows one, else the
 * attempted username the app passed to `recordAuth('login', false, { username })`
 * (kept as `activity.data.username`). Defines the `login_user` label for grouping.
 */
export const LOGIN_USER = '| label_format login_user=`{{ if .user_id }}{{ .user_id }}{{ else }}{{ .activity_data_username }}{{ end }}`';
