// A throwaway Terraform working directory: a copy of a configuration under fixtures/terraform/, a CLI config that
// installs providers only from the offline filesystem mirror, its own TF_DATA_DIR, and no AWS settings inherited.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProcess, type ProcessResult } from './run-process';

export const TERRAFORM = '/usr/local/bin/terraform';
export const PROVIDER_MIRROR = '/opt/tf-plugins';
const FIXTURES = path.resolve(__dirname, '../../fixtures/terraform');

export interface TerraformWorkspace {
  directory: string;
  /** Runs `terraform <args>` in the copy; the exit code is the caller's to judge. */
  run(args: string[], timeoutMs?: number): Promise<ProcessResult>;
  remove(): void;
}

export function createTerraformWorkspace(configuration: string, variables: Record<string, string>): TerraformWorkspace {
  const root = mkdtempSync(path.join(tmpdir(), 'ecr-emulator-terraform-'));
  const directory = path.join(root, configuration);
  cpSync(path.join(FIXTURES, configuration), directory, { recursive: true });
  const cliConfig = path.join(root, 'terraform.rc');
  writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = "${PROVIDER_MIRROR}"\n  }\n}\n`);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AWS_|TF_|CHECKPOINT_)/.test(name)));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_DATA_DIR: path.join(root, 'terraform-data'),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...Object.fromEntries(Object.entries(variables).map(([name, value]) => [`TF_VAR_${name}`, value])),
  };
  return {
    directory,
    run: (args, timeoutMs = 300_000) => runProcess(TERRAFORM, [...args], { cwd: directory, env, timeoutMs }),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The whole output of a terraform run, for a failure message. */
export function describeRun(result: ProcessResult): string {
  return `\`${result.command}\` exited with ${result.exitCode}\n--- stdout\n${result.stdout.slice(-6000)}\n--- stderr\n${result.stderr.slice(-6000)}`;
}

export function expectExitCode(result: ProcessResult, exitCode: number): void {
  if (result.exitCode !== exitCode) throw new Error(`expected exit code ${exitCode}: ${describeRun(result)}`);
}

/** `terraform output -json` as name → value. */
export async function terraformOutputs(workspace: TerraformWorkspace): Promise<Record<string, unknown>> {
  const result = await workspace.run(['output', '-json', '-no-color']);
  expectExitCode(result, 0);
  const parsed = JSON.parse(result.stdout) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(parsed).map(([name, output]) => [name, output.value]));
}
