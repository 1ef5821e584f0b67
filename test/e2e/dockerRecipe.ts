/**
 * The Dockerfile, run without Docker: this machine has no container runtime,
 * so each stage becomes a directory and its instructions are carried out as
 * plain commands there (COPY copies, RUN runs under `sh -c` with the stage's
 * ENV, `--from=` reads another stage's directory). What cannot be done without
 * a runtime (FROM's base image, USER) is parsed and handed back for the test
 * to check or imitate. An instruction it does not know fails the run, so the
 * Dockerfile cannot grow a step this copy silently skips.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, posix } from 'node:path';

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** Instructions, with `\` continuations joined and comments dropped, grouped by FROM. */
export function parseDockerfile(text: string): { globalArgs: Instruction[]; stages: Stage[] } {
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let source = lines[i]!;
    if (/^\s*(#|$)/.test(source)) continue;
    while (source.endsWith('\\') && i + 1 < lines.length) {
      source = `${source.slice(0, -1)} ${lines[++i]!.trim()}`;
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(source);
    if (!match) throw new Error(`Dockerfile line ${start + 1}: cannot read "${source}"`);
    const instruction = {
      keyword: match[1]!.toUpperCase(),
      args: match[2]!.trim(),
      line: start + 1,
    };
    if (instruction.keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!from)
        throw new Error(`Dockerfile line ${start + 1}: cannot read FROM ${instruction.args}`);
      stages.push({ name: from[2] ?? String(stages.length), from: from[1]!, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') {
        throw new Error(`Dockerfile line ${start + 1}: ${instruction.keyword} before FROM`);
      }
      globalArgs.push(instruction);
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** `["a", "b"]` (exec form) as an argument list. */
export function execForm(args: string, line: number): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`Dockerfile line ${line}: expected a JSON array of strings, got ${args}`);
  }
  return parsed as string[];
}

/** `K=V K2=V2` (the form without quotes). */
function parseEnv(args: string, line: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of args.split(/\s+/)) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=([^"'\s]*)$/.exec(pair);
    if (!match) throw new Error(`Dockerfile line ${line}: cannot read ENV pair "${pair}"`);
    env[match[1]!] = match[2]!;
  }
  return env;
}

export interface CommandResult {
  code: number | null;
  output: string;
}

export function runShell(
  command: string,
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('close', (code) => resolve({ code, output }));
  });
}

export interface BuiltStage {
  name: string;
  from: string;
  /** The stage's WORKDIR, as a directory on this machine. */
  dir: string;
  workdir: string;
  /** Its ENV instructions, in order. */
  env: Record<string, string>;
  user?: string;
  expose: string[];
  healthcheck?: { options: string; command: string[] };
  cmd?: string[];
  /** Each RUN command (BuildKit `--mount` options removed) with what it printed. */
  runs: Array<{ command: string; output: string; substituted: boolean }>;
}

export interface BuildOptions {
  /** The build context: a copy of the repository. */
  context: string;
  /** Where the stage directories go. */
  root: string;
  /** The environment RUN commands start from (PATH, npm's cache settings…). */
  env: NodeJS.ProcessEnv;
  /**
   * Lets the test stand in for a RUN command whose result it already has (the
   * fresh clone's install); returns true when it did.
   */
  substitute?: (stage: BuiltStage, command: string) => boolean;
}

/** Carries out every stage in order; returns them by name. */
export async function buildStages(
  dockerfile: { stages: Stage[] },
  options: BuildOptions,
): Promise<Map<string, BuiltStage>> {
  const built = new Map<string, BuiltStage>();
  for (const stage of dockerfile.stages) {
    const result: BuiltStage = {
      name: stage.name,
      from: stage.from,
      dir: join(options.root, stage.name),
      workdir: '/',
      env: {},
      expose: [],
      runs: [],
    };
    mkdirSync(result.dir, { recursive: true });
    for (const { keyword, args, line } of stage.instructions) {
      const where = `Dockerfile line ${line} (${stage.name})`;
      switch (keyword) {
        case 'WORKDIR':
          if (result.runs.length > 0 || !posix.isAbsolute(args)) {
            throw new Error(`${where}: only one absolute WORKDIR, before any RUN, is supported`);
          }
          result.workdir = args;
          break;
        case 'COPY': {
          const words = args.split(/\s+/);
          const from = words[0]?.startsWith('--from=') ? words.shift()!.slice(7) : undefined;
          if (words.some((word) => word.startsWith('--'))) {
            throw new Error(`${where}: unsupported COPY option in ${args}`);
          }
          const dest = words.pop()!;
          const source = from === undefined ? undefined : built.get(from);
          if (from !== undefined && !source) throw new Error(`${where}: no stage named ${from}`);
          for (const src of words) {
            let path: string;
            if (source) {
              const inStage = posix.relative(source.workdir, src);
              if (inStage.startsWith('..'))
                throw new Error(`${where}: ${src} is outside ${from}'s WORKDIR`);
              path = join(source.dir, inStage);
            } else {
              if (isAbsolute(src) || src.includes('..'))
                throw new Error(`${where}: ${src} leaves the context`);
              path = join(options.context, src);
            }
            if (!existsSync(path)) throw new Error(`${where}: ${src} does not exist`);
            // COPY of a directory copies its contents; `./` or a trailing `/` means into that directory.
            const target = join(result.dir, dest);
            const into = dest.endsWith('/') && !statSync(path).isDirectory();
            cpSync(path, into ? join(target, basename(path)) : target, { recursive: true });
          }
          break;
        }
        case 'RUN': {
          const command = args.replace(/^(--\S+\s+)+/, (options_) => {
            if (!/^(--mount=type=cache,\S+\s+)+$/.test(options_)) {
              throw new Error(`${where}: unsupported RUN option in ${args}`);
            }
            return '';
          });
          if (options.substitute?.(result, command)) {
            result.runs.push({ command, output: '', substituted: true });
            break;
          }
          const run = await runShell(command, {
            cwd: result.dir,
            env: { ...options.env, ...result.env },
          });
          result.runs.push({ command, output: run.output, substituted: false });
          if (run.code !== 0) {
            throw new Error(
              `${where}: "${command}" exited ${run.code}:\n${run.output.slice(-3000)}`,
            );
          }
          break;
        }
        case 'ENV':
          Object.assign(result.env, parseEnv(args, line));
          break;
        case 'USER':
          result.user = args;
          break;
        case 'EXPOSE':
          result.expose.push(...args.split(/\s+/));
          break;
        case 'HEALTHCHECK': {
          const match = /^((?:--\S+\s+)*)CMD\s+(\[.*\])$/.exec(args);
          if (!match) throw new Error(`${where}: expected HEALTHCHECK [options] CMD [exec form]`);
          result.healthcheck = { options: match[1]!.trim(), command: execForm(match[2]!, line) };
          break;
        }
        case 'CMD':
          result.cmd = execForm(args, line);
          break;
        default:
          throw new Error(`${where}: ${keyword} is not one this test knows how to carry out`);
      }
    }
    built.set(stage.name, result);
  }
  return built;
}
