import { Chalk, type ChalkInstance } from 'chalk';

/** Color only on a terminal, unless NO_COLOR or FORCE_COLOR says otherwise (logger and tables alike). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** Basic 16 colors at most: they follow the user's terminal theme. */
export function createChalk(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}
