import type { Command, Option } from 'commander';
import { UsageError } from '../errors.js';

/**
 * `ringcentral completion bash|zsh|fish`: completion scripts generated from the command tree
 * itself (commands, options, choices), with profile names asked of `profiles list --names`.
 */

interface Spec {
  path: string[];
  options: string[];
  choices: Map<string, string[]>;
  subcommands: string[];
}

const PROFILE_ARGUMENT_COMMANDS = new Set(['profiles use', 'profiles remove']);

function flags(option: Option): string[] {
  return [option.long, option.short].filter((flag): flag is string => Boolean(flag));
}

function collect(command: Command, path: string[] = [], inherited: readonly Option[] = []): Spec[] {
  const own = [...inherited, ...command.options];
  const choices = new Map<string, string[]>();
  for (const option of own) {
    const values = option.argChoices ?? (option.long === '--profile' ? ['__PROFILES__'] : undefined);
    if (values) for (const flag of flags(option)) choices.set(flag, values);
  }
  const spec: Spec = { path, options: [...own.flatMap(flags), '--help'], choices, subcommands: command.commands.map((c) => c.name()) };
  return [spec, ...command.commands.flatMap((sub) => collect(sub, [...path, sub.name()], inherited.length ? inherited : command.options))];
}

const PROFILES = 'ringcentral profiles list --names 2>/dev/null';

function bash(specs: Spec[]): string {
  const words = (spec: Spec) =>
    `${PROFILE_ARGUMENT_COMMANDS.has(spec.path.join(' ')) ? `$(${PROFILES}) ` : ''}${[...spec.subcommands, ...spec.options].join(' ')}`;
  const choiceCases = specs.flatMap((spec) =>
    [...spec.choices].map(([flag, values]) => {
      const list = values[0] === '__PROFILES__' ? `$(${PROFILES})` : values.join(' ');
      return `    "${spec.path.join(' ')}:${flag}") COMPREPLY=($(compgen -W "${list}" -- "$cur")); return ;;`;
    }),
  );
  return `# ringcentral completion for bash: source <(ringcentral completion bash)
_ringcentral() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" i word words
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case " \${path:+$path }$word" in
${specs
  .slice(1)
  .map((spec) => `      " ${spec.path.join(' ')}") path="${spec.path.join(' ')}" ;;`)
  .join('\n')}
    esac
  done
  case "$path:$prev" in
${choiceCases.join('\n')}
  esac
  case "$path" in
${specs.map((spec) => `    "${spec.path.join(' ')}") words="${words(spec)}" ;;`).join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _ringcentral ringcentral
`;
}

function fish(specs: Spec[]): string {
  const lines = ['# ringcentral completion for fish: ringcentral completion fish | source', 'complete -c ringcentral -f'];
  for (const spec of specs) {
    const condition = spec.path.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${spec.path[spec.path.length - 1]}`;
    if (spec.subcommands.length) lines.push(`complete -c ringcentral -n '${condition}' -a '${spec.subcommands.join(' ')}'`);
    if (PROFILE_ARGUMENT_COMMANDS.has(spec.path.join(' '))) lines.push(`complete -c ringcentral -n '${condition}' -a '(${PROFILES})'`);
    for (const option of new Set(spec.options)) {
      const values = spec.choices.get(option);
      const arg = values ? ` -xa '${values[0] === '__PROFILES__' ? `(${PROFILES})` : values.join(' ')}'` : '';
      const name = option.startsWith('--') ? `-l ${option.slice(2)}` : `-s ${option.slice(1)}`;
      lines.push(`complete -c ringcentral -n '${condition}' ${name}${arg}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: string, program: Command): string {
  const specs = collect(program);
  switch (shell) {
    case 'bash':
      return bash(specs);
    case 'zsh':
      return `# ringcentral completion for zsh: source <(ringcentral completion zsh)\nautoload -U +X bashcompinit && bashcompinit\n${bash(specs)}`;
    case 'fish':
      return fish(specs);
    default:
      throw new UsageError(`completion: unknown shell "${shell}"`, 'use bash, zsh or fish');
  }
}
