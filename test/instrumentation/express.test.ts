import { describe } from 'vitest';
import { createExpressApp } from '../support/activity-apps.ts';
import { describeHttpActivity } from './http-activity.spec.ts';

describe('HttpActivityInstrumentation with Express 5', () => describeHttpActivity(createExpressApp));
