import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

import type { Command } from 'commander';

import { type CliContext, openSession } from '../cli-context';
import { CliError, ExitCode } from '../cli-errors';
import { addHostFilterOptions, type HostFilterOptions, hostFilterQuery } from '../fleet/host-filters';
import { CsvRecordReader } from '../format/csv-records';
import { terminalStreamFilter } from '../format/terminal-text';
import { formatBytes } from '../format/units';

interface ExportCsvOptions extends HostFilterOptions {
  output?: string;
}

const rowCount = new Intl.NumberFormat('en');

export function registerExportCommand(program: Command, context: CliContext): void {
  const exports = program.command('export').description('download your tenant’s data');
  const csv = exports
    .command('csv')
    .description('the hosts as CSV (RFC 4180, header row), streamed to a file or stdout');
  addHostFilterOptions(csv)
    .option('-o, --output <file>', 'write to this file instead of stdout (- is stdout)')
    .action(async (options: ExportCsvOptions, self: Command) => {
      const session = openSession(context, self);
      const file = options.output === '-' ? undefined : options.output;
      const toTerminal = !file && context.stdout.isTTY === true;
      // A progress line would tangle with the rows on the same terminal.
      const progress = session.progress(!toTerminal);
      const records = new CsvRecordReader();
      const decoder = new TextDecoder();
      // Hosts name themselves: on a terminal their text could carry escape sequences.
      const filter = toTerminal ? terminalStreamFilter() : undefined;
      let bytes = 0;
      let lines = 0;
      const status = () => `${formatBytes(bytes)}, ${rowCount.format(Math.max(0, lines - 1))} rows`;

      const download = session.client.download(
        'api/v1/hosts/export.csv',
        hostFilterQuery(options),
        'text/csv',
      );
      // The first chunk proves the server said yes before the output file is created or emptied.
      const first = await download.next();
      async function* counted(): AsyncGenerator<Uint8Array | string> {
        const take = (chunk: Uint8Array) => {
          bytes += chunk.byteLength;
          const text = decoder.decode(chunk, { stream: true });
          lines += records.push(text).length;
          progress.update(`${status()}…`);
          return filter ? filter.push(text) : chunk;
        };
        if (!first.done) yield take(first.value);
        for await (const chunk of download) yield take(chunk);
        lines += records.push(decoder.decode()).length + records.end().length;
        if (filter) yield filter.end();
      }

      const destination = file ? createWriteStream(file) : context.stdout;
      try {
        await pipeline(counted(), destination, { end: file !== undefined });
      } catch (error) {
        progress.done();
        const where = file ? `; ${file} is incomplete` : '';
        if (error instanceof CliError) {
          throw new CliError(
            `export stopped after ${formatBytes(bytes)}${where}: ${error.message}`,
            error.exitCode,
          );
        }
        throw new CliError(
          `cannot write ${file ?? 'to stdout'}: ${(error as Error).message}`,
          ExitCode.Generic,
        );
      }
      progress.done(`exported ${status()}${file ? ` to ${file}` : ''}`);
    });
}
