/**
 * What a request read and wrote, as tags, so a shared response cache can drop
 * exactly the cached reads a mutation made stale. Loaders record tags; the
 * response cache (when Redis is configured) stores and evicts by them.
 */
export interface CacheTags {
  read(tag: string): void;
  wrote(tag: string): void;
}

export const TAG = {
  incident: (id: string) => `incident:${id}`,
  /** Any incidents list: a write may move incidents in or out of a filter. */
  incidentLists: 'list:incidents',
  /** Any list of a OneUptime resource: a create or delete changes it. */
  list: (resource: string) => `list:${resource}`,
  roles: 'roles',
  /** The link of one Coralogix incident to OneUptime (written by link mutations). */
  link: (coralogixId: string) => `link:${coralogixId}`,
} as const;

export class TagSet implements CacheTags {
  readonly reads = new Set<string>();
  readonly writes = new Set<string>();

  read(tag: string): void {
    this.reads.add(tag);
  }

  wrote(tag: string): void {
    this.writes.add(tag);
  }
}

/** For callers that do not cache (tests, the bench's naive baseline). */
export const NO_TAGS: CacheTags = { read: () => undefined, wrote: () => undefined };
