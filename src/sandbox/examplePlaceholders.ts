/**
 * Real seeded ids for the placeholders in the GraphiQL examples' variables
 * (`<incident id>`, …), so in sandbox mode every example runs as it is.
 */
import { LINK_FIELD, type SeedData } from './seed.js';

export function examplePlaceholders(seed: SeedData): Record<string, string> {
  const claimed = new Map<string, number>();
  for (const row of seed.oneUptimeIncidents) {
    const id = (row.customFields as Record<string, unknown> | null)?.[LINK_FIELD];
    if (typeof id === 'string') claimed.set(id, (claimed.get(id) ?? 0) + 1);
  }
  const open = seed.incidents.filter((i) => i.state === 'INCIDENT_STATE_TRIGGERED');
  const linked = open.find((i) => claimed.get(i.id) === 1);
  const unlinked = open.find((i) => !claimed.has(i.id));
  const user = seed.users.at(-1);
  const placeholders: Record<string, string> = {};
  if (open[0]) placeholders['<incident id>'] = open[0].id;
  if (linked) placeholders['<linked incident id>'] = linked.id;
  if (unlinked) placeholders['<unlinked incident id>'] = unlinked.id;
  if (user) placeholders['<user id>'] = user.id;
  return placeholders;
}
