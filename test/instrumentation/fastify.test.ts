import { describe } from 'vitest';
import { createFastifyApp } from '../support/activity-apps.ts';
import { describeHttpActivity } from './http-activity.spec.ts';

describe('HttpActivityInstrumentation with Fastify 5', () => describeHttpActivity(createFastifyApp));
