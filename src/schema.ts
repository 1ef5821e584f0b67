/**
 * The executable schema: SDL from `schema/*.graphql` plus the resolvers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { packageRoot } from './config.js';
import { resolvers } from './resolvers/index.js';

export function schemaDirectory(): string {
  return join(packageRoot(), 'schema');
}

export function loadTypeDefs(): string[] {
  const dir = schemaDirectory();
  return readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8'));
}

export function createSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
}
