import { redactRecordKeys } from '../api/redact';
import { terminalLines } from '../model/output-encoding';

/**
 * How commands print a line: names quoted from the definition and from Segment have their control
 * characters shown, not obeyed; anything shaped like a record key is blanked (it never should be there).
 */
export function lineWriter(stream: NodeJS.WritableStream): (line?: string) => void {
  return (line = '') => {
    stream.write(`${redactRecordKeys(terminalLines(line))}\n`);
  };
}
