-- CreateEnum
CREATE TYPE "CaseKind" AS ENUM ('warn', 'timeout', 'untimeout', 'kick', 'ban', 'unban', 'purge', 'automod');

-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "lastCaseNumber" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ModerationCase" (
    "id" SERIAL NOT NULL,
    "communityId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "memberId" INTEGER,
    "moderatorId" INTEGER,
    "kind" "CaseKind" NOT NULL,
    "rules" TEXT[],
    "reason" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "durationSeconds" INTEGER,
    "evidenceMessageId" TEXT,
    "evidenceChannelId" TEXT,
    "evidenceText" TEXT,
    "affectedMessages" INTEGER,
    "escalatedFromId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "pardonedAt" TIMESTAMP(3),
    "pardonedById" INTEGER,
    "pardonReason" TEXT,

    CONSTRAINT "ModerationCase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModerationCase_memberId_createdAt_idx" ON "ModerationCase"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "ModerationCase_communityId_createdAt_idx" ON "ModerationCase"("communityId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ModerationCase_communityId_number_key" ON "ModerationCase"("communityId", "number");

-- AddForeignKey
ALTER TABLE "ModerationCase" ADD CONSTRAINT "ModerationCase_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModerationCase" ADD CONSTRAINT "ModerationCase_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModerationCase" ADD CONSTRAINT "ModerationCase_moderatorId_fkey" FOREIGN KEY ("moderatorId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModerationCase" ADD CONSTRAINT "ModerationCase_pardonedById_fkey" FOREIGN KEY ("pardonedById") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModerationCase" ADD CONSTRAINT "ModerationCase_escalatedFromId_fkey" FOREIGN KEY ("escalatedFromId") REFERENCES "ModerationCase"("id") ON DELETE SET NULL ON UPDATE CASCADE;
