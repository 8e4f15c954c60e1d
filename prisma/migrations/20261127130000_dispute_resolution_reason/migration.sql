-- AlterTable
ALTER TABLE "integrity_dispute" ADD COLUMN     "resolution_reason" TEXT;


-- Reasons recorded before this column existed were kept in "resolution" as "<outcome>: <reason>".
UPDATE "integrity_dispute"
   SET "resolution_reason" = substring("resolution" from position(': ' in "resolution") + 2),
       "resolution" = split_part("resolution", ': ', 1)
 WHERE "resolution" LIKE '%: %';
