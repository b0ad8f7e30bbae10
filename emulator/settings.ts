import { z } from 'zod';

/**
 * Behaviours Segment does not document, kept as settings so a test or demo can choose them
 * (README "The Segment API emulator": Segment's behaviour vs the emulator's assumptions).
 */
export const emulatorSettingsSchema = z
  .object({
    /** Segment's docs say invites "expire within a few days"; the onboarding checklist says 7. */
    inviteExpiryDays: z.number().positive().default(7),
    /** Refuse any change that leaves a workspace without a Workspace Owner. */
    protectLastOwner: z.boolean().default(true),
    /** Refuse invites beyond a workspace's `seatLimit` (users + pending invites). */
    enforceSeatLimits: z.boolean().default(true),
    /**
     * Accept exactly Segment's documented inputs: unknown body fields, repeated or `[]` query keys,
     * a lower-case `bearer` scheme and bodies without `Content-Type: application/json` are 422s or 401s.
     */
    strict: z.boolean().default(true),
  })
  .strict();

export type EmulatorSettings = z.infer<typeof emulatorSettingsSchema>;
export type EmulatorSettingsInput = z.input<typeof emulatorSettingsSchema>;

export const DAY_MS = 24 * 60 * 60 * 1000;

export function inviteTtlMs(settings: EmulatorSettings): number {
  return settings.inviteExpiryDays * DAY_MS;
}
