#!/usr/bin/env node
// The command line: parse flags and environment, start the emulator, print the ready banner, stop cleanly on
// SIGTERM/SIGINT. A bad flag or value is one line on stderr and exit code 2; a failed start is one line and 1.
import path from 'node:path';
import { ConfigError, helpText, isHelpRequested, parseConfig, type EmulatorConfig } from './config';
import { startEmulator, type RunningEmulator } from './index';
import { packageVersion } from './version';

// sysexits-style: 2 is what shells and argument parsers use for "bad usage".
const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;

function fail(code: number, message: string): never {
  process.stderr.write(`ecr-emulator: ${message}\n`);
  process.exit(code);
}

function readConfig(argv: readonly string[]): EmulatorConfig {
  try {
    return parseConfig(argv, process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(EXIT_USAGE, error.message);
    throw error;
  }
}

/** The first line is parsed by tools (spec/helpers/emulator-process.ts): keep its shape. */
function bannerLines(emulator: RunningEmulator): string[] {
  const { config } = emulator;
  const store = config.dataDir === undefined ? 'memory' : `data dir ${path.resolve(config.dataDir)}`;
  return [
    `ECR emulator ready on ${emulator.endpoint} (registry ${emulator.registryHost}, ${store})`,
    `  log in: aws ecr get-login-password --region ${config.region} --endpoint-url ${emulator.endpoint} | docker login --username AWS --password-stdin ${emulator.registryHost}`,
  ];
}

function stopOnSignals(emulator: RunningEmulator): void {
  let isStopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second Ctrl-C means "now": do not wait for a slow upload.
    if (isStopping) fail(EXIT_FAILURE, `${signal} again, exiting without waiting`);
    isStopping = true;
    process.stderr.write(`ecr-emulator: ${signal}, finishing in-flight requests\n`);
    emulator.stop().then(
      () => process.exit(0),
      (error: unknown) => fail(EXIT_FAILURE, `stopping failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (isHelpRequested(argv)) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  if (argv.includes('--version')) {
    process.stdout.write(`${packageVersion}\n`);
    return;
  }
  const config = readConfig(argv);
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator(config);
  } catch (error) {
    // EADDRINUSE, an unreadable certificate, a data dir we may not write: the message says which.
    fail(EXIT_FAILURE, `cannot start: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Handlers first: whoever reads the ready line may signal at once, and a signal that arrives before its handler
  // kills the process with no clean stop (seen in CI as an exit by signal instead of 0).
  stopOnSignals(emulator);
  process.stdout.write(`${bannerLines(emulator).join('\n')}\n`);
}

main().catch((error: unknown) => fail(EXIT_FAILURE, error instanceof Error ? error.message : String(error)));
