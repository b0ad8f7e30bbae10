/** Identifiers shaped like Terraform's. */
import { randomBytes } from 'crypto';

/** The null provider's id: `fmt.Sprintf("%d", rand.Int())`, a non-negative 63-bit decimal. */
export function newNullResourceId(): string {
  return (randomBytes(8).readBigUInt64BE() >> 1n).toString(10);
}

/** Terraform's deposed-object key: 8 random hex digits. */
export function newDeposedKey(): string {
  return randomBytes(4).toString('hex');
}
