/**
 * Real seeded ids for the placeholders in the GraphiQL examples' variables
 * (`<incident id>`, `<case id>`, …), so in sandbox mode every example runs as it is.
 */
import { CASE_LINK_FIELD, LINK_FIELD, type SeedData } from './seed.js';

/** How many OneUptime incidents claim each id under `field`. */
function claims(seed: SeedData, field: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of seed.oneUptimeIncidents) {
    const id = (row.customFields as Record<string, unknown> | null)?.[field];
    if (typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

export function examplePlaceholders(seed: SeedData): Record<string, string> {
  const claimed = claims(seed, LINK_FIELD);
  const open = seed.incidents.filter((i) => i.state === 'INCIDENT_STATE_TRIGGERED');
  const linked = open.find((i) => claimed.get(i.id) === 1);
  const unlinked = open.find((i) => !claimed.has(i.id));
  const user = seed.users.at(-1);
  const placeholders: Record<string, string> = {};
  if (open[0]) placeholders['<incident id>'] = open[0].id;
  if (linked) placeholders['<linked incident id>'] = linked.id;
  if (unlinked) placeholders['<unlinked incident id>'] = unlinked.id;
  if (user) placeholders['<user id>'] = user.id;
  // Cases: an active one (by readable id, as a person would type it), linked or not.
  const caseClaims = claims(seed, CASE_LINK_FIELD);
  const active = seed.cases
    .map((record) => record.case)
    .filter((c) => c.status === 'CASE_STATUS_ACTIVE' || c.status === 'CASE_STATUS_ACKNOWLEDGED');
  const linkedCase = active.find((c) => caseClaims.get(c.id) === 1);
  const unlinkedCase = active.find((c) => !caseClaims.has(c.id));
  if (active[0]?.readableId) placeholders['<case id>'] = active[0].readableId;
  if (linkedCase) placeholders['<linked case id>'] = linkedCase.id;
  if (unlinkedCase) placeholders['<unlinked case id>'] = unlinkedCase.id;
  return placeholders;
}
