import { z } from 'zod';

// Input of the directory commands (both edges parse with these). Every schema is strict.

export const handoverBody = z
  .object({
    toUserId: z.string().trim().min(1).max(100),
    at: z.iso.datetime({ offset: true }).optional(),
    reason: z.string().trim().min(1).max(2_000),
  })
  .strict();
export type HandoverBody = z.infer<typeof handoverBody>;

export const mergeBody = z
  .object({ into: z.string().trim().min(1).max(100), reason: z.string().trim().min(1).max(2_000) })
  .strict();
export type MergeBody = z.infer<typeof mergeBody>;

export const renameBody = z
  .object({ name: z.string().trim().min(1).max(300), reason: z.string().trim().min(1).max(2_000) })
  .strict();
export type RenameBody = z.infer<typeof renameBody>;
