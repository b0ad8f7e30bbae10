/**
 * A lock beside the state file, like Terraform's local backend
 * (`.<state file>.lock.info`), so two runs cannot interleave writes to one
 * state. Terraform's local lock is an OS file lock that dies with its process;
 * this lock records the holder's pid and is treated as released once that
 * process is gone, so a run killed mid-apply does not wedge the next one.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { TfStateError } from './errors';

export interface StateLock {
  release(): void;
}

export function lockState(statePath: string, operation: string): StateLock {
  const lockPath = path.join(path.dirname(statePath), `.${path.basename(statePath)}.lock.info`);
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const info = { ID: randomUUID(), Operation: operation, Path: statePath, Created: new Date().toISOString(), pid: process.pid };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(info), { flag: 'wx' });
      return { release: () => releaseIfOwned(lockPath, info.ID) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockPath);
      if (holder && isAlive(holder.pid)) {
        throw new TfStateError(`Error acquiring the state lock: ${statePath} is locked by pid ${holder.pid} (${holder.Operation}, since ${holder.Created})`);
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new TfStateError(`Error acquiring the state lock: ${lockPath} keeps reappearing`);
}

function readHolder(lockPath: string): { pid: number; Operation?: string; Created?: string } | null {
  try {
    const holder = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid?: unknown };
    return typeof holder.pid === 'number' ? (holder as { pid: number }) : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfOwned(lockPath: string, id: string): void {
  try {
    const holder = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { ID?: string };
    if (holder.ID === id) fs.rmSync(lockPath, { force: true });
  } catch {
    // Already gone: nothing to release.
  }
}
