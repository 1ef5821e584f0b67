/** The problems the one start-up message lists for an environment (none: []). */
import { ConfigError, loadConfig } from '../../src/config.js';

export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
