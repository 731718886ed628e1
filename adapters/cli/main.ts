import { Command, CommanderError } from 'commander';
import { translate } from '../../src/i18n/index.js';
import { inputProblem, inputProblemMessage } from '../../src/text/input-check.js';
import { progressOn } from './progress.js';
import { configOrExit, UsageError, UserError } from './runtime.js';

// Each subcommand loads only what it uses: `show --json` need not load the Excel writer or a chat SDK.
const commands = () => import('./commands.js');
const starts = () => import('./start.js');

function endOfReader(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EPIPE') throw err;
}

/** `transfer-bot`: exit 0 on success, 1 on a refused request or bad input, 2 on bad usage. */
export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`| head -1`) leaves what follows nowhere to go, which is no failure: the
  // command goes on to its end (a change it makes is made whole) and exits as it would have.
  for (const stream of [process.stdout, process.stderr])
    if (!stream.listeners('error').includes(endOfReader)) stream.on('error', endOfReader);
  // Arguments are text from outside like any other: refused whole, before anything opens the database.
  for (const arg of argv) {
    const problem = inputProblem(arg);
    if (problem) {
      const reason = inputProblemMessage(problem);
      process.stderr.write(`transfer-bot: ${translate('en', reason.key, reason.params)}\n`);
      return 1;
    }
  }
  let exitCode = 0;
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const program = new Command('transfer-bot')
    .description(
      'Asset Transfer Bot: move licenses and devices between Smart Accounts from Slack, Teams or a console',
    )
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .showHelpAfterError();

  program
    .command('start')
    .description(
      'migrate, load the demo inventory into an empty embedded database, and start Slack/Teams or the console',
    )
    .action(async () => {
      exitCode = await (await starts()).startBot(configOrExit());
    });

  program
    .command('migrate')
    .description('apply migrations and exit')
    .action(async () => {
      const config = configOrExit();
      const { openRuntime } = await import('./compose.js');
      const progress = progressOn();
      const runtime = await openRuntime(config, {
        migrate: true,
        onMigrate: (done, total) => {
          progress.update('migrate:', done, total, 'migrations');
          if (done === total) progress.end();
        },
      });
      await runtime.close();
      out(`migrated ${runtime.where}`);
    });

  program
    .command('import')
    .argument('<file>', 'inventory JSON file')
    .description('load an inventory file: create or update, never delete; a bad file is refused whole')
    .action(async (file: string) => {
      const config = configOrExit();
      const { withRuntime, importFile } = await commands();
      const progress = progressOn();
      await withRuntime(config, true, async ({ deps, upkeep }) => {
        const counts = await importFile(deps, file, progress);
        // The embedded database's planner learns the new inventory now, not at the bot's next start.
        await upkeep();
        out(counts);
      });
    });

  program
    .command('show')
    .argument('<id>', 'transaction ID')
    .option('--json', 'print JSON (the only format)')
    .description('one transaction as JSON')
    .action(async (id: string) => {
      const config = configOrExit();
      const { withRuntime, showJson } = await commands();
      await withRuntime(config, true, async ({ deps }) => out(await showJson(deps, id)));
    });

  program
    .command('list')
    .option('--smart-account <domain>', 'only transactions touching this Smart Account')
    .option('--status <key>', 'only transactions in this status')
    .option('--json', 'print JSON (the only format)')
    .description('transactions as a JSON array')
    .action(async (options: { smartAccount?: string; status?: string }) => {
      const config = configOrExit();
      const { withRuntime, listJson } = await commands();
      await withRuntime(config, true, async ({ deps }) => out(await listJson(deps, options)));
    });

  program
    .command('export')
    .option('--smart-account <domain>', "a Smart Account's transactions")
    .option('--transaction <id>', "one transaction's items and history")
    .requiredOption('--out <file>', 'where to write the .xlsx file')
    .description('the Excel export')
    .action(async (options: { smartAccount?: string; transaction?: string; out: string }) => {
      const config = configOrExit();
      const { withRuntime, exportTo } = await commands();
      const progress = progressOn();
      await withRuntime(config, true, async ({ deps }) => out(await exportTo(deps, options, progress)));
    });

  program
    .command('jobs')
    .description('scheduled work')
    .command('run')
    .description('run every due job once (reminders, escalations, expiries, pending deliveries), then exit')
    .action(async () => {
      const progress = progressOn();
      out(await (await starts()).runJobsOnce(configOrExit(), progress));
    });

  program
    .command('doctor')
    .option('--json', 'print the checks as JSON')
    .description(
      'check the configuration, database, inventory, reminder schedule, Slack and Teams: one line each, exit 1 if any fails',
    )
    .action(async (options: { json?: boolean }) => {
      const { runDoctor, formatReport } = await import('./doctor.js');
      const report = await runDoctor(process.env);
      out(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
      exitCode = report.ok ? 0 : 1;
    });

  program
    .command('console')
    .option('--as <email>', 'act as this inventory user')
    .description('the local console')
    .action(async (options: { as?: string }) => {
      exitCode = await (await starts()).startConsoleOnly(configOrExit(), options.as);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0
        ? 0
        : 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof UserError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    process.stderr.write(`transfer-bot: ${(err as Error).message}\n`);
    return 1;
  }
}
