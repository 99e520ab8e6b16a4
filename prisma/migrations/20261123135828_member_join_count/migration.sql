-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "joinCount" INTEGER NOT NULL DEFAULT 0;
