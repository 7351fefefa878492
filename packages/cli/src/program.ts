import { Command, Option } from 'commander';
import { version } from '../package.json';
import type { CliContext } from './cli-context.js';
import type { ExitCode } from './exit-codes.js';

/** What a command module exports: run with the parsed options and operands, answer an exit status. */
export type CommandRunner = (
  context: CliContext,
  options: Record<string, unknown>,
  operands: string[],
) => Promise<ExitCode>;

/** Receives each command's exit status (the program itself never calls `process.exit`). */
export type ExitSink = (code: ExitCode) => void;

// Repeatable flags (`-r A -r B`). No default array, so help does not print `(default: [])`.
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

// Each command's body lives in its own chunk, imported only when that command runs: this is what
// keeps `kwqm --version` about as fast as `node -e 0` (see bench/startup.bench.mjs).
function lazy(
  context: CliContext,
  sink: ExitSink,
  load: () => Promise<{ run: CommandRunner }>,
): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const command = args[args.length - 1] as Command;
    const { run } = await load();
    sink(await run(context, command.opts(), command.args));
  };
}

function addOutputOptions(command: Command): Command {
  return command
    .option('--json', 'print machine-readable JSON (shapes in docs/reference/cli.md)')
    .option('--debug', 'print stack traces with errors');
}

function addJobOptions(command: Command, outputDefault: string): Command {
  addOutputOptions(command)
    .option(
      '-o, --output <file>',
      `write here, "-" for standard output (only with a single FILE; default: ${outputDefault})`,
    )
    .option('-f, --force', 'replace an existing output file')
    .option('--priority <level>', 'queue priority: high, medium or low', 'medium')
    .option('-q, --quiet', 'no progress display')
    .addOption(
      new Option(
        '--detach',
        'submit to the daemon (starting it), print job ids, exit (files only, not streams)',
      ).conflicts(['embedded']),
    )
    .addOption(new Option('--embedded', 'run in this process on worker threads').conflicts(['daemon']))
    .addOption(new Option('--daemon', 'run on the daemon (error if none answers)'));
  return command;
}

/** `error: unknown option '--forc'\n(Did you mean --force?)\n` → one `kwqm: … (INVALID_OPTION)` line. */
function commanderErrorLine(text: string): string {
  const message = text
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
  return `kwqm: ${message} (INVALID_OPTION)`;
}

/**
 * The whole command table. Parsing, help and validation of flag shapes are commander's; the
 * meaning of each command is in `commands/`.
 */
export function createProgram(context: CliContext, sink: ExitSink): Command {
  const program = new Command('kwqm')
    .description(
      'Encrypt (age format), decrypt, hash and compress files on a three-level priority work queue, ' +
        'in this process or on a per-user daemon.',
    )
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
      // commander's own usage errors (unknown command or flag, missing argument, conflicting
      // flags) take the shape of every other error line: one line ending in its code.
      outputError: (text, write) => write(`${commanderErrorLine(text)}\n`),
    })
    .addHelpText(
      'after',
      examples([
        'kwqm encrypt report.pdf                 # asks for a passphrase, writes report.pdf.age',
        'kwqm decrypt report.pdf.age -o copy.pdf',
        'kwqm keygen -o key.txt && kwqm encrypt -R <(grep -o "age1.*" key.txt) data.tar',
        'kwqm hash --algorithm sha512 *.iso',
        'kwqm compress --detach --priority low big.log && kwqm list',
        'tar cz dir | kwqm encrypt -r age1… > dir.tgz.age   # "-" or no FILE: standard input',
      ]) +
        '\nExit status: 0 ok, 1 a job failed, 2 usage error, 3 queue full, 4 daemon unavailable, 130 interrupted (143 SIGTERM, 129 SIGHUP).\n',
    );

  const jobs = (load: () => Promise<{ run: CommandRunner }>) => lazy(context, sink, load);

  addJobOptions(
    program
      .command('encrypt')
      .description('encrypt files to the age format, with a passphrase or to recipients')
      .argument('[file...]', 'files to encrypt; none or "-": standard input'),
    'FILE.age, standard output for standard input',
  )
    .option('-p, --passphrase', 'encrypt with a passphrase (the default when no recipient is given)')
    .option('-r, --recipient <recipient>', 'encrypt to an age1… public key (repeatable)', collect)
    .option(
      '-R, --recipients-file <file>',
      'encrypt to the recipients listed in a file (repeatable; "-": standard input)',
      collect,
    )
    .option(
      '-i, --identity <file>',
      'encrypt to the public keys of the identities in a file, as age -e -i (repeatable; "-": standard input)',
      collect,
    )
    .option('-a, --armor', 'write PEM-armored text instead of binary')
    .option('--passphrase-file <file>', 'read the passphrase from the first line of a file')
    .option('--work-factor <n>', 'scrypt work factor log2(N), 1 to 22 (lower is faster to crack)', '18')
    .addHelpText(
      'after',
      examples([
        'kwqm encrypt notes.txt',
        'kwqm encrypt -r age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p -a notes.txt',
        'kwqm encrypt --passphrase-file pass.txt --priority high *.csv',
        'tar cz dir | kwqm encrypt -R recipients.txt > dir.tgz.age',
        "kwqm encrypt -i key.txt backup.tar          # to key.txt's own public key (age -e -i)",
        'cat secrets.env | kwqm encrypt -p -a         # prompts on the terminal, armored text out',
      ]),
    )
    .action(jobs(() => import('./commands/encrypt-command.js')));

  addJobOptions(
    program
      .command('decrypt')
      .description('decrypt age files, with identities or a passphrase (asked only when the file needs one)')
      .argument('[file...]', 'files to decrypt; none or "-": standard input'),
    'FILE without .age, standard output for standard input',
  )
    .option(
      '-i, --identity <file>',
      'an identity file, as written by kwqm keygen or age-keygen (repeatable; "-": standard input)',
      collect,
    )
    .option('--passphrase-file <file>', 'read the passphrase from the first line of a file')
    .option('--max-work-factor <n>', 'refuse passphrase files with a higher scrypt work factor', '22')
    .addHelpText(
      'after',
      examples([
        'kwqm decrypt notes.txt.age',
        'kwqm decrypt -i key.txt -o data.tar data.tar.age',
        'kwqm decrypt -i key.txt dir.tgz.age -o - | tar xz',
      ]),
    )
    .action(jobs(() => import('./commands/decrypt-command.js')));

  addJobOptions(
    program
      .command('hash')
      .description('print a sha256sum-style digest line per file')
      .argument('[file...]', 'files to hash; none or "-": standard input'),
    'none: the line is printed',
  )
    .option('--algorithm <name>', 'sha256, sha512 or blake2b512', 'sha256')
    .addHelpText(
      'after',
      examples(['kwqm hash disk.img', 'kwqm hash --algorithm blake2b512 a b c', 'kwqm hash - < big.iso']),
    )
    .action(jobs(() => import('./commands/hash-command.js')));

  addJobOptions(
    program
      .command('compress')
      .description('compress files with gzip or brotli')
      .argument('[file...]', 'files to compress; none or "-": standard input'),
    'FILE.gz or FILE.br, standard output for standard input',
  )
    .option('--format <format>', 'gzip or brotli', 'gzip')
    .option('--level <n>', 'gzip 1-9 (default 6), brotli 0-11 (default 11)')
    .addHelpText(
      'after',
      examples([
        'kwqm compress server.log',
        'kwqm compress --format brotli --level 5 *.json',
        'kwqm compress < app.log > app.log.gz',
      ]),
    )
    .action(jobs(() => import('./commands/compress-command.js')));

  addJobOptions(
    program
      .command('decompress')
      .description('decompress .gz or .br files')
      .argument('[file...]', 'files to decompress; none or "-": standard input (gzip unless --format)'),
    'FILE without .gz/.br, standard output for standard input',
  )
    .option('--format <format>', 'gzip or brotli (default: from the extension)')
    .addHelpText(
      'after',
      examples([
        'kwqm decompress server.log.gz',
        'kwqm decompress --format brotli -o data blob',
        'curl -s https://example.org/x.gz | kwqm decompress | less',
      ]),
    )
    .action(jobs(() => import('./commands/decompress-command.js')));

  addOutputOptions(program.command('keygen').description('generate an age X25519 identity (like age-keygen)'))
    .option(
      '-o, --output <file>',
      'write the identity to a file (mode 0600) instead of standard output ("-" is standard output)',
    )
    .option('-f, --force', 'replace an existing output file')
    .addHelpText('after', examples(['kwqm keygen -o key.txt', 'kwqm keygen --json']))
    .action(jobs(() => import('./commands/keygen-command.js')));

  addOutputOptions(
    program.command('list').description('show the queue: running, then queued jobs in dispatch order'),
  )
    .option('-a, --all', 'include finished jobs from the history')
    .addHelpText('after', examples(['kwqm list', 'kwqm list --all --json']))
    .action(jobs(() => import('./commands/list-command.js')));

  addOutputOptions(program.command('status').description('show jobs by id').argument('<id...>', 'job ids'))
    .addHelpText('after', examples(['kwqm status k3x9q2-17']))
    .action(jobs(() => import('./commands/status-command.js')));

  addOutputOptions(
    program.command('remove').description('take queued jobs out of the queue').argument('<id...>', 'job ids'),
  )
    .addHelpText('after', examples(['kwqm remove k3x9q2-17 k3x9q2-18']))
    .action(jobs(() => import('./commands/remove-command.js')));

  addOutputOptions(
    program
      .command('priority')
      .description('move a queued job to another priority level (to the tail of that level)')
      .argument('<id>', 'job id')
      .argument('<level>', 'high, medium or low'),
  )
    .addHelpText('after', examples(['kwqm priority k3x9q2-17 high']))
    .action(jobs(() => import('./commands/priority-command.js')));

  addOutputOptions(
    program.command('cancel').description('stop queued or running jobs').argument('<id...>', 'job ids'),
  )
    .addHelpText('after', examples(['kwqm cancel k3x9q2-17']))
    .action(jobs(() => import('./commands/cancel-command.js')));

  addOutputOptions(program.command('watch').description('print queue events as they happen, until Ctrl-C'))
    .addHelpText('after', examples(['kwqm watch', 'kwqm watch --json | jq .type']))
    .action(jobs(() => import('./commands/watch-command.js')));

  const daemon = program
    .command('daemon')
    .description('start, stop or inspect the per-user daemon')
    .addHelpText('after', examples(['kwqm daemon start', 'kwqm daemon status --json', 'kwqm daemon stop']));
  addOutputOptions(daemon.command('start').description('start the daemon unless one is running')).action(
    jobs(() => import('./commands/daemon-start-command.js')),
  );
  addOutputOptions(daemon.command('stop').description('stop the daemon; running jobs finish first'))
    .option('--cancel-running', 'cancel running jobs instead of letting them finish')
    .action(jobs(() => import('./commands/daemon-stop-command.js')));
  addOutputOptions(daemon.command('status').description('tell whether the daemon is running')).action(
    jobs(() => import('./commands/daemon-status-command.js')),
  );

  return program;
}
