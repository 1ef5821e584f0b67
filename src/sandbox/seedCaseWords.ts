/**
 * The words seeded cases are made of, beside `seedVocabulary.ts`: security
 * problems (the SECURITY category), comments, resolution reasons and AI
 * summaries, so the Cases screens read like a real on-call week.
 */

/** Security cases (S1 `CASE_CATEGORY_SECURITY`); availability cases use `PROBLEMS`. */
export const SECURITY_PROBLEMS = [
  'Brute-force login attempts against {svc}',
  'Suspicious use of an admin API key in {svc}',
  'Impossible-travel sign-in by a {svc} operator',
  'Spike in WAF blocks on {svc}-edge',
  'Outbound traffic from {svc} to a known-bad IP',
  'Privilege escalation attempt in the {svc} cluster',
] as const;

export const CASE_COMMENTS = [
  'Looking into it now.',
  'Rolled back the last {svc} deploy; watching the error rate.',
  'Same alert fired last week, see the linked postmortem.',
  'Paging the {svc} owners, this needs a second pair of eyes.',
  'Customer support confirms reports from two enterprise accounts.',
  'Scaled {svc} from 6 to 10 replicas as a stopgap.',
  'Root cause looks like the connection pool limit on {svc}-db-1.',
  'False alarm candidate: the synthetic check ran against staging.',
  'Fix is merged, waiting for the canary to finish.',
  'Blocked the source IP range at the edge.',
] as const;

export const RESOLUTION_REASONS = [
  'Rolled back the faulty {svc} release.',
  'Raised the {svc} connection pool limit and restarted the pods.',
  'Upstream provider incident ended; {svc} recovered on its own.',
  'False positive: the alert threshold was too tight for {svc}.',
  'Rotated the leaked credentials and revoked the sessions.',
  'Disk cleaned up and retention lowered on {svc}-db-1.',
] as const;

export const AI_SUMMARIES = [
  '{n} alerts on {svc} were grouped into this case. Error rates rose within minutes of a deploy; the traces point at the {svc}-db-1 connection pool.',
  'Traffic to {svc} dropped sharply while the edge kept answering 200s. The pattern matches a DNS change rolled out in the same window.',
  'Latency on {svc}-api rose in step with queue depth on {svc}-worker; {n} alerts share the same deployment as their most likely trigger.',
  'Sign-in failures on {svc} come from a small set of IP ranges at a steady rate, consistent with credential stuffing rather than an outage.',
] as const;

export const OLLY_ROOT_CAUSES = [
  'Connection pool exhaustion on {svc}-db-1 after the pool size change.',
  'A memory leak in the {svc} image released today.',
  'Credential stuffing from a botnet against {svc} sign-in.',
] as const;

export const OLLY_RECOMMENDATIONS = [
  'Roll back the latest {svc} deployment.',
  'Add an alert on pool saturation before requests time out.',
  'Rate-limit sign-in attempts per IP range at the edge.',
  'Pin the {svc} image to the previous release until the fix lands.',
] as const;

export const NOTIFICATION_ERRORS = [
  'Slack channel #{svc}-alerts not found',
  'PagerDuty routing key rejected (401)',
  'Webhook https://hooks.example.com/{svc} timed out after 10s',
] as const;
