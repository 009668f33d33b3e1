import type { ChalkInstance } from 'chalk';

/**
 * The one color decision, for the logger and tables alike: color only on a terminal, unless
 * NO_COLOR or FORCE_COLOR says otherwise. Chalk (and the tty probing it does on load) is loaded
 * only when color is on: scripts and pipes never pay for it.
 */
export function useColor(stream: () => { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  // Asked last, and only then opened: a stream of the process costs a few milliseconds to open.
  return Boolean(stream().isTTY);
}

/** The few styles the CLI uses. */
export type Styles = Pick<ChalkInstance, 'bold' | 'dim' | 'green' | 'yellow'>;

const plain = (text: string) => text;
export const NO_STYLES: Styles = { bold: plain, dim: plain, green: plain, yellow: plain } as unknown as Styles;

/** Basic 16 colors at most (they follow the user's terminal theme), or no styling at all. */
export async function loadStyles(color: boolean): Promise<Styles> {
  if (!color) return NO_STYLES;
  const { Chalk } = await import('chalk');
  return new Chalk({ level: 1 });
}
