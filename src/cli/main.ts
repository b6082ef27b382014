// `headroom <command> [options]`: the engine in a terminal. Each command lives in its own module and
// returns its exit code; this file only dispatches.
type Command = { run: (argv: string[]) => Promise<number>; summary: string };

const commands: Record<string, Command> = {
  // Each command's module is loaded when it runs: a call pays only for its own command.
  monitor: {
    run: (argv) => import('./monitor').then((m) => m.run(argv)),
    summary: 'live CPU, memory and GPU readings',
  },
  footprint: {
    run: (argv) => import('./footprint').then((m) => m.run(argv)),
    summary: 'memory pandas would use for CSV/Parquet files, and how to shrink it',
  },
  tune: {
    run: (argv) => import('./tune').then((m) => m.run(argv)),
    summary: 'run a hyperparameter search from a NAME.tune.yaml spec',
  },
  runtime: {
    run: (argv) => import('./runtime').then((m) => m.run(argv)),
    summary: 'install headroom_runtime (memory-aware joblib backend) into a Python interpreter',
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: headroom <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'headroom <command> --help' for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`headroom: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`headroom: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
