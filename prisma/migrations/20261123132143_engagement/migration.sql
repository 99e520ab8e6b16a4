-- CreateEnum
CREATE TYPE "NominationStatus" AS ENUM ('pending', 'approved', 'declined');

-- CreateTable
CREATE TABLE "Reaction" (
    "id" SERIAL NOT NULL,
    "communityId" INTEGER NOT NULL,
    "messageExternalId" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "emoji" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngagementProfile" (
    "memberId" INTEGER NOT NULL,
    "interests" TEXT[],
    "introsOptOut" BOOLEAN NOT NULL DEFAULT false,
    "introducedAt" TIMESTAMP(3),
    "tier" TEXT,
    "tierChangedAt" TIMESTAMP(3),
    "ambassadorAt" TIMESTAMP(3),

    CONSTRAINT "EngagementProfile_pkey" PRIMARY KEY ("memberId")
);

-- CreateTable
CREATE TABLE "IntroPair" (
    "id" SERIAL NOT NULL,
    "communityId" INTEGER NOT NULL,
    "memberAId" INTEGER NOT NULL,
    "memberBId" INTEGER NOT NULL,
    "interests" TEXT[],
    "round" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "met" BOOLEAN,
    "followedUpAt" TIMESTAMP(3),

    CONSTRAINT "IntroPair_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AmbassadorNomination" (
    "id" SERIAL NOT NULL,
    "communityId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "nominatedById" INTEGER,
    "status" "NominationStatus" NOT NULL DEFAULT 'pending',
    "nonce" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "decidedById" INTEGER,

    CONSTRAINT "AmbassadorNomination_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkCode" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "platform" "Platform" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "LinkCode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Reaction_memberId_idx" ON "Reaction"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "Reaction_communityId_messageExternalId_memberId_emoji_key" ON "Reaction"("communityId", "messageExternalId", "memberId", "emoji");

-- CreateIndex
CREATE INDEX "IntroPair_memberBId_idx" ON "IntroPair"("memberBId");

-- CreateIndex
CREATE UNIQUE INDEX "IntroPair_communityId_memberAId_memberBId_key" ON "IntroPair"("communityId", "memberAId", "memberBId");

-- CreateIndex
CREATE INDEX "AmbassadorNomination_communityId_status_idx" ON "AmbassadorNomination"("communityId", "status");

-- CreateIndex
CREATE INDEX "AmbassadorNomination_memberId_createdAt_idx" ON "AmbassadorNomination"("memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LinkCode_code_key" ON "LinkCode"("code");

-- CreateIndex
CREATE INDEX "LinkCode_memberId_idx" ON "LinkCode"("memberId");

-- AddForeignKey
ALTER TABLE "Reaction" ADD CONSTRAINT "Reaction_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reaction" ADD CONSTRAINT "Reaction_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EngagementProfile" ADD CONSTRAINT "EngagementProfile_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntroPair" ADD CONSTRAINT "IntroPair_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntroPair" ADD CONSTRAINT "IntroPair_memberAId_fkey" FOREIGN KEY ("memberAId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntroPair" ADD CONSTRAINT "IntroPair_memberBId_fkey" FOREIGN KEY ("memberBId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AmbassadorNomination" ADD CONSTRAINT "AmbassadorNomination_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AmbassadorNomination" ADD CONSTRAINT "AmbassadorNomination_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AmbassadorNomination" ADD CONSTRAINT "AmbassadorNomination_nominatedById_fkey" FOREIGN KEY ("nominatedById") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AmbassadorNomination" ADD CONSTRAINT "AmbassadorNomination_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkCode" ADD CONSTRAINT "LinkCode_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
