import { createAwsDependencies } from '#config/aws-dependencies';
import { runExpiryAlerts } from '#services/expiry-alerts';

const deps = createAwsDependencies();

/** Daily, from EventBridge Scheduler in the district's time zone. Safe to rerun: alerts go out once. */
export const handler = () => runExpiryAlerts(deps);
