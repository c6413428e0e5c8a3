import { createAwsDependencies } from '#config/aws-dependencies';
import { runRetention } from '#services/retention';

const deps = createAwsDependencies();

/** Daily, from EventBridge Scheduler: deletes learners past the district's retention date. Resumable. */
export const handler = () => runRetention(deps);
