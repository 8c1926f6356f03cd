import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activity, ActivityCategory, ActivityType } from '../../src/index.ts';
import { waitFor } from '../support/http.ts';
import { startTestPipeline, type TestPipeline } from '../support/start-test-pipeline.ts';

describe('ActivityRecorder', () => {
  let pipeline: TestPipeline;
  const recorder = activity.getRecorder('specs', '1.0.0');

  beforeAll(() => {
    pipeline = startTestPipeline({ console: 'off' });
  });
  afterAll(() => pipeline.stop());

  /** The records a call produces. */
  async function recorded(fn: () => void, expected = 1) {
    const before = pipeline.records().length;
    fn();
    await waitFor(() => pipeline.records().length >= before + expected);
    return pipeline.records().slice(before);
  }

  describe('recordAction', () => {
    it('should emit one record named activity.<type> under the recorder\'s scope', async () => {
      const [r] = await recorded(() =>
        activity.withContext({ user: { id: 'u1' }, tenant: 'org-9' }, () =>
          recorder.recordAction({ type: ActivityType.FORM_SUBMISSION, description: "Invoice created: 'INV-7'", data: { invoiceId: 'INV-7' }, result: 'Invoice created', success: true, durationMs: 12.5, category: ActivityCategory.DATA_MANAGEMENT }),
        ),
      );
      expect(r!.eventName).toBe('activity.form_submission');
      expect(r!.instrumentationScope).toMatchObject({ name: 'specs', version: '1.0.0' });
      expect(r!.severityText).toBe('INFO');
      expect(r!.attributes).toMatchObject({
        'activity.type': 'form_submission',
        'activity.category': 'data_management',
        'activity.description': "Invoice created: 'INV-7'",
        'activity.result': 'Invoice created',
        'activity.success': true,
        'activity.duration_ms': 12.5,
        'activity.data': { invoiceId: 'INV-7' },
        'user.id': 'u1',
        'tenant.id': 'org-9',
      });
    });

    it('should accept custom types and levels, and clamp the risk score', async () => {
      const [r] = await recorded(() => recorder.recordAction({ type: 'report_export', description: 'Q3', level: 'warn', riskScore: 250 }));
      expect(r!.eventName).toBe('activity.report_export');
      expect(r!.severityText).toBe('WARN');
      expect(r!.attributes['activity.risk_score']).toBe(100);
    });

    it('should make a failed action WARN and an error ERROR by default', async () => {
      const [failed, error] = await recorded(() => {
        recorder.recordAction({ type: 'click', description: 'pay', success: false });
        recorder.recordAction({ type: 'error', description: 'boom' });
      }, 2);
      expect(failed!.severityText).toBe('WARN');
      expect(error!.severityText).toBe('ERROR');
    });
  });

  describe('helpers', () => {
    it('recordClick should name the element and the page', async () => {
      const [r] = await recorded(() => recorder.recordClick('submit-button', '/create-item'));
      expect(r!.attributes).toMatchObject({ 'activity.type': 'click', 'activity.description': 'submit-button', 'activity.data': { element: 'submit-button', page: '/create-item' } });
      expect(r!.body).toMatch(/^👆 Anonymous user clicked 'submit-button' on '\/create-item' at \d\d:\d\d:\d\d$/);
    });

    it('recordSearch should carry the query and the result count', async () => {
      const [r] = await recorded(() => recorder.recordSearch('python tutorials', 150));
      expect(r!.attributes).toMatchObject({ 'activity.type': 'search', 'activity.result': '150 results', 'activity.data': { query: 'python tutorials', results_count: 150 } });
    });

    it('recordFormSubmission should list validation errors and WARN', async () => {
      const [r] = await recorded(() => recorder.recordFormSubmission('Contact Form', false, ['email is required', 'message too short']));
      expect(r!.severityText).toBe('WARN');
      expect(r!.attributes['activity.result']).toBe('Validation failed: email is required; message too short');
    });

    it('recordAuth should mark a failed login as an authentication failure with a risk score', async () => {
      const [r] = await recorded(() => recorder.recordAuth('login', false, { username: 'bob' }));
      expect(r!.severityText).toBe('WARN');
      expect(r!.attributes).toMatchObject({ 'activity.type': 'auth', 'activity.category': 'authentication', 'activity.success': false, 'activity.result': 'Login failed', 'activity.risk_score': 40 });
    });

    it('recordError should carry the exception type, message and stack', async () => {
      const [r] = await recorded(() => recorder.recordError(new RangeError('Query cannot be empty'), { form: 'search' }));
      expect(r!.severityText).toBe('ERROR');
      expect(r!.attributes).toMatchObject({ 'activity.type': 'error', 'exception.type': 'RangeError', 'exception.message': 'Query cannot be empty', 'activity.description': 'RangeError: Query cannot be empty', 'activity.data': { form: 'search' } });
      expect(String(r!.attributes['exception.stacktrace'])).toContain('RangeError: Query cannot be empty');
    });
  });

  describe('withContext', () => {
    it('should bind identity for background work, across awaits', async () => {
      await activity.withContext({ user: { id: 'job-runner', roles: ['system'] }, tenant: 'org-1', session: 'job-42' }, async () => {
        await new Promise((r) => setTimeout(r, 2));
        expect(activity.current()).toMatchObject({ user: { id: 'job-runner' }, tenantId: 'org-1', sessionId: 'job-42' });
        activity.setTenant('org-2');
        recorder.recordAction({ type: 'custom', description: 'nightly' });
      });
      await waitFor(() => pipeline.records().some((r) => r.attributes['activity.description'] === 'nightly'));
      const r = pipeline.records().find((x) => x.attributes['activity.description'] === 'nightly')!;
      expect(r.attributes).toMatchObject({ 'user.id': 'job-runner', 'user.roles': ['system'], 'tenant.id': 'org-2', 'session.id': 'job-42' });
    });

    it('should do nothing but report when identity is bound outside any scope', () => {
      expect(activity.current()).toBeUndefined();
      expect(activity.setUser({ id: 'nobody' })).toBe(false);
      expect(activity.setTenant('t')).toBe(false);
    });
  });
});

describe('ActivityRecorder before the pipeline starts', () => {
  it('should record nothing and not throw', () => {
    expect(() => activity.getRecorder('early').recordAction({ type: 'click', description: 'x' })).not.toThrow();
  });
});
