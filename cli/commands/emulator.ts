import { runEmulatorCommand } from '../../emulator/cli';

export function run(argv: string[]): Promise<number> {
  return runEmulatorCommand(argv);
}
