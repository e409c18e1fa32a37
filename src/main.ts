#!/usr/bin/env node
// The command line: parse flags and environment, start the emulator, print the ready banner, stop cleanly on
// SIGTERM/SIGINT. A bad flag is one line on stderr and exit code 2.
import { ConfigError, helpText, parseConfig } from './config';
import { startEmulator } from './index';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  let config;
  try {
    config = parseConfig(argv, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ecr-emulator: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const emulator = await startEmulator(config.memory ? { ...config, memory: true } : { ...config, memory: false });
  const store = config.memory ? 'memory' : `data dir ${config.dataDir}`;
  process.stdout.write(`ECR emulator ready on ${emulator.endpoint} (registry ${emulator.registryHost}, ${store})\n`);
  process.stdout.write(
    `  aws ecr get-login-password --endpoint-url ${emulator.endpoint} | docker login --username AWS --password-stdin ${emulator.registryHost}\n`,
  );
  let isStopping = false;
  const stop = (signal: string): void => {
    if (isStopping) return;
    isStopping = true;
    process.stderr.write(`ecr-emulator: ${signal}, finishing in-flight requests\n`);
    void emulator.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`ecr-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
